"""A row-cursor DataTable that lets the keyboard walk off its edges into neighbouring panes."""

from __future__ import annotations

from typing import Literal

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

Direction = Literal["up", "down", "left", "right"]


class NavigableTable(DataTable[object]):
    """A DataTable with vim keys whose edges hand focus to the screen.

    Bindings:
        up, k / down, j: move the row cursor; past the first or last row, leave the pane.
        left, h / right, l: leave the pane sideways.
    """

    BINDINGS = [
        Binding("up,k", "move('up')", "Up", show=False, id="nav.up"),
        Binding("down,j", "move('down')", "Down", show=False, id="nav.down"),
        Binding("left,h", "move('left')", "Left pane", show=False, id="nav.left"),
        Binding("right,l", "move('right')", "Right pane", show=False, id="nav.right"),
    ]

    class Leave(Message):
        """The cursor was pushed past an edge: the screen should move focus."""

        def __init__(self, table: NavigableTable, direction: Direction) -> None:
            self.table = table
            self.direction = direction
            super().__init__()

    def on_mount(self) -> None:
        # Cell colours carry meaning (gain, loss, stale); the cursor must not paint over them.
        self.cursor_foreground_priority = "renderable"

    def action_move(self, direction: Direction) -> None:
        """Move the cursor, or leave the pane at an edge."""
        last = self.row_count - 1
        if direction == "up" and self.cursor_row > 0:
            self.move_cursor(row=self.cursor_row - 1)
        elif direction == "down" and self.cursor_row < last:
            self.move_cursor(row=self.cursor_row + 1)
        else:
            self.post_message(self.Leave(self, direction))
