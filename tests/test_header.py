"""The dashboard's header says what fits in whole words: a shorter breadth statement at narrow
widths, never a sentence cut mid-word, and always the count."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import whole_day_shown
from tui.app import RiskPulseApp
from tui.history import History
from tui.sources.replay import ReplaySource
from widgets.status_bar import SEPARATOR, StatusBar

DAYS = {
    date(2025, 11, 20): "narrow risk-off",
    date(2025, 10, 10): "broad risk-off",
    date(2025, 10, 4): "crypto only (a Saturday)",
    date(2025, 10, 28): "quiet",
}
COUNT = re.compile(r"\d+( of |/)\d+")
"""How every form of the statement gives the count: `6 of 13` or `6/13`."""


def _header_line(app: RiskPulseApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[0])


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
@pytest.mark.parametrize("day", list(DAYS))
async def test_the_header_shows_a_whole_breadth_form_with_its_count(
    history: History, size: tuple[int, int], day: date
) -> None:
    forms = ReplaySource().snapshot(day).breadth.forms()
    app = RiskPulseApp(replay=day, history=history)
    async with app.run_test(size=size) as pilot:
        await whole_day_shown(app)
        await pilot.pause()
        line = _header_line(app).rstrip()
    assert len(line) <= size[0]
    assert f"REPLAY {day.isoformat()}" in line
    assert SEPARATOR in line, line
    said = line.split(SEPARATOR, 1)[1]
    assert said in forms, (line, forms)  # a whole form, never one cut mid-word
    assert COUNT.search(said), said
    if size[0] >= 120 and len(forms[0]) <= 60:
        assert said == forms[0]  # the whole sentence where there is room for it


def test_narrow_header_keeps_a_time_and_the_count_when_sources_fail() -> None:
    bar = StatusBar()
    bar.mode = "LIVE"
    bar.as_of = (
        "updated 12:34:56 · failing: yahoo, cboe, coingecko",
        "updated 12:34:56 · 3 failing",
        "12:34:56 · 3 failing",
    )
    bar.breadth = ReplaySource().snapshot(date(2025, 10, 10)).breadth.forms()
    as_of, said, brand = bar.shown(78)
    assert as_of in bar.as_of and said in bar.breadth and brand == ""
    assert COUNT.search(said)
    assert len(f" LIVE   {as_of}{SEPARATOR}{said}") <= 78
    wide = bar.shown(198)
    assert wide == (bar.as_of[0], bar.breadth[0], "  riskpulse")
