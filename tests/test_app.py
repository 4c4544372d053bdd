"""The dashboard and drill-down driven with the keyboard, asserting on what the screen shows."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.conftest import whole_day_shown
from tests.loopback import serving
from tests.test_live import NOW
from tui import live_session
from tui.app import RiskPulseApp
from tui.history import History
from tui.live_session import LiveSession
from tui.model import Snapshot
from tui.screens.dashboard import DashboardScreen
from tui.screens.drilldown import DrillDownScreen
from tui.screens.help import HelpScreen
from tui.sources import SOURCE_IDS
from tui.store import Store
from widgets.fit_line import FitLine
from widgets.quote_table import QuoteTable
from widgets.status_bar import StatusBar

DAY = date(2025, 11, 20)


async def settle(app: RiskPulseApp) -> None:
    await whole_day_shown(app)


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
        assert status.breadth[0] == "narrow risk-off: 6 of 13 fell ≥1σ (crypto, us), 8 down"
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
        assert "Live data is off" in notice
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
        assert dashboard(app).day == history.latest_full_day()


async def test_theme_switch_recolours(history: History) -> None:
    app = RiskPulseApp(replay=DAY, history=history, theme_name="riskpulse-red-up")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        assert app.theme == "riskpulse-red-up"
        assert app.theme_variables["gain"].lower() == "#f85149"


# -- live mode against the loopback server ---------------------------------------------------


def shown(app: RiskPulseApp, pane: str, row: str, column: str) -> str:
    """A cell's text, or an empty string while the row is not there yet."""
    try:
        return cell(app, pane, row, column)
    except Exception:  # CellDoesNotExist, or the panes not mounted yet
        return ""


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], limit: float = 20) -> None:
    """Let the app run until `condition` holds: loopback answers arrive within milliseconds,
    and `limit` seconds only bounds a broken run."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition never held")
        await pilot.pause()
        await asyncio.sleep(0.005)


def live_app(history: History, store_dir: Path, urls: str) -> RiskPulseApp:
    from tui.config import Config

    cfg = Config(store_dir / "none.toml", False, timeout=5)  # loopback answers at once
    env = {f"RISKPULSE_{s.upper()}_URL": urls for s in SOURCE_IDS}
    env["XDG_CACHE_HOME"] = str(store_dir)

    def factory() -> LiveSession:
        return live_session.start(cfg, lambda: NOW, retries=0, environ=env)

    return RiskPulseApp(history=history, live=factory, refresh=cfg.refresh)


async def test_live_panes_show_the_recorded_answers(history: History, tmp_path: Path) -> None:
    with serving() as server:
        app = live_app(history, tmp_path, server.url)
        async with app.run_test(size=(120, 40)) as pilot:
            status = dashboard(app).query_one(StatusBar)
            await wait_until(pilot, lambda: shown(app, "macro", "gold", "last") not in ("", "—"))
            await wait_until(pilot, lambda: shown(app, "crypto", "btc", "last") not in ("", "—"))
            assert status.mode == "LIVE"
            assert cell(app, "macro", "gold", "last") == "2,910.30"
            assert cell(app, "crypto", "btc", "last") == "79,092"
            assert cell(app, "indices", "sp500", "last") == "—"  # no recording: no number
            pane = dashboard(app).query_one("#pane-crypto")
            assert str(pane.border_title) == "Crypto · USD"
    # The snapshot was kept for the next start.
    assert Store(tmp_path / "riskpulse" / "cache.sqlite3").load_snapshot() is not None


async def test_live_start_shows_the_cache_marked_cached(history: History, tmp_path: Path) -> None:
    with serving() as server:
        app = live_app(history, tmp_path, server.url)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: shown(app, "macro", "gold", "last") not in ("", "—"))
            await wait_until(pilot, lambda: dashboard(app).live_snapshot is not None)
    offline = live_app(history, tmp_path, "http://127.0.0.1:9")
    async with offline.run_test(size=(120, 40)) as pilot:
        status = dashboard(offline).query_one(StatusBar)
        await wait_until(pilot, lambda: status.mode.startswith("CACHED"))
        await wait_until(pilot, lambda: shown(offline, "macro", "gold", "last") != "")
        assert cell(offline, "macro", "gold", "last") == "2,910.30"
        await wait_until(pilot, lambda: "failing" in status.as_of[0])
        assert status.mode.startswith("CACHED")  # never shown as live
        assert cell(offline, "macro", "gold", "date").endswith("!")  # marked stale


async def test_no_cache_and_no_network_offers_replay(history: History, tmp_path: Path) -> None:
    app = live_app(history, tmp_path, "http://127.0.0.1:9")
    async with app.run_test(size=(120, 40)) as pilot:
        notice = app.screen.query_one("#notice", Static)
        await wait_until(pilot, lambda: bool(notice.display))
        await wait_until(pilot, lambda: "nothing cached" in str(notice.render()))
        assert "r replays the latest bundled day" in str(notice.render())
        assert dashboard(app).query_one(StatusBar).mode == "OFFLINE"  # neither live nor cached
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
        assert dashboard(app).day == history.latest_full_day()
        assert dashboard(app).query_one(StatusBar).mode.startswith("REPLAY")


async def test_live_faults_are_shown_and_the_next_refresh_recovers(
    history: History, tmp_path: Path
) -> None:
    with serving() as server:
        for source in ("yahoo", "coingecko", "binance"):
            server.faults[source] = "500"
        app = live_app(history, tmp_path, server.url)
        async with app.run_test(size=(120, 40)) as pilot:
            dash = dashboard(app)
            status = dash.query_one(StatusBar)

            def failing() -> set[str]:
                snap = dash.live_snapshot
                return {h.id for h in snap.sources if h.error} if snap else set()

            await wait_until(pilot, lambda: {"yahoo", "coingecko", "binance"} <= failing())
            await wait_until(pilot, lambda: "sources failing" in status.as_of[0])
            assert status.mode == "LIVE"  # the others answered
            assert shown(app, "crypto", "btc", "last") == "—"
            assert shown(app, "crypto", "btc", "date") == "!"
            server.faults.clear()
            for source in ("yahoo", "coingecko"):  # what the next timer would run
                assert dash.scheduler is not None
                await dash.scheduler.refresh(source)
            await wait_until(pilot, lambda: shown(app, "crypto", "btc", "last") == "79,092")
            assert shown(app, "macro", "gold", "last") == "2,910.30"
            # Recorded on 2025-02-17: its full date, stale (its market has traded since).
            assert shown(app, "macro", "gold", "date") == "17Feb25!"


async def test_a_cell_whose_style_alone_changes_is_repainted(history: History) -> None:
    """rich's Text equality ignores the style: a stale row turning fresh must still repaint."""
    from rich.text import Text

    from widgets.navigable import NavigableTable

    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        table = app.screen.query_one("#table-indices", NavigableTable)
        columns = len(table.columns)
        plain = [Text(f"c{i}") for i in range(columns)]
        styled = [Text(f"c{i}", style="bold red") for i in range(columns)]
        table.show_rows([("x", plain)])
        table.show_rows([("x", styled)])
        await pilot.pause()
        shown_cell = table.get_cell("x", table.columns[0].key)
        assert isinstance(shown_cell, Text) and shown_cell.style == "bold red"


