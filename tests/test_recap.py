"""Since you last looked: moves ranked by |σ|, Fed odds, fear & greed, headlines, failures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import csv_rows
from tui import recap
from tui.assets import BY_ID
from tui.cli import main
from tui.explain.move import measure
from tui.history import History
from tui.model import Mode, SourceHealth
from tui.snapshot_output import snapshot_json
from tui.sources.replay import ReplaySource
from tui.store import Store, cache_path

DAY = date(2025, 11, 20)


def test_replay_recap_ranks_by_sigma_of_the_explain_engine(history: History) -> None:
    result = recap.replay_recap(history, DAY)
    assert result.since == "the previous trading day (2025-11-19)"
    sigmas = [abs(m.sigma) for m in result.moves if m.sigma is not None]
    assert sigmas == sorted(sigmas, reverse=True)
    top = result.moves[0]
    engine = measure(history.series(top.asset_id), BY_ID[top.asset_id], DAY)
    assert top.sigma == pytest.approx(engine.sigma, abs=1e-9)
    assert top.size == pytest.approx(engine.size, abs=1e-9)
    for move in result.moves[:5]:
        engine = measure(history.series(move.asset_id), BY_ID[move.asset_id], DAY)
        assert move.sigma == pytest.approx(engine.sigma, abs=1e-9)


def test_replay_recap_fear_greed_fed_and_headlines(history: History) -> None:
    result = recap.replay_recap(history, DAY)
    crypto = {r["date"][:10]: float(r["value"]) for r in csv_rows("crypto_fear_greed")}
    assert result.fear_greed[0] == ("Crypto F&G", crypto["2025-11-19"], crypto["2025-11-20"])
    december = [o for o in result.fed if o.meeting == date(2025, 12, 10)]
    assert december and december[0].after == pytest.approx(0.391)
    assert result.headlines is not None and result.headlines > 0
    assert result.failed is None
    text = recap.recap_text(result)
    assert "Largest moves (by |σ|):" in text and "Sources failing meanwhile: not applicable" in text


def test_multi_day_moves_scale_sigma_by_the_number_of_closes(history: History) -> None:
    moves = {m.asset_id: m for m in recap.moves_between(history, date(2025, 11, 14), DAY)}
    ndx = moves["nasdaq100"]
    series = history.series("nasdaq100")
    i, j = series.index_at(date(2025, 11, 14)), series.index_at(DAY)
    assert j - i == 4
    assert ndx.size == pytest.approx((series.values[j] / series.values[i] - 1) * 100)
    one_day = recap.moves_between(history, series.dates[i], series.dates[i + 1])
    daily = next(m for m in one_day if m.asset_id == "nasdaq100")
    assert daily.sigma is not None and ndx.sigma is not None
    sigma_1d = daily.size / daily.sigma
    assert ndx.size / ndx.sigma == pytest.approx(sigma_1d * 2, rel=1e-9)  # √4 closes


def test_since_reads_durations_and_days() -> None:
    now = datetime(2025, 11, 21, 8, 0, tzinfo=UTC)
    assert recap.parse_since("12h", now) == now - timedelta(hours=12)
    assert recap.parse_since("30m", now) == now - timedelta(minutes=30)
    assert recap.parse_since("2d", now) == now - timedelta(days=2)
    assert recap.parse_since("2025-11-19", now) == datetime(2025, 11, 19, tzinfo=UTC)
    with pytest.raises(recap.RecapError):
        recap.parse_since("yesterday", now)


def test_session_end_round_trip(tmp_path: Path) -> None:
    assert recap.last_session_end(tmp_path) is None
    when = datetime(2025, 11, 20, 22, 5, tzinfo=UTC)
    recap.mark_session_end(tmp_path, when)
    assert recap.last_session_end(tmp_path) == when


def test_live_recap_names_failing_sources(history: History) -> None:
    snap = ReplaySource(history).snapshot(DAY)
    now = snap.as_of
    failing = SourceHealth("yahoo", False, now - timedelta(hours=2), "HTTP 503")
    fine = SourceHealth("fred", True, now)
    live = replace(snap, mode=Mode.LIVE, day=None, sources=(failing, fine))
    result = recap.live_recap(history, live, now - timedelta(hours=20))
    assert result.failed == ("yahoo",)
    assert result.headlines is None
    assert result.moves and result.moves[0].end <= DAY


def test_recap_command(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    history: History,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("RISKPULSE_CONFIG", str(tmp_path / "none.toml"))
    assert main(["--replay", "2025-11-20", "recap"]) == 0
    assert "Since the previous trading day (2025-11-19)" in capsys.readouterr().out
    assert main(["recap"]) == 2  # no session recorded and no --since
    assert main(["recap", "--since", "12h"]) == 2  # nothing cached
    store = Store(cache_path())
    store.save_snapshot(snapshot_json(ReplaySource(history).snapshot(DAY)))
    store.close()
    assert main(["recap", "--since", "2025-11-18"]) == 0
    out = capsys.readouterr().out
    assert (
        "Largest moves (by |σ|):" in out and "2025-11-17 → 2025-11-20" in out
    )  # the closes known by 18 Nov 00:00 UTC
