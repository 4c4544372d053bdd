"""SVG snapshots of the dashboard and the drill-down at 120x40 and 80x24.

Update the baselines with `pytest tests/test_snapshots.py --snapshot-update` after checking the
report by eye.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot

from tui.app import RiskPulseApp

DAY = date(2025, 11, 20)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_btc(pilot: Pilot[Any]) -> None:
    await _settle(pilot)
    await pilot.press("tab", "enter")
    await _settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_dashboard(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(RiskPulseApp(replay=DAY), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_drilldown(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(RiskPulseApp(replay=DAY), terminal_size=size, run_before=_open_btc)