async def test_switching_theme_recolours_every_table_at_once(history: History) -> None:
    from rich.style import Style
    from rich.text import Text

    from widgets.fear_greed_table import FearGreedTable
    from widgets.palette import theme_colour

    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        app.theme = "riskpulse-red-up"
        await pilot.pause()
        table = app.screen.query_one("#table-indices", QuoteTable)
        chg = table.get_cell("nasdaq100", "chg")
        assert isinstance(chg, Text)
        loss = theme_colour(app, "loss").rich_color
        assert chg.style and chg.style.color == loss  # type: ignore[union-attr]
        fg = app.screen.query_one(FearGreedTable)
        colours = {
            Style.parse(str(c.style)).color
            for r in range(fg.row_count)
            for c in fg.get_row_at(r)
            if isinstance(c, Text) and c.style
        }
        assert loss in colours or theme_colour(app, "gain").rich_color in colours


async def test_a_days_numbers_come_first_then_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a cold start the quotes are shown from the lines around the day before the history is
    read; the complete snapshot (Fed watch, fear & greed, breadth in σ) follows once they are
    painted."""
    calls: list[tuple[str, bool, int]] = []
    app = RiskPulseApp(replay=DAY, history=History())  # a fresh history: nothing read yet
    source = app.source
    numbers, whole = source.numbers, source.snapshot

    def indices_rows() -> int:
        dash = app.dashboard()
        tables = dash.query("#table-indices") if dash is not None else None
        return tables.first(QuoteTable).row_count if tables else 0

    def spy_numbers(day: date) -> Snapshot:
        calls.append(("numbers", source.history.loaded_all(), indices_rows()))
        return numbers(day)

    def spy_whole(day: date) -> Snapshot:
        calls.append(("snapshot", source.history.loaded_all(), indices_rows()))
        return whole(day)

    monkeypatch.setattr(source, "numbers", spy_numbers)
    monkeypatch.setattr(source, "snapshot", spy_whole)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        # The numbers came from the day's lines, with nothing read; the whole snapshot was
        # asked for only once they were in the table.
        assert calls[0] == ("numbers", False, 0)
        assert calls[1][0] == "snapshot" and calls[1][2] > 0
        assert cell(app, "indices", "nasdaq100", "pct") == "-2.38%"
        status = dashboard(app).query_one(StatusBar)
        assert "≥1σ" in status.breadth[0]  # the sized sentence replaced "sizing the moves…"


async def test_no_color_drill_down_opens(history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR keeps every screen working: the drill-down's chart is drawn colourless."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        assert app.no_color
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, DrillDownScreen)
        assert "Nasdaq" in app.export_screenshot() or "S&P" in app.export_screenshot()


async def test_the_days_either_side_are_composed_while_one_is_read(history: History) -> None:
    """`]` and `[` land on a snapshot composed while the user read the day before: the panes
    change in the key's own frame, with no thread to wait for."""
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        days = history.trading_days()
        after, before = days[days.index(DAY) + 1], days[days.index(DAY) - 1]
        kept_after = app.source.kept(after)
        assert kept_after is not None and app.source.kept(before) is not None
        await pilot.press("right_square_bracket")
        dash = dashboard(app)
        assert dash.day == after and dash.snapshot is kept_after  # before any worker ran
        await settle(app)
        assert app.source.kept(days[days.index(after) + 1]) is not None  # and on it goes


