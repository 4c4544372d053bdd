"""The app's view of the market sessions: refreshed off the UI thread, read by the panes.

A quote row asks `close_label(asset_id, as_of)`: `close 11-20` while its market is shut, None
while it trades (or when no calendar has been read yet, so a row never claims a close it cannot
back). The calendars are built in another process (`tui.sessions`) and kept in the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from tui.sessions import (
    MarketSession,
    build_in_subprocess,
    cached_timeline,
    close_label,
    market_sessions,
    phase_of,
)


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
