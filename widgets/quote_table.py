"""A pane of quotes: one row per asset, updated in place by key.

The table is dumb: it shows the quotes it is given and posts messages when the user opens a
row, changes its order or walks off its edge. Colours come from the theme's `gain`, `loss`,
`flat` and `stale` variables, so a red-up or 16-colour theme re-colours it without code.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from datetime import date

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive

from tui.arrows import arrow
from tui.assets import Unit, row
from tui.formatting import MISSING, fmt_change, fmt_pct, fmt_price, short_date, signed, sparkline
from tui.measures import SPARK_POINTS_BY_LAYOUT
from tui.model import Quote
from widgets.navigable import ColumnSpec, Layout, NavigableTable
from widgets.palette import theme_style


def _spark_column(layout: Layout) -> ColumnSpec:
    points = SPARK_POINTS_BY_LAYOUT[layout]
    return ("spark", f"{points}d", points + 1)


COLUMNS: dict[Layout, tuple[ColumnSpec, ...]] = {
    "compact": (
        ("name", "", 11),
        ("last", "Last", 9),
        ("pct", "Chg", 7),
        ("sigma", "σ", 5),
        ("date", "Date ", 8),
    ),
    "standard": (
        ("name", "", 11),
        ("last", "Last", 9),
        ("chg", "Chg", 8),
        ("pct", "Chg%", 8),
        ("sigma", "σ", 5),
        ("high", "52wH", 7),
        ("date", "Date", 10),
    ),
    "wide": (
        ("name", "", 12),
        ("last", "Last", 10),
        ("chg", "Chg", 10),
        ("pct", "Chg%", 8),
        ("sigma", "σ", 6),
        ("w1", "1w", 8),
        ("m1", "1m", 8),
        _spark_column("wide"),
        ("high", "52wH", 8),
        ("date", "Date", 12),
    ),
}
"""Key, header and width of each column per layout. Compact is 40 wide (two panes side by side
at 80 columns; its Chg is the move as a trader reads it, in at most 6 characters: see
`compact_change`), and its Date column ends in a blank cell, the gutter before the pane to its
right (whose rows start with an arrow); standard 58 (two at 120), wide 98 (two at 200, with the
1w/1m moves and SPARK_POINTS_BY_LAYOUT["wide"] closes). Every right-aligned value is narrower
than its column, so no two values touch."""

STANDARD_WIDTH = sum(width for _, _, width in COLUMNS["standard"])
"""A table at least this wide shows the standard columns, even in the compact layout."""
SORTS: tuple[str, ...] = ("", "change", "sigma", "name", "high")
"""The orders a pane cycles through: as listed, by change, by |σ|, by name, by distance from
the 52-week high."""
SORT_LABELS: dict[str, str] = {
    "": "",
    "change": "by change",
    "sigma": "by |σ|",
    "name": "by name",
    "high": "by 52wH",
}
"""How the pane's title names its order."""


def move_of(quote: Quote) -> float | None:
    """The day's move as a trader reads it: percent for prices, bp for rates and spreads."""
    if quote.unit is Unit.PRICE:
        return quote.change_pct
    if quote.unit is Unit.FUNDING:
        return quote.change
    return quote.change_bp


def sort_quotes(quotes: Sequence[Quote], by: str) -> tuple[Quote, ...]:
    """The quotes in a pane's order; rows without the value go last, in their listed order.

    Args:
        quotes: The quotes as listed.
        by: One of SORTS: "" keeps the list; "change" rises first; "sigma" the largest |σ|
            first; "name" alphabetical; "high" furthest below the 52-week high first.

    Returns:
        The ordered quotes.
    """
    if not by:
        return tuple(quotes)
    if by == "name":
        return tuple(sorted(quotes, key=lambda q: _label(q).casefold()))
    value: Callable[[Quote], float | None] = {
        "change": lambda q: -m if (m := move_of(q)) is not None else None,
        "sigma": lambda q: -abs(q.sigma) if q.sigma is not None else None,
        "high": lambda q: q.from_high_pct,
    }[by]
    keyed = [(value(q), i, q) for i, q in enumerate(quotes)]
    known = sorted((v, i, q) for v, i, q in keyed if v is not None and math.isfinite(v))
    rest = [(v, i, q) for v, i, q in keyed if v is None or not math.isfinite(v)]
    return tuple(q for _, _, q in (*known, *rest))


