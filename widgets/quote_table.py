"""A pane of quotes: one row per asset, updated in place by key.

The table is dumb: it shows the quotes it is given and posts messages when the user opens a
row or walks off its edge. Colours come from the theme's `gain`, `loss`, `flat` and `stale`
variables, so a red-up or 16-colour theme re-colours it without code.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable

from tui.assets import row
from tui.formatting import MISSING, fmt_change, fmt_pct, fmt_price, short_date, sparkline
from tui.measures import SPARK_POINTS
from tui.model import Quote
from widgets.navigable import NavigableTable
from widgets.palette import theme_style

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "", 11),
    ("last", "Last", 9),
    ("chg", "Chg", 8),
    ("pct", "Chg%", 8),
    ("spark", f"{SPARK_POINTS}d", SPARK_POINTS + 1),
    ("high", "52wH", 7),
    ("date", "Date", 9),
)
"""Key, header and width of each column (58 wide: two panes side by side at 120 columns). The
sparkline column is as wide as the closes it shows, and its header says how many."""


class QuoteTable(NavigableTable):
    """Quotes of one pane.

    Bindings (on top of NavigableTable's movement keys):
        enter: open the drill-down of the highlighted asset.
    """

    quotes: reactive[tuple[Quote, ...]] = reactive((), always_update=True, repaint=False)
    """The quotes to show, in order; rows are updated in place by asset id."""
    day: reactive[date | None] = reactive(None, repaint=False)
    """The day being shown; a close from another day shows its date."""

    class Opened(Message):
        """The user asked for the drill-down of an asset."""

        def __init__(self, asset_id: str) -> None:
            self.asset_id = asset_id
            super().__init__()

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Explain",
            id="quote.open",
            tooltip="Open the drill-down: why did it move?",
        ),
    ]

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.cell_padding = 0
        self.zebra_stripes = False
        for key, label, width in COLUMNS:
            self.add_column(
                Text(label, justify="left" if key == "name" else "right"), width=width, key=key
            )
        # The signal comes after the new theme's variables are in force; a watch on `theme`
        # would recolour with the old ones.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._recolour())

    def _recolour(self) -> None:
        self.forget_rows()
        self._render_rows(self.quotes)

    def watch_quotes(self, quotes: tuple[Quote, ...]) -> None:
        self._render_rows(quotes)

    def watch_day(self) -> None:
        self._render_rows(self.quotes)

    def _cells(self, quote: Quote) -> list[Text]:
        gain, loss = theme_style(self, "gain"), theme_style(self, "loss")
        flat, stale = theme_style(self, "flat"), theme_style(self, "stale")
        move = quote.change if quote.change is not None else 0.0
        tone = gain if move > 0 else loss if move < 0 else flat
        target = row(quote.id)
        name = target.label if target is not None else quote.name
        spark = sparkline(quote.spark, width=SPARK_POINTS)
        spark_tone = flat
        if len(quote.spark) >= 2:
            first, last = quote.spark[0], quote.spark[-1]
            spark_tone = gain if last > first else loss if last < first else flat
        dated = ""
        if quote.as_of is not None and quote.as_of != self.day:
            dated = short_date(quote.as_of, self.day)
        pct = fmt_pct(quote.change_pct) if quote.change_pct is not None else ""
        if quote.unit.value == "funding" and quote.detail:
            pct = quote.detail.replace("%/yr", "%/y")
        high = fmt_pct(quote.from_high_pct, 1) if quote.from_high_pct is not None else ""
        return [
            Text(f" {name}", style=stale if quote.stale else "", no_wrap=True, overflow="ellipsis"),
            Text(fmt_price(quote), style=stale if quote.stale else "", justify="right"),
            Text(
                fmt_change(quote) if quote.change is not None else MISSING,
                style=tone,
                justify="right",
            ),
            Text(pct, style=tone, justify="right"),
            Text(f" {spark}", style=spark_tone),
            Text(high, justify="right"),
            Text(
                dated + ("!" if quote.stale else ""),
                style=stale if quote.stale else flat,
                justify="right",
            ),
        ]

    def _render_rows(self, quotes: tuple[Quote, ...]) -> None:
        if not self.columns:
            return
        self.show_rows([(q.id, self._cells(q)) for q in quotes])

    @on(DataTable.RowSelected)
    def _row_clicked(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Opened(str(event.row_key.value)))
