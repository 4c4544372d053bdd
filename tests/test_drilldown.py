"""The drill-down screen: every catalogued asset opens, a failure shows its reason, the chart
ends on the day with what followed behind a key, and findings past the first eight behind
another."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tui.app import RiskPulseApp
from tui.assets import ASSETS, BY_ID
from tui.explain.move import Horizon
from tui.formatting import fmt_level
from tui.history import History
from tui.screens import drilldown
from tui.screens.drill_data import FIRST_SCREEN, compute
from tui.screens.drilldown import DrillDownScreen
from tui.sources.replay import ReplaySource
from widgets.chart import PlotextChart

DAY = date(2025, 11, 20)


async def _open(app: RiskPulseApp, pilot: Any, asset: str) -> DrillDownScreen:
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = DrillDownScreen(ReplaySource(app.source.history), asset, DAY)
    app.push_screen(screen)
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not screen.query_one("#drill").loading:
            break
    return screen


async def test_assets_that_used_to_fail_open_with_an_answer(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        for asset in ("fed_target", "effr", "sofr", "iorb", "spy", "qqq", "nasdaq_composite"):
            screen = await _open(app, pilot, asset)
            assert not screen.query_one("#drill").loading
            assert not screen.query_one("#drill-error").display
            answer = str(screen.query_one("#drill-answer").render())
            assert answer.startswith(BY_ID[asset].name.replace(" (adj.)", "")), answer
            app.pop_screen()


async def test_a_failed_computation_shows_its_reason(
    history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("the cache file is unreadable\nsecond line never shown")

    monkeypatch.setattr(drilldown, "compute", broken)
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, "btc")
        assert not screen.query_one("#drill").loading  # never an endless spinner
        error = screen.query_one("#drill-error")
        assert error.display
        text = str(error.render())
        assert "Could not explain Bitcoin on 2025-11-20 (1d): ValueError: the cache file" in text
        assert "second line" not in text


def test_every_catalogued_asset_computes(history: History) -> None:
    source = ReplaySource(history)
    for asset in ASSETS:
        data = compute(source, asset.id, DAY, Horizon.D1)
        assert data.explanation is not None and data.explanation.answer


def test_chart_ends_on_the_day_and_keeps_what_followed_apart(history: History) -> None:
    data = compute(ReplaySource(history), "btc", DAY, Horizon.D1)
    chart = data.chart
    assert chart is not None
    assert chart.dates[chart.mark_to] == DAY and chart.after == 20
    assert chart.label(86637.0) == fmt_level(86637.0, BY_ID["btc"].unit) == "86,637"


async def test_chart_keys_and_findings_key(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, "nasdaq100")
        chart = screen.query_one(PlotextChart)
        assert not chart.show_after
        drawn = chart.render().plain
        data = chart.data
        assert data is not None
        low = min(data.values[: data.mark_to + 1])
        assert "ends on the day" in drawn
        assert fmt_level(low, BY_ID["nasdaq100"].unit) in drawn  # y labels as the table shows them
        await pilot.press("w")
        await pilot.pause()
        assert chart.show_after and "closes after" in chart.render().plain
        narrative = str(screen.query_one("#drill-narrative").render())
        assert narrative.count("• ") == FIRST_SCREEN and "press f" in narrative
        await pilot.press("f")
        await pilot.pause()
        narrative = str(screen.query_one("#drill-narrative").render())
        assert narrative.count("• ") > FIRST_SCREEN and "What the data cannot tell" in narrative
        headlines = str(screen.query_one("#drill-headlines").render())
        assert "Nvidia" in headlines