def fmt_sigma(value: float | None) -> str:
    """A move in σ: one decimal below 10 (`-2.4`), whole from 10 (`-12`), `>99` beyond; never
    wider than 4 characters; `0.0` (no sign) where it rounds to zero."""
    if value is None or not math.isfinite(value):
        return MISSING
    if abs(value) >= 99.5:
        return ">99" if value > 0 else "<-99"  # beyond any real day: say so, in the width
    return signed(value, 0 if abs(value) >= 9.95 else 1)


def funding_text(detail: str, limit: int = 7) -> str:
    """Funding annualised (`+9.9%/yr`) in at most `limit` characters: `+9.9%/y`, `+33%/y`; in
    whole percent where one decimal is too long (`+10%/y` in 6), then without `/y` (`+110%`)."""
    text = detail.replace("%/yr", "%/y")
    with contextlib.suppress(ValueError):
        value = float(detail.split("%")[0])
        for shorter in (signed(value, 0, "%/y"), signed(value, 0, "%")):
            if len(text) <= limit:
                break
            text = shorter
    return text


def compact_change(quote: Quote) -> str:
    """The compact layout's one change column, in at most 6 characters: percent for prices
    (two decimals below 10%, one below 100%, none above: `-2.38%`, `+11.7%`), whole bp for
    rates and spreads (`-3 bp`, `-100bp`), funding annualised (`+10%/y`)."""
    if quote.unit is Unit.FUNDING and quote.detail:
        return funding_text(quote.detail, 6)
    if quote.unit is Unit.PRICE:
        if quote.change_pct is None:
            return ""
        size = abs(quote.change_pct)
        return signed(quote.change_pct, 2 if size < 9.995 else 1 if size < 99.95 else 0, "%")
    if quote.change is None:
        return MISSING
    bp = quote.change_bp or 0.0
    text = signed(bp, 0, " bp")
    return text if len(text) <= 6 else signed(bp, 0, "bp")


def close_text(label: str, layout: Layout) -> str:
    """A shut market's `close 11-26` as its layout's Date column fits it."""
    day = label.removeprefix("close ").strip()
    return {"compact": f"c{day}", "standard": f"cl {day}"}.get(layout, label)


def _label(quote: Quote) -> str:
    target = row(quote.id)
    return target.label if target is not None else quote.name


