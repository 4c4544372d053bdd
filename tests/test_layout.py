"""The dashboard's layouts: every pane at 80x24, the standard 120x40, the wide 200x60; the density
key, each pane's order and the closed-market label."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot

from tests.conftest import whole_day_shown
from tui.app import RiskPulseApp
from tui.assets import row
from tui.history import History
from tui.model import Quote
from tui.screens.dashboard import DashboardScreen
from tui.screens.dashboard_layout import auto_layout, pane_title
from tui.screens.help import help_text
from widgets.navigable import NavigableTable, head_labels
from widgets.quote_table import (
    COLUMNS,
    QuoteTable,
    compact_change,
    fmt_sigma,
    funding_text,
    sort_quotes,
)

DAY = date(2025, 11, 20)
PANE_IDS = ("indices", "crypto", "fedwatch", "macro", "fear_greed")


async def _ready(app: RiskPulseApp, pilot: Pilot[None]) -> DashboardScreen:
    await whole_day_shown(app)
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        if (
            isinstance(screen, DashboardScreen)
            and screen.snapshot is not None
            and screen.query("#table-indices")
            and screen.query_one("#table-indices", QuoteTable).row_count
        ):
            await pilot.pause()
            return screen
    raise AssertionError("the dashboard never filled")


def _table(screen: DashboardScreen, pane_id: str) -> NavigableTable:
    return screen.query_one(f"#table-{pane_id}", NavigableTable)


def _header(table: NavigableTable) -> str:
    return "".join(str(c.label) for c in table.columns)


def _order(screen: DashboardScreen, pane_id: str) -> list[str]:
    table = _table(screen, pane_id)
    return list(table.row_keys)


async def test_every_pane_and_row_fits_80x24(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        assert screen.pane_layout == "compact"
        screen_region = screen.region
        for pane_id in PANE_IDS:
            table = _table(screen, pane_id)
            region = table.region
            # Header plus every row, inside the screen between the header bar and the footer.
            assert region.height == table.row_count + 1, pane_id
            assert region.y >= 1 and region.bottom <= screen_region.height - 1, pane_id
            assert region.width == 40, pane_id
            assert sum(c.width for c in table.columns) <= 40, pane_id
        assert _header(_table(screen, "indices")).startswith(" Stock indices")
        assert _header(_table(screen, "fedwatch")).startswith("Fed watch")
        for pane_id, title in (("crypto", "Crypto · USDT"), ("macro", "Gold & macro")):
            assert _header(_table(screen, pane_id)).startswith(f" {title}")
        assert _header(_table(screen, "fear_greed")).startswith(" Fear & greed")


async def test_density_key_toggles_and_is_listed(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        assert "Density" in help_text(screen)  # type: ignore[arg-type]
        await pilot.press("d")
        await pilot.pause()
        assert screen.pane_layout == "standard"
        assert screen.has_class("-layout-standard")
        assert "Chg%" in _header(_table(screen, "indices"))
        await pilot.press("d")
        await pilot.pause()
        assert screen.pane_layout == "compact"  # type: ignore[comparison-overlap]
        await pilot.resize_terminal(200, 60)  # a choice made with the key holds for the session
        await pilot.pause()
        await pilot.pause()
        assert screen.pane_layout == "compact"


@pytest.mark.parametrize(
    ("size", "layout", "spark"),
    [((80, 24), "compact", None), ((120, 40), "standard", None), ((200, 60), "wide", "15d")],
)
async def test_layout_follows_the_size(
    history: History, size: tuple[int, int], layout: str, spark: str | None
) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=size) as pilot:
        screen = await _ready(app, pilot)
        assert screen.pane_layout == layout
        table = _table(screen, "indices")
        labels = {c.key: str(c.label).strip() for c in table.columns}
        assert labels.get("spark") == spark
        assert "sigma" in labels
        assert str(table.get_cell("nasdaq100", "sigma")) == "-2.1"
        if layout == "wide":
            assert str(table.get_cell("nasdaq100", "w1")) == "-3.8%"
            assert str(_table(screen, "macro").get_cell("ust10y", "w1")) == "-1 bp"


def test_auto_layout_from_the_breakpoint_classes() -> None:
    assert auto_layout({"-cols-80", "-rows-short"}) == "compact"
    assert auto_layout({"-cols-100", "-rows-short"}) == "compact"  # 120x30 would scroll
    assert auto_layout({"-cols-100", "-rows-34"}) == "standard"
    assert auto_layout({"-cols-180", "-rows-34"}) == "wide"
    assert pane_title("indices", "compact", "sigma") == "Indices ↓|σ|"
    assert pane_title("indices", "standard", "sigma") == "Stock indices · by |σ|"


def test_head_labels_cut_the_title_before_the_first_label() -> None:
    specs = [("name", "", 11), ("last", "Last", 9), ("pct", "Chg", 8)]
    line = "".join(t.plain for t in head_labels(specs, "A very long pane title", {"name"}))
    assert line == " A very long pa Last     Chg"
    short = "".join(t.plain for t in head_labels(specs, "Fed", {"name"}))
    assert short == " Fed            Last     Chg"


async def test_sorting_cycles_is_titled_and_kept_across_days(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _ready(app, pilot)
        listed = _order(screen, "indices")
        _table(screen, "indices").focus()
        await pilot.press("o")  # by change: rises first
        await pilot.pause()
        assert _order(screen, "indices")[:2] == ["nikkei225", "kospi"]
        assert str(screen.query_one("#pane-indices").border_title).endswith("· by chg")
        await pilot.press("o")  # by |σ|
        await pilot.pause()
        table = screen.query_one("#table-indices", QuoteTable)
        sigmas = [abs(q.sigma or 0) for q in sort_quotes(table.quotes, "sigma")]
        assert sigmas == sorted(sigmas, reverse=True)
        assert _order(screen, "indices")[0] == "nasdaq100"
        assert str(screen.query_one("#pane-indices").border_title) == "Stock indices · by |σ|"
        await pilot.press("right_square_bracket")
        await _ready(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.day == date(2025, 11, 21)
        assert table.sort_by == "sigma"
        assert _order(screen, "crypto") == ["btc", "eth", "sol", "btc_funding", "btc_oi"]
        for _ in range(3):  # name, high, then back to the list's order
            await pilot.press("o")
            await pilot.pause()
        assert _order(screen, "indices") == listed
        assert str(screen.query_one("#pane-indices").border_title) == "Stock indices"


class _Feed:
    """Stands in for the app's SessionsFeed: a new list each time the calendars are read."""

    def __init__(self) -> None:
        self.sessions: list[str] = []


