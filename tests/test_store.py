"""The SQLite cache: WAL, snapshot and history round trips, merging, corruption recovery."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tui.history import Series
from tui.store import Store, cache_path


def test_cache_path_follows_xdg(tmp_path: Path) -> None:
    assert cache_path({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "riskpulse" / "cache.sqlite3"


def test_snapshot_round_trip_in_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3", clock=lambda: 1_000.0)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.load_snapshot() is None
    store.save_snapshot({"schema": "riskpulse.snapshot/1", "mode": "live"})
    store.save_snapshot({"schema": "riskpulse.snapshot/1", "mode": "live", "n": 2})
    assert store.load_snapshot() == (
        1000.0,
        {"schema": "riskpulse.snapshot/1", "mode": "live", "n": 2},
    )
    store.close()
    again = Store(tmp_path / "c.sqlite3")
    loaded = again.load_snapshot()
    assert loaded is not None and loaded[1]["n"] == 2 and again.warning is None


def test_history_merges_with_bundled_data(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    bundled = Series("btc", (date(2026, 7, 24), date(2026, 7, 25)), (63000.0, 64375.0))
    store.add_history(
        "btc",
        [(date(2026, 7, 25), 1.0), (date(2026, 7, 26), 65000.0), (date(2026, 7, 27), float("nan"))],
    )
    merged = store.merged(bundled)
    assert merged.dates == (date(2026, 7, 24), date(2026, 7, 25), date(2026, 7, 26))
    assert merged.values == (63000.0, 64375.0, 65000.0)  # bundled wins where both exist
    assert store.merged(Series("eth", (), ())) == Series("eth", (), ())


def test_corrupt_database_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = Store(path, clock=lambda: 42.0)
    assert store.warning is not None and "moved it to c.sqlite3.corrupt-42" in store.warning
    assert (tmp_path / "c.sqlite3.corrupt-42").exists()
    store.save_snapshot({"ok": True})
    loaded = store.load_snapshot()
    assert loaded is not None and loaded[1] == {"ok": True}


def test_fed_odds_history_gives_the_last_day_before(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    meeting = date(2026, 12, 9)
    store.add_fed_odds("kalshi", meeting, date(2026, 11, 20), {0: 0.3, 25: 0.7})
    store.add_fed_odds("kalshi", meeting, date(2026, 11, 22), {0: 0.2, 25: 0.8})
    store.add_fed_odds("kalshi", meeting, date(2026, 11, 22), {0: 0.25, 25: 0.75})  # day's last
    store.add_fed_odds("futures", meeting, date(2026, 11, 21), {0: 0.9})
    assert store.fed_odds_before("kalshi", meeting, date(2026, 11, 23)) == {0: 0.25, 25: 0.75}
    assert store.fed_odds_before("kalshi", meeting, date(2026, 11, 22)) == {0: 0.3, 25: 0.7}
    assert store.fed_odds_before("kalshi", meeting, date(2026, 11, 20)) is None
    assert store.fed_odds_before("futures", meeting, date(2026, 11, 23)) == {0: 0.9}


def test_merged_history_extends_the_bundle_with_cached_days(tmp_path: Path) -> None:
    from tui.history import History, MergedHistory

    base = History()
    store = Store(tmp_path / "c.sqlite3")
    last = base.series("btc").last
    assert last is not None
    later = date.fromordinal(last.toordinal() + 3)
    store.add_history("btc", [(later, 70_000.0)])
    merged = MergedHistory(base, store.merged)
    assert merged.series("btc").last == later and merged.series("btc").values[-1] == 70_000.0
    assert merged.series("btc").values[:-1] == base.series("btc").values
    assert merged.span()[0] == base.span()[0]
