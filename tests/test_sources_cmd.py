"""`riskpulse sources [--check]` against the loopback server: URLs in force, key state, the
cached health, and one verdict per source."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.loopback import CBOE_VIX_PATH, CBOE_VIX_SHAPE, Server, serving
from tui.cli import main
from tui.sources_report import LISTED
from tui.store import Store, cache_path

IN_STOOQ_RANGE = datetime(2026, 2, 10, 15, tzinfo=UTC).timestamp()
"""A day the recorded Stooq CSV still covers (its newest row is 2026-02-09)."""


CONFIG = """deadline = 1
[sources.cboe]
deadline = 2
url = "http://x.test"
[watchlists]
indices = ["spy", "sp500", "nasdaq100", "dow"]
"""
"""SPY leads the indices: the first tracked asset Stooq quotes is what its check asks for, and
the recorded Stooq CSV is SPY's (`spy.us`)."""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with serving() as server:
        # Cboe's US quotes were never recorded: the documented `_VIX.json` shape stands in.
        server.stand_ins[CBOE_VIX_PATH] = json.dumps(CBOE_VIX_SHAPE).encode()
        for sid in LISTED:
            monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", server.url)
            monkeypatch.delenv(f"RISKPULSE_{sid.upper()}_KEY", raising=False)
        monkeypatch.setenv("RISKPULSE_FRED_KEY", "fred-key-0123456789")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        config = tmp_path / "config.toml"
        config.write_text(CONFIG)
        monkeypatch.setenv("RISKPULSE_CONFIG", str(config))
        yield server


def test_listing_shows_url_key_state_and_cached_health(
    env: Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RISKPULSE_CBOE_URL")
    store = Store(cache_path())
    store.save_snapshot(
        {
            "sources": {
                "cnn": {"ok": False, "last_ok": "2026-02-09T10:00:00+00:00", "error": "x \x1b[2J"},
                "yahoo": {"ok": True, "last_ok": "2026-02-10T14:59:00+00:00", "error": None},
            }
        }
    )
    store.close()
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert set(rows) == set(LISTED)
    assert "yahoo → cboe → stooq" in out.splitlines()[0]
    assert "set (from env)" in rows["fred"] and "fred-key-0123456789" not in out
    assert "not set" in rows["coingecko"] and "not needed" in rows["cnn"]
    assert f"{env.url} (env)" in rows["yahoo"] and "http://x.test (config)" in rows["cboe"]
    assert "2026-02-10T14:59" in rows["yahoo"] and "last error: none" in rows["yahoo"]
    assert "last error: x" in rows["cnn"] and "\x1b" not in out
    assert "when yahoo fails" in rows["stooq"] and "cboe, stooq" in rows["yahoo"]


def test_check_gives_one_verdict_per_source_and_exit_1_when_one_fails(
    env: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    env.faults["cnn"] = "trickle"
    env.faults["stooq"] = "proof-of-work"
    assert main(["sources", "--check"], clock=lambda: IN_STOOQ_RANGE) == 1
    out = capsys.readouterr().out
    verdicts = {line.split()[0]: line for line in out.splitlines()}
    assert set(verdicts) == set(LISTED)
    assert "FAILED: no complete answer within its 1 s deadline" in verdicts["cnn"]
    assert "FAILED: answered with a proof-of-work page" in verdicts["stooq"]
    for source in set(LISTED) - {"cnn", "stooq", "fred"}:
        assert " ok in " in verdicts[source] or "not checked" in verdicts[source], source
    assert "FAILED: refused the request (404)" in verdicts["fred"]  # keyed API: not recorded
    assert "fred-key-0123456789" not in out


def test_check_passes_when_every_source_answers(
    env: Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RISKPULSE_FRED_KEY")
    monkeypatch.setenv("RISKPULSE_CBOE_URL", env.url)
    assert main(["sources", "--check"], clock=lambda: IN_STOOQ_RANGE) == 0
    out = capsys.readouterr().out
    assert out.count(" ok in ") + out.count("not checked (no probe") == len(LISTED)
    assert out.count(" ok in ") >= 11  # every source this module knows how to probe
