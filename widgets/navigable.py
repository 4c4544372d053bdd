"""A row-cursor DataTable that lets the keyboard walk off its edges into neighbouring panes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Self

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.geometry import Region
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

    _shown_cells: dict[str, list[Text]] = {}
    _cell_refresh_only = False
    """True while show_rows updates cells: it refreshes only the cells it changed."""

    class Leave(Message):
        """The cursor was pushed past an edge: the screen should move focus."""

        def __init__(self, table: NavigableTable, direction: Direction) -> None:
            self.table = table
            self.direction = direction
            super().__init__()

    def on_mount(self) -> None:
        # Cell colours carry meaning (gain, loss, stale); the cursor must not paint over them.
        self.cursor_foreground_priority = "renderable"

    def show_rows(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        """Show these rows, touching only the cells that changed.

        A refresh that changes one price repaints one cell, not the pane: over SSH and in a
        tmux pane left open all day, that is most of the idle cost.
        """
        shown = self._shown_cells
        keys = [key for key, _ in rows]
        if keys != list(shown):
            self.clear()
            for key, cells in rows:
                self.add_row(*cells, key=key)
        else:
            columns = [str(c.value) for c in self.columns]
            changed: list[Coordinate] = []
            self._cell_refresh_only = True  # update_cell would repaint the whole table
            try:
                for row, (key, cells) in enumerate(rows):
                    for col, (column, old, new) in enumerate(
                        zip(columns, shown[key], cells, strict=True)
                    ):
                        if not _same(old, new):
                            self.update_cell(key, column, new)
                            changed.append(Coordinate(row, col))
            finally:
                self._cell_refresh_only = False
            for coordinate in changed:
                self.refresh_coordinate(coordinate)
        self._shown_cells = {key: list(cells) for key, cells in rows}

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._cell_refresh_only and not regions and not layout and not recompose:
            return self  # show_rows refreshes just the cells it changed
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def forget_rows(self) -> None:
        """Drop the memory of shown cells (after a theme change, every cell is redrawn)."""
        self._shown_cells = {}
        self.clear()

    def action_move(self, direction: Direction) -> None:
        """Move the cursor, or leave the pane at an edge."""
        last = self.row_count - 1
        if direction == "up" and self.cursor_row > 0:
            self.move_cursor(row=self.cursor_row - 1)
        elif direction == "down" and self.cursor_row < last:
            self.move_cursor(row=self.cursor_row + 1)
        else:
            self.post_message(self.Leave(self, direction))


def _same(a: Text, b: Text) -> bool:
    """Equal as shown: rich's `Text.__eq__` compares only the characters and spans, so a cell
    whose whole style changed (stale to fresh, say) would otherwise never be repainted."""
    return (
        a.plain == b.plain
        and a.style == b.style
        and a.spans == b.spans
        and a.justify == b.justify
        and a.overflow == b.overflow
    )