class _ClosedApp(RiskPulseApp):
    def __init__(self, history: History, shut: Callable[[], bool]) -> None:
        super().__init__(replay=DAY, history=history)
        self.feed = _Feed()
        self.sessions = self.feed  # type: ignore[assignment]
        self.shut = shut
        self.asked: list[str] = []

    def close_label(self, asset_id: str, as_of: date | None) -> str | None:
        self.asked.append(asset_id)
        if asset_id == "sp500" and self.shut() and as_of is not None:
            return f"close {as_of:%m-%d}"
        return None


@pytest.mark.parametrize(
    ("size", "shown"),
    [((80, 24), "c11-20"), ((120, 40), "cl 11-20"), ((200, 60), "close 11-20")],
)
async def test_a_shut_markets_row_says_close(
    history: History, size: tuple[int, int], shown: str
) -> None:
    read: dict[str, Any] = {"yet": False}
    app = _ClosedApp(history, lambda: bool(read["yet"]))
    async with app.run_test(size=size) as pilot:
        screen = await _ready(app, pilot)
        assert app.asked == []  # replayed days are closes: the calendars are not asked for
        closes = screen._closes
        closes.update(screen.snapshot)  # as the live path does with each live snapshot
        await pilot.pause()
        table = screen.query_one("#table-indices", QuoteTable)
        assert (
            str(table.get_cell("sp500", "date")).strip() == ""
        )  # calendars not read yet: no claim
        read["yet"] = True
        app.feed.sessions = ["read"]
        closes._poll()  # the timer's tick: a new reading arrived
        await pilot.pause()
        cell = table.get_cell("sp500", "date")
        assert isinstance(cell, Text) and cell.plain.rstrip() == shown
        assert str(table.get_cell("nasdaq100", "date")).strip() == ""
        closes.update(None)  # back to a replayed day
        await pilot.pause()
        assert str(table.get_cell("sp500", "date")).strip() == ""