class QuoteTable(NavigableTable):
    """Quotes of one pane.

    Bindings (on top of NavigableTable's movement keys):
        enter: open the drill-down of the highlighted asset.
        o: cycle the pane's order (as listed, change, |σ|, name, distance from the high).
    """

    quotes: reactive[tuple[Quote, ...]] = reactive((), always_update=True, repaint=False)
    """The quotes to show, as listed; rows are updated in place by asset id."""
    day: reactive[date | None] = reactive(None, repaint=False)
    """The day being shown; a close from another day shows its date."""
    closes: reactive[dict[str, str]] = reactive(dict, always_update=True, repaint=False)
    """`close 11-26` per asset whose market is shut now (live only): shown in the Date column."""
    sort_by: reactive[str] = reactive("", init=False, repaint=False)
    """The pane's order (one of SORTS), kept for the session."""

    class Opened(Message):
        """The user asked for the drill-down of an asset."""

        def __init__(self, asset_id: str) -> None:
            self.asset_id = asset_id
            super().__init__()

    class Sorted(Message):
        """The pane's order changed: the screen names it in the pane's title."""

        def __init__(self, table: QuoteTable, sort_by: str) -> None:
            self.table = table
            self.sort_by = sort_by
            super().__init__()

    BINDINGS = [
        Binding(
            "o",
            "cycle_sort",
            "Order",
            show=False,
            id="quote.sort",
            tooltip="As listed, by change, |σ|, name, distance from the 52-week high",
        ),
    ]

    def column_specs(self) -> Sequence[ColumnSpec]:
        return COLUMNS[self.column_set]

    @property
    def column_set(self) -> Layout:
        """The columns in force: the layout's, except that a compact pane wide enough for the
        standard columns (a short but wide terminal, 120x30) shows those."""
        if self.pane_layout == "compact" and self.size.width >= STANDARD_WIDTH:
            return "standard"
        return self.pane_layout

    def on_resize(self) -> None:
        if self.pane_layout == "compact" and self.columns:
            wanted = [key for key, _, _ in COLUMNS[self.column_set]]
            if wanted != [c.key for c in self.columns]:
                self.rebuild()

    def watch_quotes(self) -> None:
        self.redraw()

    def watch_day(self) -> None:
        self.redraw()

    def watch_closes(self) -> None:
        self.redraw()

    def watch_sort_by(self, by: str) -> None:
        self.redraw()
        self.post_message(self.Sorted(self, by))

    def action_cycle_sort(self) -> None:
        """Next order in SORTS; the cursor stays on the same asset."""
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]

    def table_rows(self) -> list[tuple[str, Sequence[Text]]]:
        return [(q.id, self._cells(q)) for q in sort_quotes(self.quotes, self.sort_by)]

    def redraw(self) -> None:
        if not self.columns:
            return
        key = self.cursor_key
        super().redraw()
        if key is not None and key in self.row_keys:
            self.move_cursor(row=self.get_row_index(key))

    def _date_text(self, quote: Quote) -> str:
        """The close's date when it is not the day's, `!` when stale, a shut market's close."""
        if not quote.stale and (label := self.closes.get(quote.id)):
            return close_text(label, self.column_set)
        dated = ""
        if quote.as_of is not None and quote.as_of != self.day:
            dated = short_date(quote.as_of, self.day)
            if self.column_set == "compact" and len(dated) > 5:
                dated = quote.as_of.strftime("%b%y")  # another year: the month says enough
        return dated + ("!" if quote.stale else "")

    def _cells(self, quote: Quote) -> list[Text]:
        gain, loss = theme_style(self, "gain"), theme_style(self, "loss")
        flat, stale = theme_style(self, "flat"), theme_style(self, "stale")
        move = quote.change if quote.change is not None else 0.0
        tone = gain if move > 0 else loss if move < 0 else flat
        layout = self.column_set
        name_style = stale if quote.stale else ""
        pct = fmt_pct(quote.change_pct) if quote.change_pct is not None else ""
        if layout == "compact":
            pct = compact_change(quote)  # one change column: rates and spreads move in bp
        elif quote.unit is Unit.FUNDING and quote.detail:
            pct = funding_text(quote.detail)
        cells: dict[str, Text] = {
            # The arrow takes the name's leading space: direction by shape as well as colour
            # (colour-blind readers, NO_COLOR), without widening the row.
            "name": Text.assemble(
                (arrow(quote.change), tone),
                (_label(quote), name_style),
                no_wrap=True,
                overflow="ellipsis",
            ),
            "last": Text(fmt_price(quote), style=name_style, justify="right"),
            "chg": Text(fmt_change(quote), style=tone, justify="right"),
            "pct": Text(pct, style=tone, justify="right"),
            "sigma": Text(
                fmt_sigma(quote.sigma),
                style=tone if quote.sigma is not None else "",
                justify="right",
            ),
            "high": Text(
                fmt_pct(quote.from_high_pct, 1) if quote.from_high_pct is not None else "",
                justify="right",
            ),
            "date": Text.assemble(
                (self._date_text(quote), stale if quote.stale else flat),
                " " if layout == "compact" else "",  # the gutter before the pane to the right
                justify="right",
            ),
        }
        if layout == "wide":
            for key, value in (("w1", quote.change_1w), ("m1", quote.change_1m)):
                cells[key] = self._move_text(quote, value)
            points = SPARK_POINTS_BY_LAYOUT["wide"]
            closes = quote.spark_wide
            spark_tone = flat
            if len(closes) >= 2:
                spark_tone = (
                    gain if closes[-1] > closes[0] else loss if closes[-1] < closes[0] else flat
                )
            cells["spark"] = Text(f" {sparkline(closes, width=points)}", style=spark_tone)
        return [cells[key] for key, _, _ in COLUMNS[layout]]

    def _move_text(self, quote: Quote, value: float | None) -> Text:
        """A 1w/1m move in the row's unit, coloured by its sign."""
        if value is None or not math.isfinite(value):
            return Text(MISSING, justify="right")
        text = signed(value, 1, "%") if quote.unit is Unit.PRICE else signed(value, 0, " bp")
        # Coloured as shown: a move that rounds to zero is flat, like its text.
        tone = "flat" if not text.startswith(("+", "-")) else "gain" if value > 0 else "loss"
        return Text(text, style=theme_style(self, tone), justify="right")

    @on(NavigableTable.RowSelected)
    def _row_chosen(self, event: NavigableTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Opened(event.row_key))
