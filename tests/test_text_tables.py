"""Every text table the CLI prints keeps at least two spaces between its columns, whatever the
length of a value: the shared layout on its own, then each command with long values."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tui import sources_report
from tui.cli import main
from tui.explain.move import Horizon
from tui.explain.output import to_text
from tui.explain_inputs import explain_replay
from tui.history import History
from tui.numtext import table, text_width
from tui.recap import Move, Recap, recap_text
from tui.snapshot_output import snapshot_table
from tui.sources.replay import ReplaySource
from tui.store import Store, cache_path


def _apart(*cells: str) -> re.Pattern[str]:
    """A line holding these cells in order, each at least two spaces from the next."""
    return re.compile(r"\s{2,}".join(re.escape(c) for c in cells))


def test_columns_are_as_wide_as_their_widest_cell_and_two_apart() -> None:
    rows = [
        ["source", "fallback", "last"],
        ["cme", "yahoo, kalshi, polymarket", "never"],
        ["alternative_me_and_more", "—", "2026-02-10T14:59:00+00:00"],
    ]
    lines = table(rows, "<<>")
    assert (
        lines[1] == "cme                      yahoo, kalshi, polymarket                      never"
    )
    assert lines[2].startswith("alternative_me_and_more  —  ")
    starts = [lines[0].index("fallback"), lines[1].index("yahoo"), lines[2].index("—")]
    assert len(set(starts)) == 1
    assert all(not line.endswith(" ") for line in lines)
    assert len({text_width(line) for line in lines}) == 1  # the last column is right-aligned


def test_wide_characters_count_twice_and_empty_columns_go() -> None:
    lines = table([["騰訊控股", "", "x"], ["ab", "", "y"]], indent="  ")
    assert lines == ["  騰訊控股  x", "  ab        y"]
    assert table([]) == []


def test_sources_listing_keeps_columns_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("RISKPULSE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("RISKPULSE_YAHOO_URL", "http://" + "a" * 60 + ".test")
    long_ok = "2026-02-10T14:59:00.123456+00:00"
    store = Store(cache_path())
    store.save_snapshot({"sources": {"cme": {"ok": True, "last_ok": long_ok, "error": None}}})
    store.close()
    assert main(["sources"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rows = lines[1], {line.split()[0]: line for line in lines[2:]}
    assert _apart("source", "key", "refresh", "fallback", "last success", "url").match(header)
    # cme's fallbacks are the longest cell of their column, its last success of its own
    assert _apart("cme", "not set", "900 s", "yahoo, kalshi, polymarket", long_ok).match(
        rows["cme"]
    )
    assert _apart("alternative_me", "not needed", "3600 s", "—", "never").match(
        rows["alternative_me"]
    )
    at = header.index("last success")
    for line in lines[2:]:  # every row's last success starts under its header, after a gutter
        assert line[at - 2 : at] == "  " and line[at] != " ", line


def test_sources_check_keeps_columns_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RISKPULSE_CONFIG", str(tmp_path / "none.toml"))

    verdict = "ok in 0.1 s: " + "x" * 40

    async def verdicts(*_: Any, **__: Any) -> list[sources_report.Verdict]:
        return [
            sources_report.Verdict(s, True, verdict, (f"http://127.0.0.1/{s}",))
            for s in sources_report.LISTED
        ]

    monkeypatch.setattr(sources_report, "check", verdicts)
    assert main(["sources", "--check"]) == 0
    for line in capsys.readouterr().out.splitlines():
        assert _apart(line.split()[0], verdict, "[http").match(line), line


def test_keys_watch_and_alerts_lists_keep_columns_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    symbol, name = "ABCDEFGHIJKLMNOP.HK", "A Holding Company With A Long Registered Name"
    config.write_text(
        f'[watchlists]\nindices = ["sp500", "{symbol}"]\n\n[symbols."{symbol}"]\n'
        f'name = "{name}"\nclass = "single stock"\nregion = "asia"\ntz = "Asia/Hong_Kong"\n'
    )
    monkeypatch.setenv("RISKPULSE_CONFIG", str(config))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert main(["watch", "list"]) == 0
    out = capsys.readouterr().out
    assert _apart("indices", symbol, name).search(out), out
    assert _apart("indices", "^GSPC", "S&P 500").search(out), out

    rule = "source alternative_me down 1440 min"  # 35 characters
    assert main(["alerts", "add", rule]) == 0
    assert main(["alerts", "add", "btc below 90000"]) == 0
    capsys.readouterr()
    assert main(["alerts", "list"]) == 0
    out = capsys.readouterr().out
    assert _apart("1", rule, "armed").search(out), out
    assert _apart("2", "btc below 90000", "armed").search(out), out

    assert main(["keys", "list"]) == 0
    for line in capsys.readouterr().out.splitlines():
        assert len(re.split(r"\s{2,}", line)) == 2, line


def test_recap_keeps_columns_apart() -> None:
    day = date(2025, 11, 20)
    label = "Alibaba Group Holding Limited (BABA)"
    moves = (
        Move("x", label, date(2025, 11, 19), day, -100.0, "%", -12.3),
        Move("sp500", "S&P 500 (^GSPC)", date(2025, 11, 19), day, -1.56, "%", None),
    )
    recap = Recap("then", "now", moves, (), (("Crypto F&G", 15.0, 11.0),), 3, None)
    text = recap_text(recap)
    assert _apart(label, "-100.00%", "-12.3σ", "2025-11-19 → 2025-11-20").search(text), text
    assert _apart("S&P 500 (^GSPC)", "-1.56%", "—", "2025-11-19").search(text), text
    assert _apart("Crypto F&G", "15 → 11").search(text), text


def test_snapshot_text_keeps_columns_apart() -> None:
    snap = ReplaySource().snapshot(date(2025, 11, 20))
    name = "Alibaba Group Holding Limited"
    sp500 = replace(snap.indices.quotes[0], name=name, price=123_456_789.5, change=-12_345_678.0)
    snap = replace(snap, indices=replace(snap.indices, quotes=(sp500, *snap.indices.quotes[1:])))
    text = snapshot_table(snap)
    assert _apart(name, "123,456,790", "-12,345,678").search(text), text
    assert _apart("Nasdaq 100", "24,054", "-586", "-2.38%", "-2.1σ", "-7.9%").search(text), text
    assert _apart("Last", "Chg", "Chg%", "σ", "52wH", "Date").search(text), text  # named once
    quote_lines = [line for line in text.splitlines() if line.startswith("  ") and "%" in line]
    ends = {line.index("%") for line in quote_lines if " -1.56%" in line or "-2.38%" in line}
    assert len(ends) == 1  # the panes share one set of columns
    assert _apart("Crypto F&G", "11", "Extreme Fear", "1d   -4", "1w   -4").search(text), text


def test_explain_text_tables_keep_columns_apart(history: History) -> None:
    result = explain_replay(history, "nasdaq100", date(2025, 11, 20), Horizon.D1)
    text = to_text(result)
    assert _apart("moved", "Risk appetite (crypto)", "Bitcoin").search(text), text
    assert _apart("factor", "move", "beta", "t", "contribution").search(text), text
    assert _apart("S&P 500", "-1.56", "+1.22", "+66.9", "-1.89", "[market]").search(text), text
    assert re.search(r"residual \(no factor\)\s{2,}-0\.44", text), text


def test_sessions_keep_columns_apart() -> None:
    from tui.sessions import EXCHANGES, Exchange, MarketSession, Phase, sessions_text

    now = datetime(2025, 11, 20, 15, tzinfo=UTC)
    later = datetime(2025, 11, 20, 21, tzinfo=UTC)
    long = Exchange("x", "Eurex (Euro Stoxx 50 and DAX futures)", "EUREX")
    sessions = [
        MarketSession(e, phase, later, Phase.CLOSED, None)
        for e, phase in ((EXCHANGES[0], Phase.OPEN), (long, Phase.CLOSED))
    ]
    lines = sessions_text(sessions, now, tz=UTC).splitlines()
    assert _apart("New York (NYSE)", "open", "closed in 6 h").match(lines[0]), lines
    assert _apart(long.name, "closed", "closed in 6 h").match(lines[1]), lines


def test_explain_list_keeps_columns_apart(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tui.palette
    from tui.assets import BY_ID

    long = replace(
        BY_ID["sp500"], id="an_index_with_a_long_id", symbol="^LONGSYMBOL1", name="N" * 30
    )
    monkeypatch.setattr(tui.palette, "explainable_assets", lambda: [BY_ID["sp500"], long])
    assert main(["explain", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert _apart(long.id, long.symbol, long.name, ", ".join(long.aliases)).match(lines[1])
    assert lines[0].index("^GSPC") == lines[1].index(long.symbol)