def test_sigma_text_never_outgrows_its_column() -> None:
    assert fmt_sigma(-2.14) == "-2.1" and fmt_sigma(12.4) == "+12" and fmt_sigma(None) == "—"
    assert all(len(fmt_sigma(v)) <= 4 for v in (-9.96, 99.4, -999.4, 1e6, -1e6))


def test_funding_fits_the_change_column() -> None:
    assert funding_text("+9.9%/yr") == "+9.9%/y"
    assert funding_text("+32.9%/yr") == "+33%/y"
    assert funding_text("-110.4%/yr") == "-110%/y"
    assert funding_text("+9.9%/yr", 6) == "+10%/y"
    assert funding_text("-110.4%/yr", 6) == "-110%"


def _quote(asset_id: str, change: float, pct: float | None, detail: str | None = None) -> Quote:
    asset = row(asset_id)
    assert asset is not None
    return Quote(
        asset_id,
        asset.symbol,
        asset.name,
        1.0,
        change,
        pct,
        DAY,
        "test",
        unit=asset.unit,
        detail=detail,
    )


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        (_quote("vix", 2.76, 11.67), "+11.7%"),
        (_quote("nvda", 10.0, -9.994), "-9.99%"),
        (_quote("btc", 1.0, 123.4), "+123%"),
        (_quote("ust10y", -1.0, None), "-100bp"),
        (_quote("ust10y", -0.03, None), "-3 bp"),
        (_quote("btc_funding", -0.001, None, "+9.1%/yr"), "+9%/y"),
    ],
)
def test_the_compact_change_fits_six_characters(quote: Quote, shown: str) -> None:
    assert compact_change(quote) == shown
    assert sum(w for _, _, w in COLUMNS["compact"]) == 40


async def test_the_left_panes_keep_a_gutter_at_80_columns(history: History) -> None:
    """On a Saturday every index shows Friday's date: it never runs into the arrow of the macro
    row beside it (`10-03▲Gold`)."""
    app = RiskPulseApp(replay=date(2025, 10, 4), history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        strips = app.screen._compositor.render_strips()
    lines = ["".join(segment.text for segment in strip) for strip in strips][1:-1]
    beside = [line for line in lines if len(line) > 40 and line[40] != " "]
    assert len(beside) >= 9  # index rows beside macro rows with an arrow, their dates shown
    assert all(line[39] == " " for line in beside), beside
    assert any("10-03 ▲Gold" in line for line in lines)


async def test_live_rows_of_shut_markets_are_labelled_once_the_calendars_answer(
    history: History, tmp_path: Any
) -> None:
    """The live path asks for the labels itself (replay never does) and labels again when a
    calendar reading arrives."""
    from tests.loopback import serving
    from tests.test_app import live_app, wait_until

    asked: list[str] = []
    feed = _Feed()

    def close_label(asset_id: str, as_of: date | None) -> str | None:
        asked.append(asset_id)
        if asset_id == "gold" and feed.sessions and as_of is not None:
            return f"close {as_of:%m-%d}"
        return None

    with serving() as server:
        app = live_app(history, tmp_path, server.url)
        app.sessions = feed  # type: ignore[assignment]
        app.close_label = close_label  # type: ignore[method-assign]
        async with app.run_test(size=(200, 60)) as pilot:

            def gold_label() -> str:
                # The recorded answers are all stale at the test's clock, and a stale row keeps
                # its `!` date: the label pushed into the pane is what is checked here (its
                # display is test_a_shut_markets_row_says_close's).
                screen = app.screen
                if not screen.query("#table-macro"):
                    return ""
                return screen.query_one("#table-macro", QuoteTable).closes.get("gold", "")

            await wait_until(pilot, lambda: "gold" in asked)
            assert gold_label() == ""  # nothing read yet: no claim
            feed.sessions = ["read"]
            await wait_until(pilot, lambda: gold_label().startswith("close "))
            assert "btc" in asked


async def test_a_short_wide_terminal_gets_every_pane_with_the_standard_columns(
    history: History,
) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _ready(app, pilot)
        assert screen.pane_layout == "compact"  # 30 rows: the bordered panes would scroll
        indices = screen.query_one("#table-indices", QuoteTable)
        assert indices.column_set == "standard"
        assert str(indices.get_cell("nasdaq100", "chg")) == "-586"
        for pane_id in PANE_IDS:
            table = _table(screen, pane_id)
            assert table.region.bottom <= 29 and table.region.height == table.row_count + 1
