"""`riskpulse status`: read the cache, refresh it from one process at most, print the line.

Standard library only on the warm path (see `tui.status_line`). Paths follow the same rules as
`tui.config.config_path` and `tui.store.cache_path`; they are repeated here because importing
those modules costs more than the whole status line is allowed to take (tests keep them equal).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Mapping

from tui.status_line import StatusSettings, parts_of, render, settings_from

TYPE_CHECKING = False  # typing itself costs the status line ~10 ms; mypy reads this name
if TYPE_CHECKING:
    from typing import Any, TextIO

EXIT_OK, EXIT_NO_DATA, EXIT_USAGE = 0, 1, 2
LOCK_NAME = "status.lock"

Refresher = Callable[[], bool]
"""Refreshes the cache (True when a source answered)."""


class StatusError(Exception):
    """A bad config or day, reported as one line with exit code 2."""


def config_file(cli_path: str | None, env: Mapping[str, str]) -> str:
    """The config path, by `tui.config.config_path`'s discovery order (plain strings: pathlib
    alone would cost the status line ~15 ms)."""
    if cli_path:
        return os.path.expanduser(cli_path)
    if env.get("RISKPULSE_CONFIG"):
        return os.path.expanduser(env["RISKPULSE_CONFIG"])
    base = env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "riskpulse", "config.toml")


def cache_dir(env: Mapping[str, str]) -> str:
    """`$XDG_CACHE_HOME/riskpulse`, where `tui.store.cache_path` keeps the database."""
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "riskpulse")


def load_settings(path: str) -> StatusSettings:
    """The `[status]` table of the config (defaults when there is none).

    Raises:
        StatusError: When the file cannot be parsed or the table is wrong.
    """
    if not os.path.exists(path):
        return StatusSettings()
    import tomllib

    try:
        with open(path, encoding="utf-8") as fh:
            data = tomllib.loads(fh.read())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StatusError(f"{path}: {exc}") from None

    def fail(key: str, why: str) -> StatusError:
        return StatusError(f"{path}: {key}: {why}")

    return settings_from(data.get("status", {}), fail)


def age_text(seconds: float) -> str:
    """'12 min', '3 h', '2 d': `tui.model.age_text` in minutes, kept here for start-up cost."""
    seconds = max(0.0, seconds)
    if seconds < 90 * 60:
        return f"{int(seconds // 60)} min"
    if seconds < 36 * 3600:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def read_cache(directory: str) -> tuple[float, dict[str, Any]] | None:
    """The cached snapshot document and when it was saved, or None (never creates the cache)."""
    db = os.path.join(directory, "cache.sqlite3")
    if not os.path.exists(db):
        return None
    import sqlite3

    try:
        conn = sqlite3.connect(db, timeout=2)
        try:
            row = conn.execute("SELECT saved_at, body FROM snapshot WHERE id = 1").fetchone()
        finally:
            conn.close()
        if row is None:
            return None
        return float(row[0]), json.loads(row[1])
    except (sqlite3.Error, ValueError, TypeError):
        return None


def replay_doc(directory: str, day: str) -> dict[str, Any]:
    """The replayed day's snapshot document, built once from the bundle and kept in the cache.

    Raises:
        StatusError: When the day is not a date or lies outside the bundled data.
    """
    from tui import __version__

    path = os.path.join(directory, "status", f"replay-{__version__}-{day}.json")
    try:
        with open(path, encoding="utf-8") as fh:
            return dict(json.load(fh))
    except (OSError, ValueError):
        pass
    from datetime import date

    from tui.history import History
    from tui.snapshot_output import snapshot_json
    from tui.sources.replay import ReplaySource

    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise StatusError(f"not a date (YYYY-MM-DD): {day!r}") from None
    history = History()
    first, last = history.span()
    if not first <= when <= last:
        raise StatusError(f"{when} is outside the bundled data ({first} … {last})")
    doc = snapshot_json(ReplaySource(history).snapshot(when))
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs the next call the rebuild
    return doc


def try_refresh(directory: str, interval: float, now: float, refresher: Refresher) -> bool:
    """Refresh the cache unless another process is at it or tried within `interval`.

    The lock file holds the time of the last attempt, so a machine without network tries once
    per interval, not once per tmux pane per status tick.

    Returns:
        True when this process refreshed the cache and a source answered.
    """
    import fcntl

    os.makedirs(directory, exist_ok=True)
    fd = os.open(os.path.join(directory, LOCK_NAME), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # another pane is refreshing: print the cached line with its age
        try:
            last = float(os.pread(fd, 32, 0).decode() or 0)
        except ValueError:
            last = 0.0
        if now - last < interval:
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{now:.3f}".encode(), 0)
        return refresher()
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def live_refresher(config_path: str | None) -> Refresher:
    """One refresh of every live source, saved to the cache (imports httpx only when called)."""

    def refresh() -> bool:
        from tui.cli import UsageError, live_snapshot, load_config

        try:
            snap, _ = live_snapshot(load_config(config_path), time.time)
        except UsageError:
            return False
        return snap is not None

    return refresh


def run(
    day: str | None,
    tmux: bool,
    config_path: str | None,
    *,
    clock: Callable[[], float] = time.time,
    refresher: Refresher | None = None,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
) -> int:
    """Print the status line; the exit code.

    Args:
        day: Replay this day (YYYY-MM-DD) from the bundle instead of the live cache.
        tmux: Emit tmux colour codes.
        config_path: `--config`.
        clock: Wall-clock seconds (tests inject it).
        refresher: Refreshes the live cache (tests inject it).
        env: Environment (tests inject it).
        out: Where the line goes (stdout).
    """
    env = os.environ if env is None else env
    out = out or sys.stdout
    try:
        settings = load_settings(config_file(config_path, env))
        directory = cache_dir(env)
        marker: str | None
        if day is not None:
            doc, marker = replay_doc(directory, day), f"replay {day}"
        else:
            cached = read_cache(directory)
            now = clock()
            if cached is None or now - cached[0] > settings.refresh:
                fresh = try_refresh(
                    directory,
                    settings.refresh,
                    now,
                    refresher or live_refresher(config_path),
                )
                cached = read_cache(directory) if fresh else cached
            if cached is None:
                print("riskpulse: nothing cached yet (run riskpulse once)", file=out)
                return EXIT_NO_DATA
            saved_at, doc = cached
            age = clock() - saved_at
            marker = f"{age_text(age)} old" if age > settings.refresh else None
    except StatusError as exc:
        print(f"riskpulse: {exc}", file=sys.stderr)
        return EXIT_USAGE
    line = render(parts_of(doc, settings.items), settings.width, tmux, settings.colours, marker)
    print(line, file=out)
    return EXIT_OK
