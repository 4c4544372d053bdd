"""A small modal that asks for a day to replay."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class GotoDateScreen(ModalScreen[date | None]):
    """Returns the chosen day, or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="goto.cancel")]

    def __init__(self, first: date, last: date, current: date | None) -> None:
        super().__init__()
        self.first, self.last, self.current = first, last, current

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            # Two short lines: the box is 54 columns inside, and must fit an 80x24 pane.
            yield Label("Go to a day (YYYY-MM-DD)")
            yield Label(f"bundled: {self.first} … {self.last}", id="goto-span")
            yield Input(
                value=self.current.isoformat() if self.current else "",
                placeholder="2025-11-20",
                id="goto-input",
            )
            yield Label("", id="goto-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        error = self.query_one("#goto-error", Label)
        try:
            day = date.fromisoformat(event.value.strip())
        except ValueError:
            error.update("Not a date: use YYYY-MM-DD")
            return
        if not self.first <= day <= self.last:
            error.update(f"Outside the bundled data ({self.first} … {self.last})")
            return
        self.dismiss(day)
