"""SQLite cache (stdlib sqlite3, WAL): the last snapshot, daily history per asset, the Fed odds
per day and the last fed funds futures prices each source gave.

The cache lets start-up show the last snapshot at once (marked CACHED with its age), then the
Fed-watch odds computed from the futures prices it kept, and lets the drill-down explain today's
moves on bundled history extended with fetched days.

The schema is versioned with `PRAGMA user_version` (`SCHEMA_VERSION`); `MIGRATIONS` bring an older
cache up to date (version 0 is the unversioned cache of earlier releases, whose tables are the
same). A database that cannot be read, or that holds another schema or a newer version, is moved
aside and rebuilt, and `warning` says so in one line. A cache the user cannot write (a read-only
file or directory) is used read-only and never renamed: writes are skipped, `warning` says so.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from tui.history import Series, merge_histories
from tui.sanitize import redact

FED_FUTURES = """
CREATE TABLE IF NOT EXISTS fed_futures (
    source TEXT NOT NULL,
    month TEXT NOT NULL,
    price REAL NOT NULL,
    received REAL NOT NULL,
    PRIMARY KEY (source, month)
) WITHOUT ROWID;
"""
"""The last 30-day fed funds futures prices per source (`cme` settlements, `yahoo` ZQ), by
contract month (`2026-12`), with the wall-clock time they arrived (schema version 2)."""
SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    saved_at REAL NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    asset TEXT NOT NULL,
    day TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (asset, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fed_odds (
    source TEXT NOT NULL,
    meeting TEXT NOT NULL,
    day TEXT NOT NULL,
    move INTEGER NOT NULL,
    probability REAL NOT NULL,
    PRIMARY KEY (source, meeting, day, move)
) WITHOUT ROWID;
"""
    + FED_FUTURES
)
"""Every table, as `CREATE TABLE IF NOT EXISTS`."""


SCHEMA_VERSION = 2
"""The schema this release writes (`PRAGMA user_version`)."""
MIGRATIONS: dict[int, str] = {0: SCHEMA, 1: FED_FUTURES}
"""Script that brings a cache of version `v` to `v + 1` (0 → 1: create what is missing;
1 → 2: the futures prices behind the Fed-watch odds)."""
COLUMNS = {
    "snapshot": ["id", "saved_at", "body"],
    "history": ["asset", "day", "value"],
    "fed_odds": ["source", "meeting", "day", "move", "probability"],
    "fed_futures": ["source", "month", "price", "received"],
}
"""Our tables and their columns: anything else in the file means it is not our cache."""


class ForeignSchema(sqlite3.DatabaseError):
    """The database is healthy but is not a riskpulse cache of a version this release knows."""


