"""The morning keys in the app: alerts set, fired, re-armed and logged; the recap on start;
help, the go-to-date prompt at 80 columns, and the palette's assets."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Label, Static

from tests.conftest import close_and_previous
from tests.test_app import settle
from tui.alerts.desk import AlertDesk
from tui.alerts.state import AlertStore
from tui.app import RiskPulseApp
from tui.explain.panel import PANEL_ASSETS
from tui.history import History
from tui.model import Mode
from tui.palette import explainable_assets
from tui.screens.alert_log import AlertLogScreen
from tui.screens.alert_prompt import AlertPromptScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.drilldown import DrillDownScreen
from tui.screens.goto import GotoDateScreen
from tui.screens.help import HelpScreen
from tui.screens.recap import RecapScreen
from tui.sources.replay import ReplaySource

NOW = datetime(2025, 11, 21, 12, 0, tzinfo=UTC)


def wire(app: RiskPulseApp) -> DashboardScreen:
    """What the dashboard does once main wires it: each applied snapshot goes to the app."""
    dash = app.screen
    assert isinstance(dash, DashboardScreen)
    return dash  # the dashboard hands every snapshot it applies to `app.on_snapshot`


def text_of(widget: Static | Label) -> str:
    return str(widget.render())


async def test_alert_from_the_app_fires_once_re_arms_and_is_logged(
    tmp_path: Path, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AlertStore(tmp_path)
    app = RiskPulseApp(replay=date(2025, 11, 17), history=history, alerts=store)
    rings: list[str] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append("\a"))
    toasts: list[str] = []
    notify = app.notify

    def toast(msg: str, **kw: Any) -> None:
        toasts.append(msg)
        notify(msg, **kw)

    monkeypatch.setattr(app, "notify", toast)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        dash = wire(app)
        crypto = dash.query_one("#table-crypto")
        crypto.focus()
        await pilot.pause()
        await pilot.press("a")
        prompt = app.screen
        assert isinstance(prompt, AlertPromptScreen)
        field = prompt.query_one(Input)
        assert field.value == "btc below 92215"  # BTC's close on 2025-11-17, filled in
        _, close, prev = close_and_previous("btc", date(2025, 11, 17))
        now = f"now {close:,.2f}, {(close / prev - 1) * 100:+.2f}%, 2025-11-17"
        assert text_of(prompt.query_one("#alert-now", Label)) == now
        field.value = "btc below 90000"
        await pilot.press("enter")
        assert [r.text for r in store.load().rules] == ["btc below 90000"]
        assert "Alert set: btc below 90000" in toasts

        fired_on: dict[str, int] = {}
        for _ in range(9):  # 18, 19, 20, 21, 24, 25, 26, 27, 28 Nov, then 1 Dec
            await pilot.press("right_square_bracket")
            await settle(app)
            await pilot.pause()
            fired_on[str(dash.day)] = len(rings)
        await pilot.press("right_square_bracket")
        await settle(app)
        await pilot.pause()
        fired_on[str(dash.day)] = len(rings)
        assert fired_on["2025-11-19"] == 0
        assert fired_on["2025-11-20"] == 1  # the close crossed below 90,000: once
        assert fired_on["2025-11-25"] == 1  # still below: no second alert
        assert fired_on["2025-11-26"] == 1  # closed at 90,484: re-armed, quietly
        assert fired_on["2025-12-01"] == 2  # crossed again
        assert sum("BTC/USDT at 86,637.23" in t for t in toasts) == 1
        # replayed days never touch the live rules' armed flags
        assert store.load().armed == {"btc below 90000": True}

        await pilot.press("A")
        log = app.screen
        assert isinstance(log, AlertLogScreen)
        text = text_of(log.query_one("#alert-log-text", Static))
        assert "  btc below 90000: armed" in text  # the live rule, untouched by replay
        assert "Fired on replayed days (this session only)" in text
        assert "2025-11-20  btc below 90000: BTC/USDT at 86,637.23 (2025-11-20)" in text
        assert "2025-12-01  btc below 90000: BTC/USDT at 86,286.01 (2025-12-01)" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


def test_live_alerts_persist_across_restarts(tmp_path: Path, history: History) -> None:
    store = AlertStore(tmp_path)
    desk = AlertDesk(store)
    desk.add("btc below 90000")
    day20 = ReplaySource(history).snapshot(date(2025, 11, 20))
    live = replace(day20, mode=Mode.LIVE, day=None)
    assert len(desk.evaluate(live)) == 1
    assert desk.evaluate(replace(live, mode=Mode.CACHED)) == []
    again = AlertDesk(AlertStore(tmp_path))  # a new session
    assert again.evaluate(live) == []  # still disarmed: no second alert for one crossing
    assert again.state().armed == {"btc below 90000": False}
    assert [f.rule for f in again.state().log] == ["btc below 90000"]


async def test_bell_is_off_by_config(history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history, bell=False)
    rings: list[str] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append("\a"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        app.alert_desk.add("btc below 90000")
        fired = app.on_snapshot(ReplaySource(history).snapshot(date(2025, 11, 20)))
        await pilot.pause()
        assert len(fired) == 1 and rings == []


def write_session(directory: Path, ended: datetime) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "session.json").write_text(json.dumps({"ended": ended.isoformat()}))


async def test_recap_on_start_after_a_long_absence(tmp_path: Path, history: History) -> None:
    write_session(tmp_path, NOW - timedelta(hours=10))
    app = RiskPulseApp(
        replay=date(2025, 11, 20), history=history, session_dir=tmp_path, now=lambda: NOW
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        for _ in range(100):  # the recap follows the dashboard's first numbers
            await pilot.pause()
            if isinstance(app.screen, RecapScreen):
                break
        screen = app.screen
        assert isinstance(screen, RecapScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = text_of(screen.query_one("#recap-text", Static))
        assert "Since the previous trading day (2025-11-19)" in text
        assert "Bitcoin (BTC/USDT)" in text and "-5.37%" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
    ended = json.loads((tmp_path / "session.json").read_text())["ended"]
    assert datetime.fromisoformat(ended) == NOW


async def test_no_recap_after_a_short_break(tmp_path: Path, history: History) -> None:
    write_session(tmp_path, NOW - timedelta(hours=1))
    app = RiskPulseApp(
        replay=date(2025, 11, 20), history=history, session_dir=tmp_path, now=lambda: NOW
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


def help_lines(app: RiskPulseApp) -> list[str]:
    return text_of(app.screen.query_one("#help-text", Static)).splitlines()


async def test_help_lists_each_key_once_grouped(history: History) -> None:
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        lines = help_lines(app)
        keys = [line.split()[0] for line in lines if line.startswith("    ")]
        assert len(keys) == len(set(keys)), keys
        assert {"Selected pane", "Dashboard", "Everywhere"} <= {line.strip() for line in lines}
        assert sum(line.strip().startswith("tab ") for line in lines) == 1
        assert sum(line.strip().startswith("⏎") for line in lines) == 1
        assert any("a " in line and "Alert" in line for line in lines)
        await pilot.press("escape", "enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, DrillDownScreen)
        await pilot.press("question_mark")
        text = "\n".join(help_lines(app))
        for words in ("Drill-down", "1d", "5d", "1m", "Next asset", "Prev asset", "Back"):
            assert words in text


async def test_goto_prompt_fits_80_columns(history: History) -> None:
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GotoDateScreen)
        for label in screen.query(Label):
            assert len(text_of(label)) <= label.region.width, text_of(label)
        assert screen.query_one("#goto-box").region.right <= 80


def test_palette_and_explain_list_every_explainable_asset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tui.cli import main

    assert {a.id for a in explainable_assets()} == set(PANEL_ASSETS)
    assert main(["explain", "--list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [a.id for a in explainable_assets()]


def test_aliases_cover_the_pane_labels() -> None:
    from tui.assets import ASSETS, resolve

    for asset in ASSETS:  # the pane's row label is the catalogue's short name
        found = resolve(asset.label)
        assert found is not None and found.id == asset.id, asset.label
    for label in ("eurostoxx", "Euro Stoxx", "stoxx50", "Russell 2k", "WTI oil", "SX5E"):
        assert resolve(label) is not None, label


async def test_live_recap_on_start_reads_the_cache(
    tmp_path: Path, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.snapshot_output import snapshot_json
    from tui.store import Store, cache_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    store = Store(cache_path())
    store.save_snapshot(snapshot_json(ReplaySource(history).snapshot(date(2025, 11, 20))))
    store.close()
    write_session(tmp_path / "state", datetime(2025, 11, 19, 22, 0, tzinfo=UTC))
    app = RiskPulseApp(history=history, session_dir=tmp_path / "state", now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        for _ in range(100):  # the recap follows the dashboard's first numbers (or none)
            await pilot.pause()
            if isinstance(app.screen, RecapScreen):
                break
        assert isinstance(app.screen, RecapScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = text_of(app.screen.query_one("#recap-text", Static))
        assert "Largest moves (by |σ|):" in text and "2025-11-19 → 2025-11-20" in text


async def test_alert_prompt_in_the_drill_down_is_for_its_asset(history: History) -> None:
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)
        await pilot.pause()
        await pilot.press("enter")  # the first index row: S&P 500
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, DrillDownScreen)
        await pilot.press("a")
        prompt = app.screen
        assert isinstance(prompt, AlertPromptScreen)
        assert prompt.query_one(Input).value.startswith("sp500 below ")
