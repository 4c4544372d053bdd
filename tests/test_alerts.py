"""Alerts: rules in words, once per crossing with re-arming, the state file, the command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import csv_rows
from tui import config
from tui.alerts.backtest import backtest
from tui.alerts.evaluate import AlertState, check, value_of
from tui.alerts.rules import Kind, RuleError, parse_rule
from tui.alerts.state import AlertStore, state_dir
from tui.assets import BY_ID
from tui.cli import main
from tui.explain.move import measure
from tui.history import History
from tui.model import SourceHealth
from tui.sigma import SigmaTable
from tui.sources.replay import ReplaySource

NOV_1, NOV_30 = date(2025, 11, 1), date(2025, 11, 30)


def btc_closes() -> list[tuple[date, float]]:
    """BTC daily closes straight from the bundled CSV."""
    return [(date.fromisoformat(r["date"][:10]), float(r["close"])) for r in csv_rows("btc")]


def first_close_below(level: float, start: date, end: date) -> date:
    return next(d for d, c in btc_closes() if start <= d <= end and c < level)


@pytest.mark.parametrize(
    ("text", "kind", "subject", "level"),
    [
        ("btc below 90000", Kind.BELOW, "btc", 90000),
        ("BTC-USD above 100,000", Kind.ABOVE, "btc", 100000),
        ("NDX change beyond 2%", Kind.CHANGE, "nasdaq100", 2),
        ("btc move beyond 2.5σ", Kind.SIGMA, "btc", 2.5),
        ("fg crypto below 20", Kind.BELOW, "crypto", 20),
        ("fed 2025-12-10 moves 10 pp", Kind.FED, "2025-12-10", 10),
        ("source yahoo down 15 min", Kind.SOURCE, "yahoo", 15),
        ("eurostoxx above 5000", Kind.ABOVE, "eurostoxx50", 5000),
    ],
)
def test_rules_read_like_words_and_round_trip(
    text: str, kind: Kind, subject: str, level: float
) -> None:
    rule = parse_rule(text)
    assert (rule.kind, rule.subject, rule.level) == (kind, subject, level)
    assert parse_rule(rule.text) == rule


@pytest.mark.parametrize("text", ["btc sideways 3", "zzz below 4", "source nope down 5 min", ""])
def test_bad_rules_say_what_works(text: str) -> None:
    with pytest.raises(RuleError):
        parse_rule(text)


def test_fires_once_per_crossing_and_re_arms_past_the_margin(history: History) -> None:
    source = ReplaySource(history)
    rule = parse_rule("btc below 90000")
    state = AlertState()
    state.add(rule)
    margin = rule.re_arm_margin()
    fired_on: list[date] = []
    armed_again: date | None = None
    day = NOV_1
    while day <= date(2025, 12, 31):
        was_armed = state.armed[rule.key]
        if check(source.snapshot(day), state):
            fired_on.append(day)
        if not was_armed and state.armed[rule.key] and armed_again is None:
            armed_again = day
        day += timedelta(days=1)
    closes = dict(btc_closes())
    first = first_close_below(90000, NOV_1, NOV_30)
    assert fired_on[0] == first
    # between the first crossing and the re-arming close no second alert came
    rearm = next(d for d in sorted(closes) if d > first and closes[d] >= 90000 + margin)
    assert armed_again == rearm
    assert all(d > rearm for d in fired_on[1:])
    expected_second = next(
        (d for d in sorted(closes) if rearm < d <= date(2025, 12, 31) and closes[d] < 90000),
        None,
    )
    assert (fired_on[1] if len(fired_on) > 1 else None) == expected_second


def test_sigma_rule_uses_the_explain_engines_yardstick(history: History) -> None:
    snap = ReplaySource(history).snapshot(date(2025, 11, 20))
    rule = parse_rule("ndx beyond 2 sigma")
    value = value_of(rule, snap, AlertState(), SigmaTable(history))
    engine = measure(history.series("nasdaq100"), BY_ID["nasdaq100"], date(2025, 11, 20))
    assert value == pytest.approx(abs(engine.sigma or 0), abs=1e-9)
    assert value_of(rule, snap, AlertState()) is None  # no yardstick, no alert


def test_fear_greed_and_fed_rules_on_recorded_days(history: History) -> None:
    fired = backtest(
        [parse_rule("fg crypto below 15"), parse_rule("fed 2025-12-10 moves 10 pp")],
        NOV_1,
        NOV_30,
        ReplaySource(history),
    )
    fg_day = next(
        date.fromisoformat(r["date"][:10])
        for r in csv_rows("crypto_fear_greed")
        if NOV_1.isoformat() <= r["date"][:10] <= NOV_30.isoformat() and float(r["value"]) < 15
    )
    assert next(d for d, f in fired if f.rule.startswith("fg")) == fg_day
    fed = [f for _, f in fired if f.rule.startswith("fed")]
    assert fed and all(f.value >= 10 for f in fed)


def test_a_failing_source_fires_after_n_minutes_and_re_arms_when_it_answers(
    history: History,
) -> None:
    base = ReplaySource(history).snapshot(date(2025, 11, 20))
    t0 = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
    state = AlertState()
    state.add(parse_rule("source yahoo down 15 min"))

    def at(minutes: int, ok: bool) -> list[object]:
        health = SourceHealth("yahoo", ok, t0 if ok else None, None if ok else "HTTP 503")
        snap = replace(base, as_of=t0 + timedelta(minutes=minutes), sources=(health,))
        return list(check(snap, state))

    assert at(0, False) == [] and at(10, False) == []
    assert len(at(16, False)) == 1 and at(30, False) == []
    assert at(31, True) == [] and state.armed["source yahoo down 15 min"]


def test_backtest_command_gives_the_real_first_day(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setenv("RISKPULSE_CONFIG", str(tmp_path / "none.toml"))
    args = ["alerts", "backtest", "--from", "2025-11-01", "--to", "2025-11-30"]
    assert main([*args, "--rule", "btc below 90000"]) == 0
    out = capsys.readouterr().out
    first = first_close_below(90000, NOV_1, NOV_30)
    fired = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert fired[0] == first.isoformat()
    close = dict(btc_closes())[first]
    assert f"BTC/USDT at {close:,.2f}" in out


def test_add_list_rm_and_config_rules(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[alerts]]\nrule = "fg crypto below 20"\nmargin = 5\n')
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("RISKPULSE_CONFIG", str(cfg))
    assert main(["alerts", "add", "btc", "below", "90000"]) == 0
    assert main(["alerts", "add", "btc below 90,000"]) == 0
    assert main(["alerts", "list"]) == 0
    out = capsys.readouterr().out
    assert "added: btc below 90000" in out and "already set: btc below 90000" in out
    assert "  1  btc below 90000" in out and "fg crypto below 20" in out and "(config)" in out
    assert main(["alerts", "rm", "2"]) == 2  # the config's rule is removed in the config
    assert main(["alerts", "rm", "btc below 90000"]) == 0
    assert AlertStore(state_dir()).load().rules == []
    assert main(["alerts", "add", "btc sideways"]) == 2
    cfg.write_text('[[alerts]]\nrule = "btc sideways"\n')
    with pytest.raises(config.ConfigError, match=r"config\.toml:1: alerts: not a rule"):
        config.load(cfg)


def test_state_survives_a_restart(tmp_path: Path, history: History) -> None:
    store = AlertStore(tmp_path)
    state = AlertState()
    state.add(parse_rule("btc below 90000"))
    check(ReplaySource(history).snapshot(date(2025, 11, 20)), state)
    store.save(state)
    again = store.load()
    assert again.rules == state.rules and again.armed == {"btc below 90000": False}
    assert again.log == state.log and len(again.log) == 1


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from tui.alerts.evaluate import AlertState
    from tui.alerts.rules import parse_rule
    from tui.alerts.state import AlertStore

    store = AlertStore(Path(sys.argv[1]))
    state = AlertState()
    n = 0
    print("ready", flush=True)
    while True:
        n += 1
        state.add(parse_rule(f"btc below {n}"))
        state.armed[f"btc below {n}"] = n % 2 == 0
        store.save(state)
""")


@pytest.mark.parametrize("delay", [0.05, 0.13, 0.31])
def test_a_writer_killed_mid_write_leaves_the_old_or_the_new_file(
    tmp_path: Path, delay: float
) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    deadline = time.monotonic() + 10
    while not (tmp_path / "alerts.json").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    doc = json.loads((tmp_path / "alerts.json").read_text())  # never a torn file
    store = AlertStore(tmp_path)
    state = store.load()
    assert store.warning is None
    n = len(doc["rules"])
    assert n >= 1 and [r.text for r in state.rules] == [f"btc below {i}" for i in range(1, n + 1)]
    assert state.armed == {f"btc below {i}": i % 2 == 0 for i in range(1, n + 1)}


def test_a_config_rule_equal_to_a_saved_one_keeps_the_saved_one(tmp_path: Path) -> None:
    store = AlertStore(tmp_path)
    state = AlertState()
    state.add(parse_rule("btc below 90000"))
    merged = state.with_config([parse_rule("btc below 90000", origin="config")])
    assert [r.origin for r in merged.rules] == ["state"]
    store.save(merged)
    assert [r.text for r in store.load().rules] == ["btc below 90000"]