def _writable(path: Path) -> bool:
    """Can this process write the cache (and its WAL files next to it)?"""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the first existing ancestor is where the folders get made
    if not os.access(folder, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def _check_schema(conn: sqlite3.Connection) -> int:
    """The cache's schema version.

    Raises:
        ForeignSchema: On tables or columns that are not ours, or a newer version.
    """
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise ForeignSchema(f"schema version {version} is newer than this release's")
    tables = {
        name: [c for (c,) in conn.execute("SELECT name FROM pragma_table_info(?)", (name,))]
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    for name, columns in tables.items():
        if COLUMNS.get(name) != columns:
            raise ForeignSchema(f"table {name!r} is not a riskpulse table")
    return version


def cache_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CACHE_HOME/riskpulse/cache.sqlite3` (default `~/.cache/…`)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "riskpulse" / "cache.sqlite3"


class Store:
    """The cache database.

    Args:
        path: Database file.
        clock: Wall-clock seconds (injected in tests).
    """

    def __init__(
        self,
        path: Path,
        clock: Callable[[], float] = time.time,
        *,
        read_only: bool | None = None,
    ) -> None:
        self.path = path
        self.clock = clock
        self.warning: str | None = None
        """One line when the cache was moved aside, or is used read-only."""
        if path.exists() and not path.is_file():
            raise sqlite3.DatabaseError(f"{path} is not a file; the cache is not used")
        self.read_only = not _writable(path) if read_only is None else read_only
        """True when the cache cannot be written: it is read, never changed or renamed."""
        self.lock = threading.RLock()
        """One connection serves the UI's event loop and worker threads: one user at a time."""
        self.conn = self._open_read_only() if self.read_only else self._open()

    def _open_read_only(self) -> sqlite3.Connection:
        """Open a cache that cannot be written.

        Raises:
            sqlite3.DatabaseError: When it is missing, unreadable or not our cache (the caller
                then runs without a cache, saying so in one line; the file is left alone).
        """
        if not self.path.is_file():
            raise sqlite3.DatabaseError(f"{self.path} cannot be created (read-only location)")
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            _check_schema(conn)
        except sqlite3.OperationalError:  # WAL without a writable -shm: read it as immutable
            conn = sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=False)
            _check_schema(conn)
        self.warning = "the cache is read-only here: it is shown but not updated"
        return conn

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, check_same_thread=False)
        try:
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {row[0] if row else 'no answer'}")
            version = _check_schema(conn)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; fsync per checkpoint
            while version < SCHEMA_VERSION:
                with conn:
                    conn.executescript(MIGRATIONS[version])
                    version += 1
                    conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc):
                self.read_only = True  # found out only now (a read-only mount): leave it be
                return self._open_read_only()
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(self.clock())}")
            for suffix in ("", "-wal", "-shm"):
                part = Path(f"{self.path}{suffix}")
                if part.exists():
                    os.replace(part, Path(f"{aside}{suffix}"))
            what = "holds another schema" if isinstance(exc, ForeignSchema) else "could not be read"
            self.warning = (
                f"the cache {what} ({exc}); moved it to {aside.name} and started a new one"
            )
            return self._connect()

    def close(self) -> None:
        """Close the database (after any query another thread is running)."""
        with self.lock:
            self.conn.close()

    def save_snapshot(self, doc: Mapping[str, Any]) -> None:
        """Keep the latest snapshot (the `riskpulse.snapshot/1` document), atomically."""
        if self.read_only:
            return
        with self.lock, self.conn:
            self.conn.execute(
                "INSERT INTO snapshot (id, saved_at, body) VALUES (1, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET saved_at = excluded.saved_at, body = excluded.body",
                (self.clock(), redact(json.dumps(doc))),  # no key, even an echoed one
            )

    def load_snapshot(self) -> tuple[float, dict[str, Any]] | None:
        """The last snapshot and the wall-clock time it was saved, or None."""
        with self.lock:
            row = self.conn.execute("SELECT saved_at, body FROM snapshot WHERE id = 1").fetchone()
            if row is None:
                return None
            try:
                return float(row[0]), json.loads(row[1])
            except (TypeError, ValueError):
                return None

    def add_history(self, asset_id: str, points: Iterable[tuple[date, float]]) -> None:
        """Store daily closes of an asset (a later fetch of the same day replaces it)."""
        self.add_histories({asset_id: points})

    def add_histories(self, points: Mapping[str, Iterable[tuple[date, float]]]) -> None:
        """Store daily closes of several assets in one transaction."""
        if self.read_only:
            return
        with self.lock:
            rows = [
                (asset_id, d.isoformat(), float(v))
                for asset_id, pairs in points.items()
                for d, v in pairs
                if v == v
            ]
            with self.conn:
                self.conn.executemany(
                    "INSERT INTO history (asset, day, value) VALUES (?, ?, ?) "
                    "ON CONFLICT(asset, day) DO UPDATE SET value = excluded.value",
                    rows,
                )

    def history(self, asset_id: str) -> list[tuple[date, float]]:
        """Cached daily closes of an asset, ascending."""
        with self.lock:
            rows = self.conn.execute(
                "SELECT day, value FROM history WHERE asset = ? ORDER BY day", (asset_id,)
            )
            return [(date.fromisoformat(d), float(v)) for d, v in rows]

    def add_fed_odds(
        self, source: str, meeting: date, day: date, probabilities: Mapping[int, float]
    ) -> None:
        """Keep one day's odds for a meeting (the day's last reading wins)."""
        if self.read_only:
            return
        with self.lock, self.conn:
            self.conn.execute(
                "DELETE FROM fed_odds WHERE source = ? AND meeting = ? AND day = ?",
                (source, meeting.isoformat(), day.isoformat()),
            )
            self.conn.executemany(
                "INSERT INTO fed_odds (source, meeting, day, move, probability) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (source, meeting.isoformat(), day.isoformat(), int(k), float(v))
                    for k, v in probabilities.items()
                ],
            )

    def fed_odds_before(self, source: str, meeting: date, day: date) -> dict[int, float] | None:
        """The odds of the last day before `day` that has a reading, or None."""
        with self.lock:
            row = self.conn.execute(
                "SELECT MAX(day) FROM fed_odds WHERE source = ? AND meeting = ? AND day < ?",
                (source, meeting.isoformat(), day.isoformat()),
            ).fetchone()
            if row is None or row[0] is None:
                return None
            rows = self.conn.execute(
                "SELECT move, probability FROM fed_odds "
                "WHERE source = ? AND meeting = ? AND day = ?",
                (source, meeting.isoformat(), row[0]),
            )
            return {int(m): float(p) for m, p in rows}

    def fed_odds_since(self, day: date) -> list[tuple[str, date, date, dict[int, float]]]:
        """Every kept reading from `day` on: (source, meeting, day, move in bp → probability)."""
        with self.lock:
            rows = self.conn.execute(
                "SELECT source, meeting, day, move, probability FROM fed_odds WHERE day >= ? "
                "ORDER BY source, meeting, day",
                (day.isoformat(),),
            ).fetchall()
        out: dict[tuple[str, str, str], dict[int, float]] = {}
        for source, meeting, on, move, probability in rows:
            out.setdefault((source, meeting, on), {})[int(move)] = float(probability)
        return [
            (source, date.fromisoformat(meeting), date.fromisoformat(on), probs)
            for (source, meeting, on), probs in out.items()
        ]

    def keep_futures(
        self, source: str, prices: Mapping[tuple[int, int], float], received: float
    ) -> None:
        """Keep the fed funds futures prices a source gave, replacing the ones it gave before.

        Args:
            source: `cme` (CME's settlements) or `yahoo` (Yahoo's dated ZQ contracts).
            prices: Contract month (year, month) → price (100 − the month's average EFFR, %).
            received: When they arrived (epoch seconds).
        """
        if self.read_only:
            return
        rows = [
            (source, f"{year:04d}-{month:02d}", float(price), float(received))
            for (year, month), price in sorted(prices.items())
            if price == price
        ]
        with self.lock, self.conn:
            self.conn.execute("DELETE FROM fed_futures WHERE source = ?", (source,))
            self.conn.executemany(
                "INSERT INTO fed_futures (source, month, price, received) VALUES (?, ?, ?, ?)",
                rows,
            )

    def kept_futures(self) -> dict[str, tuple[float, dict[tuple[int, int], float]]]:
        """The last futures prices each source gave (`keep_futures`).

        Returns:
            Source → (when they arrived in epoch seconds, contract month → price); empty when
            none were kept, or the cache is a read-only one of an earlier schema without them.
        """
        with self.lock:
            try:
                rows = self.conn.execute(
                    "SELECT source, month, price, received FROM fed_futures ORDER BY source, month"
                ).fetchall()
            except sqlite3.OperationalError:  # no such table: a read-only cache of version 1
                return {}
        months: dict[str, dict[tuple[int, int], float]] = {}
        received_at: dict[str, float] = {}
        for source, month, price, received in rows:  # one source's rows arrived together
            year, number = str(month).split("-")
            months.setdefault(source, {})[(int(year), int(number))] = float(price)
            received_at[source] = float(received)
        return {source: (received_at[source], prices) for source, prices in months.items()}

    def merged(self, bundled: Series) -> Series:
        """The bundled series extended with cached days it does not hold.

        Bundled values win on days both have: they are the checked record; a split applied to
        one history only is put on one basis first (`tui.history.merge_histories`).
        """
        return merge_histories(bundled, self.history(bundled.id))
