"""Market sessions: each exchange open, pre, post, break or closed, and the next change in the
user's time zone. The calendars are built in another process and kept in the cache."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

REFRESH_SECONDS = 30.0


class SessionsScreen(ModalScreen[None]):
    """The market sessions, refreshed every 30 s; Esc or q closes it.

    Args:
        cache_file: Where the calendars' timeline is kept.
        now: Wall clock (tests inject it).
    """

    DEFAULT_CSS = """
    SessionsScreen { align: center middle; }
    #sessions-box {
        width: 78; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; padding: 1 2; background: $surface;
    }
    """

    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="sessions.close")]

    def __init__(self, cache_file: Path, now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.cache_file = cache_file
        self.now = now or (lambda: datetime.now(UTC))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="sessions-box"):
            yield Static(Content("Market sessions\n\nreading the calendars…"), id="sessions-text")

    def on_mount(self) -> None:
        self._compute()
        self.set_interval(REFRESH_SECONDS, self._compute, name="sessions-refresh")

    @work(
        thread=True, group="sessions", exclusive=True, exit_on_error=False, description="Sessions"
    )
    def _compute(self) -> None:
        from tui.sessions import market_sessions, sessions_text
        from tui.sessions_feed import build_in_subprocess, cached_timeline

        now = self.now()
        try:
            timeline = cached_timeline(
                self.cache_file, now, build_in_subprocess(self.cache_file, now)
            )
            body = sessions_text(market_sessions(now, timeline), now, tz=None)
        except OSError as exc:
            body = f"The exchange calendars could not be read: {exc}"
        zone = now.astimezone().tzname()
        text = f"Market sessions (times in {zone})\n\n{body}"
        self.app.call_from_thread(self._show, text)

    def _show(self, text: str) -> None:
        self.query_one("#sessions-text", Static).update(Content(text))
