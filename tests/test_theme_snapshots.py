"""SVG snapshots of every shipped theme on the replayed 2025-11-20 dashboard at 120x40.

Update the baselines with `pytest tests/test_theme_snapshots.py --snapshot-update` after checking
the report by eye (borders on unfocused panes in the light theme, readable gains and losses on
its selection bar, blue/orange in the colour-blind theme).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_snapshots import DAY, _settle
from themes import THEMES
from tui.app import RiskPulseApp


@pytest.mark.parametrize("theme", [t.name for t in THEMES])
def test_theme(snap_compare: Any, theme: str) -> None:
    app = RiskPulseApp(replay=DAY, theme_name=theme)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settle)
