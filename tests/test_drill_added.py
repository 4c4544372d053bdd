"""The drill-down of a symbol the user added (Pilot): in live mode it fetches the symbol's year of
daily history when the cache holds too little, then sizes the move in σ and attributes it to its
market; while it fetches it says so, and when the fetch fails or the history is short it says
that, with the count. In replay it says the bundle does not hold the symbol.

Against the loopback server: the recorded v7 quote of AAPL (244.60, 2025-02-14), and for its
chart either the recorded AAPL chart (49 real daily closes, 2020-08-31 … 2020-11-06) or, since no
year of AAPL is recorded, a stand-in: NVDA's bundled year to 2025-02-14 in the recorded chart's
envelope, rescaled so its last close is the recorded quote's (the returns, which σ and the
regression read, are NVDA's own; the quote and the history agree on the day's close).
"""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from tests.loopback import FIXTURES, Server, chart_stand_in, serving
from tests.test_app import shown, wait_until
from tui.app import RiskPulseApp
from tui.assets import unregister_users
from tui.config import load
from tui.history import History
from tui.screens.drilldown import DrillDownScreen

QUOTE_DAY = date(2025, 2, 14)
QUOTE = 244.60
CONFIG = textwrap.dedent(
    """\
    [watchlists]
    indices = ["sp500", "nasdaq100", "AAPL"]

    [symbols."AAPL"]
    source = "yahoo"
    name = "Apple Inc."
    class = "single stock"
    region = "us"
    tz = "America/New_York"
    exchange = "NasdaqGS"
    currency = "USD"
    decimals = 2
    """
)


@pytest.fixture(autouse=True)
def _catalogue() -> Iterator[None]:
    unregister_users()
    yield
    unregister_users()


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    from tui import scheduler
    from tui.sources import SOURCE_IDS

    with serving() as srv:
        for sid in SOURCE_IDS:
            monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", srv.url)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        path = tmp_path / "config.toml"
        path.write_text(CONFIG)
        monkeypatch.setenv("RISKPULSE_CONFIG", str(path))
        # The round backfill waits: any chart request in these tests is the drill-down's own.
        monkeypatch.setattr(scheduler, "BACKFILL_AFTER", 3600.0)
        yield srv


def stand_in_year() -> list[tuple[date, float]]:
    series = History().series("nvda")
    i = series.index_at(QUOTE_DAY)
    assert series.dates[i] == QUOTE_DAY
    scale = QUOTE / series.values[i]
    days, values = series.dates[i - 251 : i + 1], series.values[i - 251 : i + 1]
    return [(d, round(v * scale, 4)) for d, v in zip(days, values, strict=True)]


def recorded_aapl_chart() -> bytes:
    return (FIXTURES / "chart_v8_AAPL_1d_2020-08-31_2020-11-07_split.json").read_bytes()


def live_app(tmp_path: Path, now: datetime) -> RiskPulseApp:
    from tui import live_session

    cfg = load(tmp_path / "config.toml")
    clock = now.timestamp()
    return RiskPulseApp(
        history=History(),
        watchlists=cfg.watchlists,
        live=lambda: live_session.start(cfg, lambda: clock, retries=0),
        refresh=cfg.refresh,
        config_path=tmp_path / "config.toml",
    )


def charts(server: Server) -> list[str]:
    return [p for _, p in server.requests if p.startswith("/v8/finance/chart/")]


def drill(app: RiskPulseApp) -> DrillDownScreen:
    screen = app.screen
    assert isinstance(screen, DrillDownScreen)
    return screen


def text_of(app: RiskPulseApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def open_aapl(pilot: Any, app: RiskPulseApp) -> DrillDownScreen:
    await wait_until(pilot, lambda: shown(app, "indices", "aapl", "last") == "244.60")
    dash = app.dashboard()
    assert dash is not None
    table: Any = dash.query_one("#table-indices")  # whichever table class draws the pane
    table.focus()
    table.move_cursor(row=table.get_row_index("aapl"))
    await pilot.press("enter")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "DrillDownScreen")
    screen = drill(app)
    await wait_until(pilot, lambda: screen._last is not None, limit=30)
    return screen


