"""A row-cursor table, drawn line by line, that lets the keyboard walk off its edges into
neighbouring panes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

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


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a NavigableTable: its key, header label and width in cells."""

    key: str
    label: Text
    width: int


class NavigableTable(ScrollView, can_focus=True):
    """A keyboard table of a few dozen rows, drawn line by line, whose edges hand focus to the
    screen.

    Each row is a key and one `Text` per column, laid out in its column's width (justified as
    the Text says, cut at the edge). The header row stays put while the rows scroll. A row is
    rendered once into a `Strip` and kept until its cells, the cursor, the focus or the styles
    change, so a refresh that changes one price redraws one line.

    Bindings:
        up, k / down, j: move the row cursor; past the first or last row, leave the pane.
        left, h / right, l: leave the pane sideways.
        pageup / pagedown, home / end: move a page, or to the first or last row.
        enter: post RowSelected for the highlighted row (the footer calls it Explain).
    """

    DEFAULT_CSS = """
    NavigableTable {
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
        & > .navigable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .navigable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .navigable--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {"navigable--header", "navigable--cursor"}

    BINDINGS = [
        Binding("up,k", "move('up')", "Up", show=False, id="nav.up"),
        Binding("down,j", "move('down')", "Down", show=False, id="nav.down"),
        Binding("left,h", "move('left')", "Left pane", show=False, id="nav.left"),
        Binding("right,l", "move('right')", "Right pane", show=False, id="nav.right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="nav.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="nav.page_down"),
        Binding("home", "edge(-1)", "First row", show=False, id="nav.first"),
        Binding("end", "edge(1)", "Last row", show=False, id="nav.last"),
        # One Enter for every pane, so the footer keeps its keys when Tab moves focus (a Fed
        # or fear & greed row answers that the drill-down explains quotes).
        Binding(
            "enter",
            "select_cursor",
            "Explain",
            id="pane.open",
            tooltip="Open the drill-down: why did it move?",
        ),
    ]

    pane_layout: reactive[Layout] = reactive[Layout]("standard")
    """Which of the dashboard's layouts the table is drawn for (its columns follow)."""
    pane_title: reactive[str] = reactive("")
    """The pane's title; in the compact layout the header row shows it (there is no border)."""
    cursor_row: reactive[int] = reactive(0, init=False, repaint=False)
    """Index of the highlighted row (0 when the table is empty)."""
    LEFT_COLUMNS: frozenset[str] = frozenset({"name"})
    """Columns whose labels are left-aligned."""

    _laid_out = False
    """True once on_mount has laid the columns out (reactives set before that wait for it)."""

    class Leave(Message):
        """The cursor was pushed past an edge: the screen should move focus."""

        def __init__(self, table: NavigableTable, direction: Direction) -> None:
            self.table = table
            self.direction = direction
            super().__init__()

    class Highlighted(Message):
        """The cursor rests on another row (the screen may prepare what Enter would open)."""

        def __init__(self, table: NavigableTable, row_key: str) -> None:
            self.table = table
            self.row_key = row_key
            super().__init__()

        @property
        def control(self) -> NavigableTable:
            return self.table

    class RowSelected(Message):
        """The user chose a row (Enter, or a click on it)."""

        def __init__(self, table: NavigableTable, row_key: str, cursor_row: int) -> None:
            self.table = table
            self.row_key = row_key
            self.cursor_row = cursor_row
            super().__init__()

        @property
        def control(self) -> NavigableTable:
            return self.table

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._columns: tuple[Column, ...] = ()
        self._keys: list[str] = []
        self._row_cells: dict[str, list[Text]] = {}
        self._index: dict[str, int] = {}
        self._strips: dict[tuple[int, bool], Strip] = {}
        self._header: Strip | None = None
        self._after_paint: list[Callable[[], None]] = []

    # -- what the subclasses give --------------------------------------------------------------

    def column_specs(self) -> Sequence[ColumnSpec]:
        """The columns for the current layout (subclasses say which)."""
        return ()

    def table_rows(self) -> list[tuple[str, Sequence[Text]]]:
        """The rows to show, keyed (subclasses build them from their data)."""
        return []

    # -- reading the table ---------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns, left to right."""
        return self._columns

    @property
    def row_keys(self) -> tuple[str, ...]:
        """The rows' keys, top to bottom."""
        return tuple(self._keys)

    @property
    def row_count(self) -> int:
        """Number of rows (the header not counted)."""
        return len(self._keys)

    @property
    def cursor_key(self) -> str | None:
        """Key of the highlighted row; None when the table is empty."""
        return self._keys[self.cursor_row] if 0 <= self.cursor_row < len(self._keys) else None

    def get_row_index(self, key: str) -> int:
        """Index of the row with this key.

        Raises:
            KeyError: No row has this key.
        """
        return self._index[key]

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of the row at `index`, left to right.

        Raises:
            IndexError: No row at this index.
        """
        return list(self._row_cells[self._keys[index]])

    def get_cell(self, row_key: str, column_key: str) -> Text:
        """One cell, by row key and column key.

        Raises:
            KeyError: No such row or column.
        """
        for i, column in enumerate(self._columns):
            if column.key == column_key:
                return self._row_cells[row_key][i]
        raise KeyError(column_key)

    # -- building ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        # Called after a subclass's own on_mount (which may set what the columns depend on).
        self._laid_out = True
        self.rebuild()
        # The signal comes after the new theme's variables are in force; a watch on `theme`
        # would recolour with the old ones.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._recolour())

    def _recolour(self) -> None:
        self.forget_rows()  # every cell again, in the new theme's colours
        self.redraw()

    def rebuild(self) -> None:
        """Lay the columns out for the layout and title, then show the rows again."""
        if not self._laid_out:
            return
        key = self.cursor_key
        specs = self.column_specs()
        title = self.pane_title if self.pane_layout == "compact" else ""
        labels = head_labels(specs, title, self.LEFT_COLUMNS)
        self._columns = tuple(
            Column(k, label, width) for (k, _, width), label in zip(specs, labels, strict=True)
        )
        self._keys, self._row_cells, self._index = [], {}, {}
        self._forget_strips()
        self.redraw()
        if key is not None and key in self._index:
            self.move_cursor(row=self._index[key])

    def redraw(self) -> None:
        """Show the rows built from the current data (only changed rows are repainted)."""
        if self._columns:
            self.show_rows(self.table_rows())

    def watch_pane_layout(self) -> None:
        self.rebuild()

    def watch_pane_title(self) -> None:
        if self.pane_layout == "compact":
            self.rebuild()

    def show_rows(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        """Show these rows, repainting only those whose cells changed.

        A refresh that changes one price repaints one line, not the pane: over SSH and in a
        tmux pane left open all day, that is most of the idle cost.
        """
        keys = [key for key, _ in rows]
        if keys != self._keys:
            self._keys = keys
            self._row_cells = {key: list(cells) for key, cells in rows}
            self._index = {key: i for i, key in enumerate(keys)}
            self._forget_strips()
            self._resize()
            if self.cursor_row >= len(keys):
                self.cursor_row = max(0, len(keys) - 1)
            self.refresh()
            return
        for i, (key, cells) in enumerate(rows):
            old = self._row_cells[key]
            if len(old) == len(cells) and all(_same(a, b) for a, b in zip(old, cells, strict=True)):
                continue
            self._row_cells[key] = list(cells)
            self._strips.pop((i, False), None)
            self._strips.pop((i, True), None)
            self._refresh_row(i)

    def forget_rows(self) -> None:
        """Drop the rows and their drawings (after a theme change, every cell is redrawn)."""
        self._keys, self._row_cells, self._index = [], {}, {}
        self._forget_strips()
        self._resize()
        self.refresh()

    def after_rows_painted(self, callback: Callable[[], None]) -> None:
        """Call `callback` once, just after the table next renders with rows on screen.

        The screen uses it to hold back work that competes for the interpreter lock (reading
        the full history) until the numbers it has just given the table are painted.
        """
        self._after_paint = [*self._after_paint, callback]

    # -- the cursor ----------------------------------------------------------------------------

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        """Highlight the row at `row` (clamped to the rows there are) and scroll it into view.

        Args:
            row: Row index.
            animate: Ignored (the table never animates); kept for callers' clarity.
        """
        self.cursor_row = max(0, min(row, len(self._keys) - 1)) if self._keys else 0
        self._scroll_to_cursor()

    def watch_cursor_row(self, old: int, new: int) -> None:
        for row in (old, new):
            self._strips.pop((row, False), None)
            self._strips.pop((row, True), None)
            self._refresh_row(row)
        if 0 <= new < len(self._keys):
            self.post_message(self.Highlighted(self, self._keys[new]))

    def action_move(self, direction: Direction) -> None:
        """Move the cursor, or leave the pane at an edge."""
        last = self.row_count - 1
        if direction == "up" and self.cursor_row > 0:
            self.move_cursor(row=self.cursor_row - 1)
        elif direction == "down" and self.cursor_row < last:
            self.move_cursor(row=self.cursor_row + 1)
        else:
            self.post_message(self.Leave(self, direction))

    def action_page(self, pages: int) -> None:
        """Move the cursor a screenful of rows up (-1) or down (1)."""
        self.move_cursor(row=self.cursor_row + pages * max(1, self.size.height - 1))

    def action_edge(self, end: int) -> None:
        """Move the cursor to the first row (-1) or the last (1)."""
        self.move_cursor(row=0 if end < 0 else self.row_count - 1)

    def action_select_cursor(self) -> None:
        """Post RowSelected for the highlighted row."""
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, key, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1 + round(self.scroll_y)
        if event.y >= 1 and 0 <= row < self.row_count:
            self.move_cursor(row=row)
            self.action_select_cursor()

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.size.height - 1)  # the header row stays
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    # -- drawing -------------------------------------------------------------------------------

    def _resize(self) -> None:
        width = sum(c.width for c in self._columns)
        self.virtual_size = Size(width, len(self._keys) + 1)

    def _refresh_row(self, row: int) -> None:
        y = row + 1 - round(self.scroll_y)
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _forget_strips(self) -> None:
        self._strips.clear()
        self._header = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_strips()

    def _on_focus(self, event: events.Focus) -> None:
        self._strips.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._strips.clear()
        self.refresh()

    def _line(self, cells: Sequence[Text], style: Style) -> Strip:
        """One row (or the header) laid out in the columns, as wide as the widget."""
        line = Text(no_wrap=True, end="")
        for column, cell in zip(self._columns, cells, strict=False):
            text = cell.copy()
            text.end = ""
            justify = cell.justify if cell.justify in ("right", "center") else "left"
            text.align(justify, column.width)
            line.append_text(text)
        segments = list(line.render(self.app.console))
        width = self.size.width
        return (
            Strip(segments, line.cell_len)
            .extend_cell_length(width)
            .crop(0, width)
            .apply_style(style)
        )

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            if self._header is None:
                header = base + self.get_component_rich_style("navigable--header")
                self._header = self._line([c.label for c in self._columns], header)
            return self._header
        row = y - 1 + round(self.scroll_y)
        if not 0 <= row < len(self._keys):
            return Strip.blank(self.size.width, base)
        on_cursor = row == self.cursor_row
        strip = self._strips.get((row, on_cursor))
        if strip is None:
            style = base
            if on_cursor:
                # The cursor's background under the cells' own colours (gain, loss, stale).
                style = base + self.get_component_rich_style("navigable--cursor")
            strip = self._line(self._row_cells[self._keys[row]], style)
            self._strips[(row, on_cursor)] = strip
        return strip

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self._after_paint and self._keys:
            callbacks, self._after_paint = self._after_paint, []
            for callback in callbacks:
                self.call_later(callback)  # after this frame is handed to the terminal
        return lines


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
