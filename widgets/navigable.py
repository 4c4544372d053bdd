"""A row-cursor DataTable that lets the keyboard walk off its edges into neighbouring panes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal, Self

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable

Direction = Literal["up", "down", "left", "right"]
Layout = Literal["compact", "standard", "wide"]
"""The dashboard's layouts: compact (every pane at 80x24), standard (120x40), wide (200x60)."""
ColumnSpec = tuple[str, str, int]
"""A column's key, header label and width."""


def head_labels(specs: Sequence[ColumnSpec], title: str, left: Collection[str] = ()) -> list[Text]:
    """Header labels that read as one line: the pane's title, then the column labels.

    In the compact layout the pane has no border, so its header row carries the title. The
    line is laid out whole (labels justified in their columns, the title from the left, cut
    one space short of the first label it would run into) and then cut at the column edges.

    Args:
        specs: The columns (key, label, width), left to right.
        title: The pane's title; empty keeps the plain labels.
        left: Keys of left-aligned columns.

    Returns:
        One label per column.
    """
    if not title:
        return [Text(label, justify="left" if key in left else "right") for key, label, _ in specs]
    width = sum(w for _, _, w in specs)
    line = [" "] * width
    x = 0
    for i, (key, label, w) in enumerate(specs):
        text = label[:w]
        start = x if key in left else x + w - len(text)
        if i > 0:
            line[start : start + len(text)] = list(text)
        x += w
    first_label = next((k for k, c in enumerate(line) if c != " "), width + 1)
    # A leading space like the rows', unless only the title without it fits whole.
    room = max(0, first_label - 1)
    if len(title) + 1 <= room:
        shown = f" {title}"
    elif len(title) <= room:
        shown = title
    else:
        shown = f" {title}"[:room]
    line[: len(shown)] = list(shown)
    out: list[Text] = []
    x = 0
    for _, _, w in specs:
        # Plain text: the title runs across cells, and a bold face would break it up in the
        # SVG screenshots (its glyphs are wider than the cell grid there).
        out.append(Text("".join(line[x : x + w]), no_wrap=True, overflow="crop"))
        x += w
    return out


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

    pane_layout: reactive[Layout] = reactive[Layout]("standard")
    """Which of the dashboard's layouts the table is drawn for (its columns follow)."""
    pane_title: reactive[str] = reactive("")
    """The pane's title; in the compact layout the header row shows it (there is no border)."""
    LEFT_COLUMNS: frozenset[str] = frozenset({"name"})
    """Columns whose labels are left-aligned."""

    _laid_out = False
    """True once on_mount has laid the columns out (reactives set before that wait for it)."""
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

    def column_specs(self) -> Sequence[ColumnSpec]:
        """The columns for the current layout (subclasses say which)."""
        return ()

    def table_rows(self) -> list[tuple[str, Sequence[Text]]]:
        """The rows to show, keyed (subclasses build them from their data)."""
        return []

    def rebuild(self) -> None:
        """Lay the columns out for the layout and title, then show the rows again."""
        if not self._laid_out:
            return
        row = self.cursor_row
        self.forget_rows()
        self.clear(columns=True)
        specs = self.column_specs()
        title = self.pane_title if self.pane_layout == "compact" else ""
        for (key, _, width), label in zip(
            specs, head_labels(specs, title, self.LEFT_COLUMNS), strict=True
        ):
            self.add_column(label, width=width, key=key)
        self.redraw()
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def redraw(self) -> None:
        """Show the rows built from the current data (only changed cells are repainted)."""
        if self.columns:
            self.show_rows(self.table_rows())

    def watch_pane_layout(self) -> None:
        self.rebuild()

    def watch_pane_title(self) -> None:
        if self.pane_layout == "compact":
            self.rebuild()

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
