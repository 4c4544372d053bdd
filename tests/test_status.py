"""`riskpulse status`: the line, tmux colours, the cache, the refresh lock, import weight."""

from __future__ import annotations

import fcntl
import io
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import close_and_previous, csv_rows
from tui import config, model, status_cmd, store
from tui.snapshot_output import snapshot_json
from tui.sources.replay import ReplaySource
from tui.status_line import Part, render

DAY = date(2025, 11, 20)
NOW = 1_763_700_000.0


def counter(calls: list[int], ok: bool = True) -> Callable[[], bool]:
    """A refresher that counts its calls and succeeds (or fails)."""

    def refresh() -> bool:
        calls.append(1)
        return ok

    return refresh


def pct_text(name: str, digits: int) -> str:
    _, close, prev = close_and_previous(name, DAY)
    value = (close / prev - 1) * 100
    return ("−" if value < 0 else "+") + f"{abs(value):.{digits}f}%"


def run(tmp_path: Path, *args: str, **kw: object) -> tuple[int, str]:
    out = io.StringIO()
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    day = args[0] if args else None
    code = status_cmd.run(day, bool(kw.pop("tmux", False)), None, env=env, out=out, **kw)  # type: ignore[arg-type]
    return code, out.getvalue().rstrip("\n")


def test_replayed_line_is_the_bundled_days_numbers(tmp_path: Path) -> None:
    code, line = run(tmp_path, "2025-11-20")
    assert code == 0
    btc_close = close_and_previous("btc", DAY)[1]
    crypto = next(r for r in csv_rows("crypto_fear_greed") if r["date"][:10] == "2025-11-20")
    stock = next(r for r in csv_rows("stock_fear_greed") if r["date"][:10] == "2025-11-20")
    expected = [
        f"SPX {pct_text('sp500', 2)}",
        f"NDX {pct_text('nasdaq100', 2)}",
        f"BTC {btc_close / 1000:.1f}k {pct_text('btc', 1)}",
    ]
    assert line.startswith(" · ".join(expected))
    fg = f"F&G {float(crypto['value']):.0f}/{float(stock['value']):.0f}"
    assert f" · {fg} · Dec cut 39% · replay 2025-11-20" in line
    # the second call reads the cached document, not the bundle
    assert any((tmp_path / "cache" / "riskpulse" / "status").iterdir())
    assert run(tmp_path, "2025-11-20") == (0, line)


def test_tmux_colours_follow_meaning(tmp_path: Path) -> None:
    _, line = run(tmp_path, "2025-11-20", tmux=True)
    assert line.startswith("#[fg=red]SPX −")
    assert "#[fg=yellow]replay 2025-11-20#[default]" in line
    parts = [Part("A +1.00%", "gain"), Part("B −1.00%", "loss"), Part("C", None)]
    colours = {"gain": "blue", "loss": "magenta", "stale": "yellow"}
    assert render(parts, 80, True, colours) == (
        "#[fg=blue]A +1.00%#[default] · #[fg=magenta]B −1.00%#[default] · C"
    )


def test_width_drops_whole_items_and_keeps_the_marker() -> None:
    parts = [Part("SPX −1.56%", "loss"), Part("NDX −2.38%", "loss"), Part("BTC 86.6k", None)]
    line = render(parts, 40, False, {}, "3 min old")
    assert line == "SPX −1.56% · NDX −2.38% · 3 min old"
    assert len(line) <= 40


def save_cache(tmp_path: Path, saved_at: float) -> None:
    db = store.Store(tmp_path / "cache" / "riskpulse" / "cache.sqlite3", clock=lambda: saved_at)
    db.save_snapshot(snapshot_json(ReplaySource().snapshot(DAY)))
    db.close()


