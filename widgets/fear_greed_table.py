"""Fear & greed pane: crypto and stock readings with their 1-day and 1-week change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.reactive import reactive

from tui.formatting import MISSING, fg_label, short_date, signed
from tui.model import FearGreed
from widgets.navigable import ColumnSpec, NavigableTable
from widgets.palette import theme_style

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "", 12),
    ("value", "Now", 4),
    ("label", "", 15),
    ("d1", "Δ1d", 6),
    ("d1w", "Δ1w", 6),
    ("date", "Date", 9),
)
COMPACT: tuple[tuple[str, str, int], ...] = (
    ("name", "", 7),
    ("value", "", 4),
    ("label", "", 12),
    ("d1", "Δ1d", 5),
    ("d1w", "Δ1w", 5),
    ("date", "Date", 7),
)
"""40 wide, for two panes side by side at 80 columns: `Crypto`, `Stock`, shorter labels."""
COMPACT_LABELS = {"Extreme Fear": "Ext. fear", "Extreme Greed": "Ext. greed"}


def _delta(now: float | None, then: float | None) -> float | None:
    return now - then if now is not None and then is not None else None


class FearGreedTable(NavigableTable):
    """One row per index; a reading older than the day shows its date."""

    readings: reactive[tuple[FearGreed, ...]] = reactive((), always_update=True, repaint=False)
    """The readings to show."""
    day: reactive[date | None] = reactive(None, repaint=False)
    """The day being shown."""
    LEFT_COLUMNS = frozenset({"name", "label"})

    def column_specs(self) -> Sequence[ColumnSpec]:
        return COMPACT if self.pane_layout == "compact" else COLUMNS

    def _tone(self, value: float | None) -> str:
        """Fear in the loss colour, greed in the gain colour: the index's own reading."""
        if value is None:
            return ""
        if value < 45:
            return str(theme_style(self, "loss"))
        if value > 55:
            return str(theme_style(self, "gain"))
        return str(theme_style(self, "flat"))

    def watch_readings(self) -> None:
        self.redraw()

    def watch_day(self) -> None:
        self.redraw()

    def table_rows(self) -> list[tuple[str, Sequence[Text]]]:
        flat, stale = theme_style(self, "flat"), theme_style(self, "stale")
        compact = self.pane_layout == "compact"
        rows: list[tuple[str, Sequence[Text]]] = []
        for f in self.readings:
            d1 = _delta(f.value, f.previous)
            d1w = _delta(f.value, f.week_ago)
            dated = ""
            if f.as_of is not None and f.as_of != self.day:
                dated = short_date(f.as_of, self.day)
                if compact and len(dated) > 5:
                    dated = f.as_of.strftime("%b%y")
            name = f.name.removesuffix(" F&G") if compact else f.name
            label = f.label or MISSING
            if compact:
                label = COMPACT_LABELS.get(label, label)
            cells = (
                Text(f" {name}", style=stale if f.stale else "", no_wrap=True),
                Text(fg_label(f.value), style=self._tone(f.value), justify="right"),
                Text(f" {label}" if compact else f"  {label}", style=self._tone(f.value)),
                Text(signed(d1), justify="right"),
                Text(signed(d1w), justify="right"),
                Text(
                    dated + ("!" if f.stale else ""),
                    style=stale if f.stale else flat,
                    justify="right",
                ),
            )
            rows.append((f.id, cells))
        return rows