async def test_the_replay_drill_down_is_kept_and_retargeted(history: History) -> None:
    """Enter opens one kept drill-down, re-targeted to the row and day: it explains the new
    asset from scratch (1-day horizon, first findings), never the last one's answer."""
    from tui.screens.drilldown import DrillDownScreen

    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.press("enter")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, DrillDownScreen)
        first: DrillDownScreen = screen
        assert first.asset.id == "sp500"
        await pilot.press("5", "f")
        await settle(app)
        assert first.horizon.value == "5d" and first.all_findings
        await pilot.press("escape", "down", "enter")
        await settle(app)
        await pilot.pause()
        assert app.screen is screen
        assert first.asset.id == "nasdaq100"
        assert first.horizon.value == "1d" and not first.all_findings
        title = str(first.query_one("#drill-title", FitLine).render())
        assert title.startswith("Nasdaq 100") and "2025-11-20" in title
        await pilot.press("escape", "right_square_bracket", "enter")
        await settle(app)
        await pilot.pause()
        assert app.screen is screen
        assert first.day == date(2025, 11, 21)
        assert "2025-11-21" in str(first.query_one("#drill-title", FitLine).render())


async def _enter_drill(pilot: Pilot[None], app: RiskPulseApp) -> DrillDownScreen:
    """Press Enter on the dashboard and wait for the drill-down."""
    await pilot.press("enter")
    await _until(pilot, lambda: isinstance(app.screen, DrillDownScreen))
    screen = app.screen
    assert isinstance(screen, DrillDownScreen)
    return screen


