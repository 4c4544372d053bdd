"""The dashboard and drill-down driven with the keyboard, asserting on what the screen shows."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from tui.app import RiskPulseApp
from tui.history import History
from tui.screens.dashboard import DashboardScreen
from tui.screens.drilldown import DrillDownScreen
from tui.screens.help import HelpScreen
from widgets.quote_table import QuoteTable
from widgets.status_bar import StatusBar

DAY = date(2025, 11, 20)


async def settle(app: RiskPulseApp) -> None:
    await app.workers.wait_for_complete()
    await app.workers.wait_for_complete()


def dashboard(app: RiskPulseApp) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def cell(app: RiskPulseApp, pane: str, row: str, column: str) -> str:
    table = app.screen.query_one(f"#table-{pane}", QuoteTable)
    return str(table.get_cell(row, column))


async def test_five_panes_and_header(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        screen = dashboard(app)
        titles = [str(p.border_title) for p in screen.query(".pane")]
        assert titles == [
            "Stock indices",
            "Crypto · USDT",
            "Fed watch",
            "Gold & macro",
            "Fear & greed",
        ]
        status = screen.query_one(StatusBar)
        assert status.mode == "REPLAY 2025-11-20"
        assert status.breadth == "broad risk-off: 8 of 13 risk assets down"
        assert cell(app, "indices", "nasdaq100", "pct") == "-2.38%"
        assert cell(app, "crypto", "btc", "last") == "86,637"
        assert cell(app, "macro", "ust10y", "chg") == "-3 bp"


async def test_day_keys_change_the_numbers(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.press("right_square_bracket")
        await settle(app)
        await pilot.pause()
        screen = dashboard(app)
        assert screen.day == date(2025, 11, 21)
        assert screen.query_one(StatusBar).mode == "REPLAY 2025-11-21"
        assert cell(app, "indices", "hang_seng", "pct") == "-2.38%"
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app)
        await pilot.pause()
        assert screen.day == date(2025, 11, 19)


async def test_enter_on_a_crypto_row_opens_its_drill_down_and_esc_returns(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.press("tab")  # indices → crypto
        assert app.focused is not None and app.focused.id == "table-crypto"
        await pilot.press("down", "enter")  # ETH
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, DrillDownScreen)
        assert app.screen.asset.id == "eth"
        title = str(app.screen.query_one("#drill-title").render())
        assert "Ether" in title and "2025-11-20" in title
        moves = app.screen.query_one("#drill-moves")
        assert "-6.32%" in str(moves.get_cell_at((0, 1)))  # type: ignore[attr-defined]
        await pilot.press("5")
        await settle(app)
        await pilot.pause()
        assert "5d move" in str(app.screen.query_one("#drill-bars").render())
        await pilot.press("n")  # next asset: SOL
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, DrillDownScreen) and app.screen.asset.id == "sol"
        await pilot.press("right_square_bracket")
        await settle(app)
        await pilot.pause()
        assert "2025-11-21" in str(app.screen.query_one("#drill-title").render())
        assert "Solana moved" in str(app.screen.query_one("#drill-narrative").render())
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        assert app.focused is not None and app.focused.id == "table-crypto"


async def test_arrows_walk_across_panes(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        await pilot.press("l")
        assert app.focused is not None and app.focused.id == "table-macro"
        await pilot.press("h")
        assert app.focused is not None and app.focused.id == "table-indices"
        await pilot.press(*["j"] * 11)  # past NVDA, the last index row, into crypto
        assert app.focused is not None and app.focused.id == "table-crypto"
        await pilot.press("k")
        assert app.focused is not None and app.focused.id == "table-indices"
        await pilot.press("shift+tab")
        assert app.focused is not None and app.focused.id == "table-fear_greed"


async def test_goto_date(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.press("g")
        field = app.screen.query_one(Input)
        field.value = "2026-01-30"
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert dashboard(app).day == date(2026, 1, 30)
        assert cell(app, "macro", "silver", "pct") == "-31.35%"


async def test_goto_rejects_days_outside_the_bundle(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.press("g")
        app.screen.query_one(Input).value = "2031-01-01"
        await pilot.press("enter")
        assert "Outside the bundled data" in str(app.screen.query_one("#goto-error").render())
        await pilot.press("escape")
        assert dashboard(app).day == DAY


async def test_help_lists_the_keys(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for words in ("Prev day", "Next day", "Go to date", "Quit", "drill-down"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_q_quits_cleanly(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.press("q")
    assert app.return_code == 0


async def test_resize_does_not_crash(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app)
        for size in ((80, 24), (120, 40), (60, 20), (200, 60)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert cell(app, "indices", "sp500", "pct") == "-1.56%"


async def test_palette_opens_an_asset(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        app.open_asset("gold")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, DrillDownScreen) and app.screen.asset.id == "gold"


async def test_without_replay_it_offers_the_bundle(history: History) -> None:
    app = RiskPulseApp(replay=None, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        notice = str(app.screen.query_one("#notice").render())
        assert "No live source" in notice
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
        assert dashboard(app).day == history.span()[1]


async def test_theme_switch_recolours(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history, theme_name="riskpulse-red-up")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        assert app.theme == "riskpulse-red-up"
        assert app.theme_variables["gain"].lower() == "#f85149"