async def test_opening_an_added_symbol_fetches_its_year_then_sizes_and_attributes_it(
    server: Server, tmp_path: Path
) -> None:
    year = stand_in_year()
    server.stand_ins["/v8/finance/chart/AAPL"] = chart_stand_in("AAPL", year)
    app = live_app(tmp_path, datetime(2025, 2, 14, 21, 30, tzinfo=UTC))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_aapl(pilot, app)
        assert charts(server) == ["/v8/finance/chart/AAPL?range=1y&interval=1d"]
        session = app.dashboard().session  # type: ignore[union-attr]
        assert session is not None and session.store is not None
        assert session.store.history("aapl") == year  # the year is in the cache
        assert screen._last is not None
        exp = screen._last.explanation
        assert exp is not None and exp.move.day == QUOTE_DAY
        assert exp.move.sigma is not None and exp.move.rank_1y is not None
        market = exp.attribution.market() if exp.attribution else None
        assert market is not None and market.factor.id == "nasdaq100" and market.shown
        assert "Nasdaq 100" in text_of(app, "#drill-bars")
        assert "US tech stocks" in text_of(app, "#drill-narrative")
        moves = screen.query_one("#drill-moves", DataTable)
        assert str(moves.get_row_at(0)[2]) == f"{exp.move.sigma:+.1f}σ"
        assert "close 244.60" in text_of(app, "#drill-title")
        assert not screen.query_one("#drill-fetch").display  # the fetch line is gone
        # Back and in again: the history is there, nothing is fetched twice.
        await pilot.press("escape", "enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DrillDownScreen")
        await app.workers.wait_for_complete()
        assert len(charts(server)) == 1


async def test_a_recorded_49_day_chart_is_too_short_and_the_drill_down_says_so(
    server: Server, tmp_path: Path
) -> None:
    server.stand_ins["/v8/finance/chart/AAPL"] = recorded_aapl_chart()
    app = live_app(tmp_path, datetime(2020, 11, 6, 21, 30, tzinfo=UTC))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_aapl(pilot, app)
        assert screen._last is not None
        exp = screen._last.explanation
        assert exp is not None and exp.move.day == date(2020, 11, 6)
        said = (
            "too little history to size this move (47 daily returns before the day; 60 are needed)"
        )
        assert exp.move.sigma is None and said in exp.answer[0]
        assert said in text_of(app, "#drill-answer")
        bars = text_of(app, "#drill-bars")  # one of the 47 days lacks a factor's close
        assert "only 46 complete days of factor data before 2020-11-06; 60 are needed" in bars
        moves = screen.query_one("#drill-moves", DataTable)
        assert str(moves.get_row_at(0)[2]) == "—"  # no σ made up


async def test_the_fetch_is_said_while_it_runs_and_its_failure_after(
    server: Server, tmp_path: Path
) -> None:
    app = live_app(tmp_path, datetime(2025, 2, 14, 21, 30, tzinfo=UTC))
    release = asyncio.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: shown(app, "indices", "aapl", "last") == "244.60")
        session = app.dashboard().session  # type: ignore[union-attr]
        assert session is not None
        fill = session.live.backfill_asset

        async def held(asset_id: str) -> str | None:
            await release.wait()
            return await fill(asset_id)  # no chart of AAPL is served: 404

        session.live.backfill_asset = held  # type: ignore[method-assign]
        dash = app.dashboard()
        assert dash is not None
        table: Any = dash.query_one("#table-indices")  # whichever table class draws the pane
        table.focus()
        table.move_cursor(row=table.get_row_index("aapl"))
        await pilot.press("enter")

        def line() -> str:
            return text_of(app, "#drill-fetch")

        await wait_until(pilot, lambda: line() == "Fetching a year of daily history for AAPL…")
        assert app.screen.query_one("#drill").loading
        release.set()
        await wait_until(pilot, lambda: line().startswith("Could not fetch"))
        assert line().startswith("Could not fetch a year of daily history for AAPL (Yahoo chart: ")
        assert "404" in line() and line().endswith("explained on what the cache holds.")
        screen = drill(app)
        await wait_until(pilot, lambda: screen._last is not None)
        # The cache holds the live quote's close alone: said with its count.
        assert "the history starts too late for this horizon (1 daily close from 2025-02-14)" in (
            text_of(app, "#drill-answer")
        )


async def test_in_replay_the_drill_down_of_an_added_symbol_says_the_bundle_lacks_it(
    server: Server, tmp_path: Path
) -> None:
    cfg = load(tmp_path / "config.toml")
    app = RiskPulseApp(replay=date(2025, 11, 20), watchlists=cfg.watchlists)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: shown(app, "indices", "aapl", "last") != "")
        app.open_asset("aapl")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DrillDownScreen")
        screen = drill(app)
        await wait_until(pilot, lambda: screen._last is not None)
        assert text_of(app, "#drill-answer") == (
            "Apple Inc.: no daily closes of AAPL on or before 2025-11-20: the bundled data do "
            "not hold this added symbol."
        )
        assert text_of(app, "#drill-fetch") == (
            "Replay reads the bundled data only: AAPL's daily history is fetched in live mode."
        )
        title = text_of(app, "#drill-title")
        assert "close —" in title and "None" not in title  # no close, and no "last close None"
        assert not charts(server)  # replay fetches nothing
