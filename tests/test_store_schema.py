"""Cache schema versions, foreign databases and read-only caches: never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui import store as store_module
from tui.store import SCHEMA_VERSION, Store


def version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def test_a_new_cache_carries_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    Store(path).close()
    assert version(path) == SCHEMA_VERSION


def test_an_unversioned_cache_of_ours_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(store_module.SCHEMA)
        conn.execute("INSERT INTO snapshot VALUES (1, 5.0, '{\"kept\": true}')")
    store = Store(path)
    assert store.warning is None and store.load_snapshot() == (5.0, {"kept": True})
    store.close()
    assert version(path) == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("CREATE TABLE users (name TEXT)", "'users' is not a riskpulse table"),
        ("CREATE TABLE snapshot (a, b)", "'snapshot' is not a riskpulse table"),
        ("PRAGMA user_version = 99", "version 99 is newer"),
    ],
)
def test_a_foreign_schema_is_moved_aside_with_one_warning(
    tmp_path: Path, setup: str, words: str
) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(setup)
    store = Store(path, clock=lambda: 7.0)
    assert store.warning is not None and words in store.warning and "\n" not in store.warning
    assert "moved it to c.sqlite3.corrupt-7" in store.warning
    assert (tmp_path / "c.sqlite3.corrupt-7").exists()
    store.save_snapshot({"ok": 1})
    store.close()
    again = Store(path)
    assert again.warning is None and again.load_snapshot() is not None


def test_a_read_only_cache_is_read_and_never_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.sqlite3"
    first = Store(path, clock=lambda: 1.0)
    first.save_snapshot({"n": 1})
    first.close()
    monkeypatch.setattr(store_module, "_writable", lambda p: False)
    before = sorted(p.name for p in tmp_path.iterdir())
    ro = Store(path)
    assert ro.read_only and ro.warning is not None and "read-only" in ro.warning
    assert ro.load_snapshot() == (1.0, {"n": 1})
    ro.save_snapshot({"n": 2})  # skipped, not an error
    ro.add_history("btc", [])
    ro.close()
    after = sorted(p.name for p in tmp_path.iterdir())
    assert before[0] in after and not [n for n in after if "corrupt" in n]


def test_a_read_only_foreign_file_is_skipped_not_renamed(tmp_path: Path) -> None:
    from tui.live_session import open_store

    path = tmp_path / "riskpulse" / "cache.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"not a database at all" * 50)
    with pytest.raises(sqlite3.DatabaseError):
        Store(path, read_only=True)
    assert path.exists() and len(list(path.parent.iterdir())) == 1
    store, _ = open_store({"XDG_CACHE_HOME": str(tmp_path / "nowhere" / "x")})
    assert store is not None  # a writable fresh location still works
    store.close()


def test_a_directory_as_the_cache_is_one_line(tmp_path: Path) -> None:
    from tui.live_session import open_store

    (tmp_path / "riskpulse" / "cache.sqlite3").mkdir(parents=True)
    store, warning = open_store({"XDG_CACHE_HOME": str(tmp_path)})
    assert store is None and warning is not None and "\n" not in warning


V1_SCHEMA = """
CREATE TABLE snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), saved_at REAL NOT NULL,
    body TEXT NOT NULL);
CREATE TABLE history (asset TEXT NOT NULL, day TEXT NOT NULL, value REAL NOT NULL,
    PRIMARY KEY (asset, day)) WITHOUT ROWID;
CREATE TABLE fed_odds (source TEXT NOT NULL, meeting TEXT NOT NULL, day TEXT NOT NULL,
    move INTEGER NOT NULL, probability REAL NOT NULL,
    PRIMARY KEY (source, meeting, day, move)) WITHOUT ROWID;
PRAGMA user_version = 1;
"""
"""A cache as version 1 wrote it: no futures prices."""


def test_a_version_1_cache_gains_the_futures_prices_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SCHEMA)
        conn.execute("INSERT INTO snapshot VALUES (1, 5.0, '{\"kept\": true}')")
    store = Store(path)
    assert store.warning is None and store.load_snapshot() == (5.0, {"kept": True})
    assert store.kept_futures() == {}
    store.keep_futures("cme", {(2026, 12): 96.25, (2026, 11): 96.1}, 7.0)
    store.close()
    assert version(path) == SCHEMA_VERSION == 2
    assert Store(path).kept_futures() == {"cme": (7.0, {(2026, 11): 96.1, (2026, 12): 96.25})}


def test_futures_prices_are_kept_per_source_the_last_answer_replacing_the_one_before(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "c.sqlite3")
    store.keep_futures("cme", {(2026, 10): 96.105, (2026, 11): 95.975}, 10.0)
    store.keep_futures("yahoo", {(2026, 10): 96.1}, 11.0)
    store.keep_futures("cme", {(2026, 11): 95.98, (2026, 12): 95.9}, 20.0)
    assert store.kept_futures() == {
        "cme": (20.0, {(2026, 11): 95.98, (2026, 12): 95.9}),
        "yahoo": (11.0, {(2026, 10): 96.1}),
    }


def test_a_read_only_version_1_cache_has_no_futures_prices_and_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SCHEMA)
    monkeypatch.setattr(store_module, "_writable", lambda p: False)
    ro = Store(path)
    assert ro.read_only and ro.kept_futures() == {}
    ro.keep_futures("cme", {(2026, 12): 96.25}, 1.0)  # skipped, not an error
    ro.close()
    assert version(path) == 1