async def _composing_ahead(pilot: Pilot[None], app: RiskPulseApp) -> DashboardScreen:
    """As if the warm-up had just ended: the kept drill-down replaced by a fresh one being
    composed ahead (not yet mounted)."""
    dash = dashboard(app)
    await _until(pilot, lambda: dash._drill_warm)
    assert dash._drill is not None
    app.uninstall_screen(dash._drill)
    dash._drill = None
    dash._compose_drill(dash._answers[("sp500", DAY)])
    return dash


async def _until(pilot: Pilot[None], done: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


@pytest.mark.parametrize("slow", [False, True])
async def test_enter_shows_the_drill_down_with_its_answer(
    history: History, monkeypatch: pytest.MonkeyPatch, slow: bool
) -> None:
    """The replay drill-down is shown once its answer is in, complete, with no spinner over it
    (first Enter and re-targets alike); an answer slower than DRILL_WAIT shows the screen first,
    with the spinner, and then the answer. Deterministic: the wait is long in the first case,
    and in the second the answer is held until the spinner has been seen."""
    import threading

    from textual.widget import Widget

    from tui.screens import dashboard as dash_module
    from tui.screens import drill_data, drilldown

    spins: list[bool] = []
    original = Widget.set_loading

    def recorded(self: Widget, loading: bool) -> None:
        if self.id == "drill":
            spins.append(loading)
        original(self, loading)

    monkeypatch.setattr(Widget, "set_loading", recorded)
    # Not the rows' answers computed ahead (tested below): each Enter computes its own here.
    monkeypatch.setattr(DashboardScreen, "_explain_ahead", lambda self, asset_id: None)
    release = threading.Event()
    if slow:
        monkeypatch.setattr(dash_module, "DRILL_WAIT", 0.05)
        real = drill_data.compute

        def held(*args: object, **kwargs: object) -> drill_data.DrillData:
            assert release.wait(10)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(drill_data, "compute", held)
        monkeypatch.setattr(drilldown, "compute", held)
    else:
        monkeypatch.setattr(dash_module, "DRILL_WAIT", 60.0)
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        # The drill-down's modules and panel load once the numbers are painted (an Enter
        # before that is answered all the same, by the screen itself if need be).
        await _until(pilot, lambda: "panel" in history.memo)
        for name in ("S&P 500", "Nasdaq 100", "Dow"):
            release.clear()
            await pilot.press("enter")
            await _until(pilot, lambda: isinstance(app.screen, DrillDownScreen))
            screen = app.screen
            assert isinstance(screen, DrillDownScreen)
            first_title = screen.query_one("#drill-title", FitLine).text
            if slow:
                await _until(pilot, lambda: True in spins)
                release.set()
            await _until(pilot, lambda: screen._last is not None)  # noqa: B023
            title = screen.query_one("#drill-title", FitLine).text
            assert title.startswith(name), title
            if slow:
                assert spins[-1] is False
            else:
                assert spins == [] and first_title == title  # complete when first shown
            spins.clear()
            await pilot.press("escape", "down")
            await _until(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def test_the_row_the_cursor_rests_on_is_explained_ahead(
    history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In replay the drill-down's answer for the highlighted row is computed while the user
    reads: Enter on it shows that answer without computing again, and the cursor's last row
    of a burst is the one computed."""
    from tui.screens import drill_data, drilldown

    asked: list[str] = []
    real = drill_data.compute

    def counted(source: object, asset_id: str, *args: object) -> drill_data.DrillData:
        asked.append(asset_id)
        return real(source, asset_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(drill_data, "compute", counted)
    monkeypatch.setattr(drilldown, "compute", counted)
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        dash = dashboard(app)
        await _until(pilot, lambda: dash._drill_warm)
        await pilot.press("down", "down")
        await _until(pilot, lambda: ("dow", DAY) in dash._answers)
        await app.workers.wait_for_complete()
        assert asked.count("dow") == 1
        before = len(asked)
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, DrillDownScreen))
        screen = app.screen
        assert isinstance(screen, DrillDownScreen) and screen.answer is not None
        assert screen.answer is dash._answers[("dow", DAY)]
        assert screen.query_one("#drill-title", FitLine).text.startswith("Dow")
        await app.workers.wait_for_complete()
        assert len(asked) == before  # shown from the answer computed ahead


async def test_a_theme_changed_while_the_drill_down_was_away_reaches_it(history: History) -> None:
    """The kept drill-down skips restyling when it is shown again with the theme it was styled
    with; a theme chosen while it was away restyles it all the same."""
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        screen = await _enter_drill(pilot, app)
        dark = screen.styles.background
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        app.theme = "riskpulse-light"
        await pilot.pause()
        await pilot.press("down", "enter")
        await _until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        light = app.get_theme("riskpulse-light")
        assert light is not None and light.background is not None
        assert screen.styles.background != dark
        assert screen.styles.background.hex.lower() == light.background.lower()


@pytest.mark.parametrize("how", ["enter", "next asset", "next day"])
async def test_another_asset_or_day_starts_at_the_top(history: History, how: str) -> None:
    """The kept drill-down scrolled down on one asset shows the next asset (or day) from the
    top of its answer, findings and headlines."""
    from textual.containers import VerticalScroll

    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        screen = await _enter_drill(pilot, app)
        await _until(pilot, lambda: screen.answer is not None)
        boxes = list(screen.query(VerticalScroll))
        for box in boxes:
            box.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert any(box.scroll_y > 0 for box in boxes)
        first = screen.answer
        if how == "enter":
            await pilot.press("escape", "down", "enter")
        elif how == "next asset":
            await pilot.press("n")
        else:
            await pilot.press("right_square_bracket")
        await _until(pilot, lambda: screen.answer is not None and screen.answer is not first)
        await _until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert [box.scroll_y for box in boxes] == [0] * len(boxes)


async def test_all_findings_put_the_keys_on_them(history: History) -> None:
    """`f` shows every finding and gives the findings the keys, so PageDown reads on below the
    fold (they are tinted while they have them)."""
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        screen = await _enter_drill(pilot, app)
        await _until(pilot, lambda: screen.answer is not None)
        await pilot.press("f")
        await pilot.pause()
        findings = screen.query_one("#drill-findings")
        assert screen.all_findings and findings.has_focus
        await pilot.press("pagedown")
        await pilot.pause()
        assert findings.scroll_y > 0


async def test_the_chart_of_a_row_explained_ahead_is_drawn_ahead(history: History) -> None:
    """Once the drill-down has been shown, the chart of the row explained ahead is drawn in the
    same thread, at the drill-down's chart size and colours, and its render uses that figure."""
    from widgets import chart

    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        dash = dashboard(app)
        await _until(pilot, lambda: dash._drill_warm)
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, DrillDownScreen))
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        style = dash._chart_style()
        assert style is not None
        chart._figures.clear()
        await pilot.press("down")
        await _until(pilot, lambda: ("nasdaq100", DAY) in dash._answers)
        data = dash._answers[("nasdaq100", DAY)].chart
        assert data is not None
        drawn = chart._figures.get((data, False, style))
        assert drawn is not None  # drawn before Enter
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, DrillDownScreen))
        await pilot.pause()
        widget = app.screen.query_one(chart.PlotextChart)
        assert widget.chart_style() == style and widget.render() is drawn


async def test_enter_while_the_drill_down_is_being_composed_ahead(history: History) -> None:
    """An Enter that lands while the replay drill-down is still being composed ahead opens it
    once it is, on the row asked for."""
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        dash = await _composing_ahead(pilot, app)
        assert dash._drill is not None and not dash._drill.is_mounted
        dash.open_asset("dow")
        await _until(pilot, lambda: isinstance(app.screen, DrillDownScreen))
        screen = app.screen
        assert isinstance(screen, DrillDownScreen)
        await _until(pilot, lambda: screen.answer is not None and screen.answer.asset.id == "dow")
        assert screen.query_one("#drill-title", FitLine).text.startswith("Dow")


async def test_closing_while_the_drill_down_is_composed_ahead(history: History) -> None:
    """Quitting just as the warm-up ends (the drill-down being composed ahead) closes cleanly."""
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await _composing_ahead(pilot, app)
        app.exit()
    assert app._exception is None
