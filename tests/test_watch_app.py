"""Your symbols, keys and colours in the app (Pilot), against recorded responses only."""

from __future__ import annotations

import json
import textwrap
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.conftest import whole_day_shown
from tests.loopback import FIXTURES, Server, serving
from themes import ANSI_THEME, default_theme, is_16_colour
from tui.app import RiskPulseApp
from tui.arrows import arrow, with_arrow
from tui.assets import unregister_users
from tui.config import load
from tui.keymap import KeymapError, check
from tui.sources import SOURCE_IDS
from widgets.navigable import NavigableTable

DAY = date(2025, 11, 20)
CONFIG = textwrap.dedent(
    """\
    # my desk
    [watchlists]
    indices = ["sp500", "nasdaq100", "dow"]  # the US three
    """
)


@pytest.fixture(autouse=True)
def _catalogue() -> Iterator[None]:
    unregister_users()
    yield
    unregister_users()


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    with serving() as server:
        _point_at(server, monkeypatch)
        path = tmp_path / "config.toml"
        path.write_text(CONFIG)
        monkeypatch.setenv("RISKPULSE_CONFIG", str(path))
        yield path


def _point_at(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    for sid in SOURCE_IDS:
        monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", server.url)


def _app(path: Path, **kwargs: Any) -> RiskPulseApp:
    return RiskPulseApp(replay=DAY, watchlists=load(path).watchlists, config_path=path, **kwargs)


async def _until(pilot: Pilot[Any], ready: Any) -> None:
    for _ in range(300):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if ready():
            return
    raise AssertionError("never settled")


def _rows(app: Any, pane: str = "indices") -> list[str]:
    table = app.dashboard().query_one(f"#table-{pane}", NavigableTable)
    return list(table.row_keys)


def _dash(app: Any) -> Any:
    return app.dashboard()


async def _settle(pilot: Pilot[Any]) -> None:
    # The whole day, not its first numbers: the full snapshot lands after those are painted
    # and would otherwise race the keys below.
    await whole_day_shown(pilot.app)
    await _until(pilot, lambda: _dash(pilot.app).snapshot is not None and _rows(pilot.app))
    _dash(pilot.app).query_one("#table-indices").focus()
    await pilot.pause()


def _saved(path: Path) -> list[str]:
    return list(tomllib.loads(path.read_text())["watchlists"]["indices"])


async def test_add_from_the_app_checks_once_and_shows_the_row(config: Path) -> None:
    app = _app(config)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _settle(pilot)
        await pilot.press("plus")
        assert type(app.screen).__name__ == "WatchPromptScreen"
        await pilot.press(*"aapl", "enter")
        await _until(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        assert _saved(config) == ["sp500", "nasdaq100", "dow", "AAPL"]
        assert _rows(app)[-1] == "aapl"
        assert "# my desk" in config.read_text() and "# the US three" in config.read_text()
        assert [n.message for n in app._notifications] == ["added AAPL (Apple Inc.) to indices"]
        # Its drill-down opens and says in one line that it has no history yet.
        table = _dash(app).query_one("#table-indices", NavigableTable)
        table.move_cursor(row=3)
        await pilot.press("enter")
        await _until(pilot, lambda: type(app.screen).__name__ == "DrillDownScreen")


async def test_unknown_symbol_stays_in_the_prompt_as_one_line(config: Path) -> None:
    app = _app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("plus", *"nope.xx", "enter")
        await _until(pilot, lambda: "know" in str(app.screen.query_one("#watch-error").render()))
        line = str(app.screen.query_one("#watch-error").render())
        assert line == "Yahoo does not know 'NOPE.XX' (no quote came back)"
        assert config.read_text() == CONFIG
        await pilot.press("escape")
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_the_add_prompt_completes_over_known_symbols(config: Path) -> None:
    app = _app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("plus", *"^gd")
        await pilot.pause()
        await pilot.press("right")  # accepts the suggestion
        assert app.screen.query_one("#watch-input").value == "^GDAXI"  # type: ignore[attr-defined]


async def test_remove_and_reorder_from_the_app_are_saved(config: Path) -> None:
    app = _app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("shift+down")
        await pilot.pause()
        assert _saved(config) == ["nasdaq100", "sp500", "dow"]
        assert _rows(app)[:2] == ["nasdaq100", "sp500"]
        table = _dash(app).query_one("#table-indices", NavigableTable)
        assert table.cursor_row == 1  # the moved row stays selected
        await pilot.press("shift+up", "shift+up")
        assert _saved(config) == ["sp500", "nasdaq100", "dow"]
        await pilot.press("down", "minus")
        await pilot.pause()
        assert _saved(config) == ["sp500", "dow"] and _rows(app) == ["sp500", "dow"]
        text = config.read_text()
        assert "# my desk" in text and '"dow"]  # the US three' in text  # comments kept


async def test_import_from_the_app(config: Path, tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("AAPL\nBABA\n# later\nNOPE.XX\n")
    app = _app(config)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _settle(pilot)
        app.watch_import()
        await pilot.pause()
        await pilot.press(*str(listing), "enter")
        await _until(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        assert _saved(config)[-2:] == ["AAPL", "BABA"]
        assert _rows(app)[-2:] == ["aapl", "baba"]
        assert app._notifications and list(app._notifications)[-1].message.startswith(
            "imported 2, skipped 1 (skipped NOPE.XX"
        )


# -- keys -----------------------------------------------------------------------------------


def test_keys_are_checked_and_a_conflict_is_one_config_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "riskpulse"\n\n[keys]\n"dash.next_day" = "n"\n"dash.goto" = "r"\n')
    cfg = load(path)
    with pytest.raises(KeymapError) as err:
        check(cfg.keys, cfg.path, cfg.key_lines)
    assert str(err.value).startswith(f"{path}:5: keys.dash.goto: 'r' is also the key of ")
    assert "\n" not in str(err.value)
    assert check({"dash.next_day": "n"}, path) == {"dash.next_day": "n"}
    with pytest.raises(KeymapError, match="no such binding"):
        check({"dash.nope": "n"}, path)


def test_a_key_conflict_stops_the_app_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"watch.add" = "q"\n')
    assert main(["--config", str(path), "--replay", "2025-11-20"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"riskpulse: {path}:2: keys.watch.add: 'q' is also the key of app.quit")
    assert len(err.splitlines()) == 1


async def test_rebound_key_works_and_shows_in_help_and_footer(config: Path) -> None:
    from tui.screens.help import key_groups

    app = _app(config, keymap=check({"dash.next_day": "n"}, config))
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        dash = _dash(app)
        footer = {b.binding.id: b.binding.key for b in app.active_bindings.values()}
        assert footer.get("dash.next_day") == "n"
        shown = [
            keys for _, lines in key_groups(dash) for keys, desc in lines if "Next day" in desc
        ]
        assert shown == ["n"]
        before = dash.day
        await pilot.press("n")
        await _until(pilot, lambda: dash.day != before)


# -- colours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "ansi"),
    [
        ({"TERM": "xterm"}, True),
        ({"TERM": "screen"}, True),
        ({"TERM": "xterm-256color"}, False),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, False),
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, True),
    ],
)
def test_16_colour_terminals_are_recognised(env: dict[str, str], ansi: bool) -> None:
    assert is_16_colour(env) is ansi
    assert (default_theme(env) == ANSI_THEME) is ansi


async def test_the_16_colour_default_applies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tui import cli

    for name in ("COLORTERM", "TEXTUAL_THEME", "TEXTUAL_COLOR_SYSTEM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    made: list[RiskPulseApp] = []
    monkeypatch.setattr(RiskPulseApp, "run", lambda self, *a, **k: made.append(self))
    assert cli.main(["--config", str(tmp_path / "none.toml"), "--replay", "2025-11-20"]) == 0
    async with made[0].run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.theme == ANSI_THEME


async def test_user_themes_load_and_a_bad_one_is_a_toast(tmp_path: Path) -> None:
    (tmp_path / "night.toml").write_text(
        'dark = true\nprimary = "#7aa2f7"\nbackground = "#1a1b26"\n'
        '[variables]\ngain = "#4ea1ff"\nloss = "#ff9f1c"\n'
    )
    (tmp_path / "broken.toml").write_text('primary = "not a colour"\n')
    app = RiskPulseApp(replay=DAY, theme_dir=tmp_path, theme_name="user-broken")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert "user-night" in app.available_themes
        assert "user-broken" not in app.available_themes
        assert app.theme == "riskpulse"
        messages = [n.message for n in app._notifications]
        assert any(
            m.startswith("Theme skipped: broken.toml: primary: not a colour") for m in messages
        )
        app.theme = "user-night"
        assert app.get_css_variables()["gain"] == "#4ea1ff"


def test_direction_is_told_by_arrow_and_sign() -> None:
    assert (arrow(1.5), arrow(-0.1), arrow(0.0), arrow(None)) == ("▲", "▼", " ", " ")
    assert with_arrow("+1.25%", 1.25) == "▲+1.25%"


def test_recorded_row_is_the_one_the_loopback_echoes() -> None:
    from tests.loopback import yahoo_echo

    rows = json.loads(yahoo_echo(["0700.HK", "^FTSE"]))["quoteResponse"]["result"]
    aapl = json.loads((FIXTURES / "quote_v7_AAPL,BABA.json").read_text())["quoteResponse"]
    assert [r["symbol"] for r in rows] == ["0700.HK", "^FTSE"]
    assert {k: v for k, v in rows[0].items() if k != "symbol"} == {
        k: v for k, v in aapl["result"][0].items() if k != "symbol"
    }


async def test_a_symbol_added_live_is_quoted_at_once(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_app import shown, wait_until
    from tests.test_live import NOW
    from tui import live_session
    from tui.history import History

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cfg = load(config)
    app = RiskPulseApp(
        history=History(),
        watchlists=cfg.watchlists,
        live=lambda: live_session.start(cfg, lambda: NOW, retries=0),
        refresh=cfg.refresh,
        config_path=config,
    )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: shown(app, "macro", "gold", "last") not in ("", "—"))
        _dash(app).query_one("#table-indices").focus()
        await pilot.press("plus", *"AAPL", "enter")
        await wait_until(pilot, lambda: shown(app, "indices", "aapl", "last") == "244.60")
        assert _saved(config)[-1] == "AAPL"
        table = _dash(app).query_one("#table-indices", NavigableTable)
        table.move_cursor(row=table.get_row_index("aapl"))
        await pilot.press("enter")  # its drill-down opens (its daily history is not there yet)
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DrillDownScreen")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "DrillDownScreen"


def test_every_binding_has_an_id_that_can_take_its_own_keys(tmp_path: Path) -> None:
    from tui.keymap import binding_ids

    ids = binding_ids()
    assert {"dash.next_day", "watch.add", "watch.up", "nav.up", "drill.back"} <= set(ids)
    for binding_id, binding in ids.items():
        check({binding_id: binding.key}, tmp_path / "c.toml")  # no false conflict
