"""The prompt that adds a symbol (or imports a file) from the app.

The input completes over every known symbol (`SuggestFromList`); Enter hands the text to the
app's action, which checks a new symbol with one quote request off the UI thread. A refusal
stays in the prompt as one line; success closes it with the line to show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from tui.watchlist import WatchError

Action = Callable[[str], Awaitable[str]]
"""Does the work for the typed text; returns the line to show, or raises WatchError."""


class WatchPromptScreen(ModalScreen[str | None]):
    """Returns the line saying what was done, or None when cancelled.

    Args:
        title: What the prompt does.
        hint: One line under the input.
        action: Runs on Enter.
        suggestions: What the input completes over.
    """

    DEFAULT_CSS = """
    WatchPromptScreen { align: center middle; }
    #watch-box {
        width: 64; max-width: 100%; height: auto;
        border: round $primary; padding: 1 2; background: $surface;
    }
    #watch-hint { color: $text-muted; }
    #watch-error { color: $error; width: 100%; }
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="watch_prompt.cancel")]

    def __init__(
        self, title: str, hint: str, action: Action, suggestions: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.title_text, self.hint_text, self.action = title, hint, action
        self.suggestions = list(suggestions)

    def compose(self) -> ComposeResult:
        with Vertical(id="watch-box"):
            yield Label(Content(self.title_text))
            yield Input(
                id="watch-input",
                suggester=SuggestFromList(self.suggestions, case_sensitive=False),
            )
            yield Label(Content(self.hint_text), id="watch-hint")
            yield Label("", id="watch-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.query_one("#watch-error", Label).update(Content(f"checking {text[:40]}…"))
            self.check_text(text)

    @work(group="watch-check", exclusive=True, exit_on_error=False, description="Check a symbol")
    async def check_text(self, text: str) -> None:
        """Run the action; a refusal is shown as one plain line."""
        try:
            line = await self.action(text)
        except WatchError as exc:
            self.query_one("#watch-error", Label).update(Content(str(exc)))
            return
        self.dismiss(line)
