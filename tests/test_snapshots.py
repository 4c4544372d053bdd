"""SVG snapshots of the dashboard (80x24, 120x40, 200x60) and the drill-down (120x40, 80x24).

At 80x24 every pane's title and first rows are on screen (the compact layout); 200x60 is the
wide layout.

The live ones run against the loopback server of recorded responses with a fixed clock.

Update the baselines with `pytest tests/test_snapshots.py --snapshot-update` after checking the
report by eye.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tui.app import RiskPulseApp
from tui.screens.drilldown import DrillDownScreen
from widgets.chart import PlotextChart

DAY = date(2025, 11, 20)


async def _until(pilot: Pilot[Any], ready: Callable[[], bool]) -> None:
    """Let workers and messages run until `ready()` holds (bounded; no wall-clock sleeps)."""
    for _ in range(500):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if ready():
            await pilot.wait_for_animation()
            await pilot.pause()
            await pilot.pause()
            return
    raise AssertionError("the screen never settled")


def _dashboard_ready(app: Any) -> bool:
    return (
        bool(app.screen.query("#table-indices"))
        and app.screen.snapshot is not None
        and not app.screen.snapshot.partial  # the whole day, not its first numbers
        and app.screen.query_one("#table-indices").row_count > 0
    )


def _drill_ready(app: Any) -> bool:
    screen = app.screen
    ready = (
        isinstance(screen, DrillDownScreen)
        and not screen.query_one("#drill").loading
        and bool(str(screen.query_one("#drill-narrative").render()))
    )
    if ready:
        screen.query_one(PlotextChart).refresh()
    return ready


async def _settle(pilot: Pilot[Any]) -> None:
    await _until(pilot, lambda: _dashboard_ready(pilot.app))


async def _open_btc(pilot: Pilot[Any]) -> None:
    await _settle(pilot)
    await pilot.press("tab", "enter")
    await _until(pilot, lambda: _drill_ready(pilot.app))


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (200, 60)])
def test_dashboard(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(RiskPulseApp(replay=DAY), terminal_size=size, run_before=_settle)


def test_dashboard_80x24_shows_every_pane() -> None:
    """The compact layout's promise, checked on the text a snapshot shows."""

    async def run() -> list[str]:
        app = RiskPulseApp(replay=DAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(pilot)
            strips = app.screen._compositor.render_strips()
            return ["".join(segment.text for segment in strip) for strip in strips]

    lines = asyncio.run(run())
    text = "\n".join(lines)
    for title in ("Stock indices", "Crypto · USDT", "Fed watch", "Gold & macro", "Fear & greed"):
        assert title in text, title
    for first_row in ("S&P 500", "BTC", "12-10", "Gold", "Crypto  11"):
        assert first_row in text, first_row


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_drilldown(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(RiskPulseApp(replay=DAY), terminal_size=size, run_before=_open_btc)


def _live_ready(app: Any) -> bool:
    from tui.sources.live import REFRESHED

    screen = app.screen
    snap = getattr(screen, "live_snapshot", None)
    if snap is None or screen.session is None:
        return False
    status = screen.session.live.state.status
    attempted = all(status[s].last_ok is not None or status[s].error for s in REFRESHED)
    return attempted and snap.mode.value == "live" and _dashboard_ready(app)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_live_dashboard(
    snap_compare: Any,
    size: tuple[int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Live mode on the recorded responses: what answered, what failed and why."""
    from tests.loopback import serving
    from tests.test_app import live_app
    from tui.history import History

    monkeypatch.setenv("TZ", "UTC")  # the header shows the refresh time in local time
    time.tzset()

    async def ready(pilot: Pilot[Any]) -> None:
        await _until(pilot, lambda: _live_ready(pilot.app))

    try:
        with serving() as server:
            app = live_app(History(), tmp_path, server.url)
            assert snap_compare(app, terminal_size=size, run_before=ready)
    finally:
        monkeypatch.undo()
        time.tzset()
