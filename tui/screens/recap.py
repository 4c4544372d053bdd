"""Since you last looked: the recap on start, dismissed with Esc, Enter or Space."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.history import History
from tui.model import Snapshot

if TYPE_CHECKING:
    from tui.store import Store


def recap_due(directory: Path | None, now: datetime | None) -> datetime | None:
    """When the last session ended, if a recap is due at `now` (any time ago when `now` is
    None); None without a session directory or record."""
    from tui.recap import RECAP_AFTER, last_session_end

    ended = last_session_end(directory) if directory is not None else None
    if ended is None or (now is not None and now - ended <= RECAP_AFTER):
        return None
    return ended


def app_recap_text(
    history: History,
    day: date | None,
    snapshot: Snapshot | None,
    since: datetime | None,
    store: Store | None,
) -> str:
    """The recap for what the app shows: the replayed day, or the live snapshot since `since`.

    Args:
        history: The bundled history.
        day: The replayed day, or None in live mode.
        snapshot: The live (or cached) snapshot shown.
        since: The end of the last session (live); the snapshot's own time when None.
        store: The cache, whose fetched days extend the history.
    """
    from tui import recap

    if day is not None:
        return recap.recap_text(recap.replay_recap(history, day))
    opened: Store | None = None
    if snapshot is None and store is None:
        # On start the dashboard is still opening the cache: read the last snapshot here.
        from tui.snapshot_output import snapshot_from_json
        from tui.store import Store, cache_path

        path = cache_path()
        if path.exists():
            store = opened = Store(path)
            loaded = store.load_snapshot()
            if loaded is not None:
                saved = datetime.fromtimestamp(loaded[0], UTC)
                snapshot = snapshot_from_json(loaded[1], saved)
    try:
        if snapshot is None:
            return "Nothing to compare yet: no live or cached snapshot."
        if store is not None:
            from tui.history import MergedHistory

            history = MergedHistory(history, store.merged)
        return recap.recap_text(recap.live_recap(history, snapshot, since or snapshot.as_of))
    finally:
        if opened is not None:
            opened.close()


class RecapScreen(ModalScreen[None]):
    """Shows the recap text, computed off the UI thread by `build`.

    Args:
        build: Returns the recap as plain text (reads history and the cache: run in a thread).
    """

    DEFAULT_CSS = """
    RecapScreen { align: center middle; }
    #recap-box {
        width: 100; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; padding: 1 2; background: $surface;
    }
    """

    BINDINGS = [Binding("escape,enter,space,q", "dismiss", "Close", id="recap.close")]

    def __init__(self, build: Callable[[], str]) -> None:
        super().__init__()
        self.build = build

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="recap-box"):
            yield Static(Content("Since you last looked\n\ncomputing…"), id="recap-text")

    def on_mount(self) -> None:
        self._compute()

    @work(thread=True, group="recap", exclusive=True, exit_on_error=False, description="Recap")
    def _compute(self) -> None:
        try:
            text = self.build()
        except Exception as exc:  # shown, not swallowed: the screen says what failed
            text = f"The recap could not be built: {exc}"
        self.app.call_from_thread(self._show, text)

    def _show(self, text: str) -> None:
        self.query_one("#recap-text", Static).update(
            Content(f"Since you last looked\n\n{text}\n\nEsc, Enter or Space closes this.")
        )
