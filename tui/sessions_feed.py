"""The app's view of the market sessions: refreshed off the UI thread, read by the panes.

A quote row asks `close_label(asset_id, as_of)`: `close 11-20` while its market is shut, None
while it trades (or when no calendar has been read yet, so a row never claims a close it cannot
back). The calendars are built in another process (`tui.sessions`) and kept in the cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from tui.sessions import MarketSession, Timeline, close_label, market_sessions, phase_of


def cached_timeline(path: Path, now: datetime, build: Callable[[], None]) -> Timeline:
    """The timeline kept at `path`, rebuilt by `build` when missing or outside its window.

    Args:
        path: The cache file.
        now: The moment to cover.
        build: Writes a fresh timeline to `path` (the app runs `python -m tui.sessions` in a
            subprocess, so pandas never holds the UI's interpreter lock).

    Raises:
        OSError: When the timeline can be neither read nor built.
    """
    for attempt in range(2):
        try:
            timeline = Timeline.from_json(json.loads(path.read_text(encoding="utf-8")))
            if timeline.covers(now):
                return timeline
        except (OSError, KeyError, TypeError, ValueError):
            pass
        if attempt == 0:
            build()
    raise OSError(f"no market calendar could be built at {path}")


def build_in_subprocess(path: Path, now: datetime) -> Callable[[], None]:
    """A `build` for `cached_timeline` that runs the calendars in another process."""

    def build() -> None:
        subprocess.run(
            [sys.executable, "-m", "tui.sessions", str(path), now.isoformat()],
            check=False,
            timeout=300,
            capture_output=True,
            preexec_fn=lambda: os.nice(10),  # a background chore: the UI and refreshes go first
        )

    return build


class SessionsFeed:
    """Market sessions for the app.

    Args:
        path: The calendars' cache file.
        now: Wall clock.
    """

    def __init__(self, path: Path, now: Callable[[], datetime]) -> None:
        self.path = path
        self.now = now
        self.sessions: list[MarketSession] = []
        """The latest reading (empty until the first refresh has run)."""
        self.error: str | None = None
        """Why the calendars could not be read, when they could not."""

    def refresh(self) -> list[MarketSession]:
        """Read (or build, in a subprocess) the calendars; blocking: call it from a thread."""
        now = self.now()
        try:
            timeline = cached_timeline(self.path, now, build_in_subprocess(self.path, now))
        except OSError as exc:
            self.error = str(exc)
            return self.sessions
        self.sessions, self.error = market_sessions(now, timeline), None
        return self.sessions

    def close_label(self, asset_id: str, as_of: date | None) -> str | None:
        """`close MM-DD` for a row whose market is shut now, else None."""
        today = self.now().astimezone().date()
        return close_label(phase_of(asset_id, self.sessions), as_of, today)