def test_fresh_cache_is_read_without_refreshing(tmp_path: Path) -> None:
    save_cache(tmp_path, NOW - 10)
    calls: list[int] = []
    code, line = run(tmp_path, clock=lambda: NOW, refresher=counter(calls))
    assert code == 0 and calls == []
    assert line.startswith("SPX −1.56% · NDX −2.38%") and "old" not in line


def test_old_cache_is_refreshed_by_one_process(tmp_path: Path) -> None:
    save_cache(tmp_path, NOW - 600)
    calls: list[int] = []

    def refresher() -> bool:
        calls.append(1)
        save_cache(tmp_path, NOW)
        return True

    code, line = run(tmp_path, clock=lambda: NOW, refresher=refresher)
    assert code == 0 and calls == [1] and "old" not in line


def test_while_another_process_refreshes_the_cached_line_shows_its_age(tmp_path: Path) -> None:
    save_cache(tmp_path, NOW - 600)
    lock = tmp_path / "cache" / "riskpulse" / status_cmd.LOCK_NAME
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        calls: list[int] = []
        code, line = run(tmp_path, clock=lambda: NOW, refresher=counter(calls))
    finally:
        os.close(holder)
    assert code == 0 and calls == []
    assert line.endswith(" · 10 min old")


def test_a_failed_refresh_is_not_retried_within_the_interval(tmp_path: Path) -> None:
    save_cache(tmp_path, NOW - 600)
    calls: list[int] = []
    for offset in (0.0, 30.0):
        code, line = run(
            tmp_path, clock=lambda o=offset: NOW + o, refresher=counter(calls, ok=False)
        )
        assert code == 0 and "min old" in line
    assert calls == [1]


def test_no_cache_says_so(tmp_path: Path) -> None:
    code, line = run(tmp_path, clock=lambda: NOW, refresher=lambda: False)
    assert code == 1 and "nothing cached" in line


def test_config_sets_items_and_errors_name_the_key(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg" / "riskpulse" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text('[status]\nitems = ["gold", "ust10y", "fg:crypto"]\nwidth = 80\n')
    code, line = run(tmp_path, "2025-11-20")
    assert code == 0
    assert line.startswith("Gold ") and " · 10Y 4.10% −3bp · F&G crypto 11" in line
    assert config.load(cfg).status.items == ("gold", "ust10y", "fg:crypto")
    cfg.write_text("[status]\nwidth = 5\n")
    assert run(tmp_path, "2025-11-20")[0] == 2
    with pytest.raises(config.ConfigError, match=r"config.toml:2: status.width"):
        config.load(cfg)


def test_paths_agree_with_the_config_and_the_store(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": "/c", "XDG_CONFIG_HOME": "/x"}
    assert Path(status_cmd.cache_dir(env)) == store.cache_path(env).parent
    assert Path(status_cmd.config_file(None, env)) == config.config_path(None, env)
    env["RISKPULSE_CONFIG"] = "/y.toml"
    assert Path(status_cmd.config_file(None, env)) == config.config_path(None, env)
    for seconds in (0, 89, 600, 5399, 5400, 7200, 130_000, 200_000):
        assert status_cmd.age_text(seconds) == model.age_text(seconds, in_seconds=False)


def modules_after(code: str, env: dict[str, str]) -> tuple[set[str], str]:
    probe = f"import sys; {code}; print(','.join(sorted(sys.modules)), file=sys.stderr)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return set(done.stderr.strip().split(",")), done.stdout


def test_status_loads_no_pandas_plotext_or_textual(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "c"), "XDG_CONFIG_HOME": str(tmp_path)}
    call = "from tui.cli import main; main(['status', '--replay', '2025-11-20', '--tmux'])"
    heavy = {"pandas", "plotext", "textual", "numpy", "httpx"}
    cold, out = modules_after(call, env)  # builds the day's line from the bundle, once
    assert not cold & heavy, cold & heavy
    warm, out = modules_after(call, env)
    assert not warm & (heavy | {"argparse", "typing", "pathlib", "tui.history", "tui.model"})
    assert out.count("SPX") == 1
