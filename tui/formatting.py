"""Number formatting shared by the dashboard, the table output and the drill-down.

Every function returns plain text; styling is the caller's business. Signs follow
`tui.numtext.signed` (re-exported here): a change that rounds to zero at the precision shown
prints unsigned (`0.0`, `0 bp`, `0.00%`), never `-0.0` or `+0.0`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tui.assets import Unit
from tui.model import Quote
from tui.numtext import MISSING, plain, signed

__all__ = [
    "MISSING",
    "fg_label",
    "fmt_change",
    "fmt_level",
    "fmt_pct",
    "fmt_price",
    "move_name",
    "plain",
    "short_date",
    "signed",
    "sparkline",
]

BLOCKS = "▁▂▃▄▅▆▇█"


def fmt_price(quote: Quote) -> str:
    """The level, with precision fitting its size and unit."""
    if quote.price is None:
        return MISSING
    return fmt_level(quote.price, quote.unit)


def _bp_digits(value: float, whole_from: float) -> int:
    """Whole basis points from `whole_from`; below it one decimal, unless that too is zero."""
    return 0 if abs(value) >= whole_from or abs(value) < 0.05 else 1


def fmt_level(value: float, unit: Unit) -> str:
    """A level: 6,538.76 / 86,637 / 4.10% / +1 bp (a spread, signed) / 0.0090%; no `-0.00`."""
    if unit is Unit.RATE:
        return plain(value, 2, "%")
    if unit is Unit.BP:
        return signed(value, _bp_digits(value, 1), " bp")
    if unit is Unit.FUNDING:
        return plain(value, 4, "%")
    if abs(value) >= 10_000:
        return plain(value, 0, grouping=True)
    if abs(value) >= 100:
        return plain(value, 2, grouping=True)
    if abs(value) >= 1:
        return plain(value, 2)
    return plain(value, 4)


def fmt_change(quote: Quote) -> str:
    """Change in the unit a trader reads it in: level for prices, bp for rates.

    Signed by `signed`'s rule: a change that rounds to zero shows `0 bp`, `0.00`, no sign.
    """
    if quote.change is None:
        return MISSING
    if quote.unit in (Unit.RATE, Unit.BP):
        bp = quote.change_bp or 0.0
        return signed(bp, _bp_digits(bp, 0.5), " bp")
    if quote.unit is Unit.FUNDING:
        return signed(quote.change, 4)
    value, level = quote.change, abs(quote.price or 0.0)
    if level >= 10_000:
        return signed(value, 0, grouping=True)
    return signed(value, 2, grouping=True) if level >= 1 else signed(value, 4)


def fmt_pct(value: float | None, digits: int = 2) -> str:
    """A signed percentage (`+1.25%`, `0.00%` where it rounds to zero), or the missing mark."""
    return signed(value, digits, "%")


def sparkline(values: Sequence[float], width: int = 12) -> str:
    """Block-character sparkline of the last `width` values (min to max of those shown)."""
    shown = list(values)[-width:]
    if len(shown) < 2:
        return ""
    lo, hi = min(shown), max(shown)
    if hi == lo:
        return BLOCKS[3] * len(shown)
    scale = (len(BLOCKS) - 1) / (hi - lo)
    return "".join(BLOCKS[round((v - lo) * scale)] for v in shown)


def short_date(day: date, shown: date | None) -> str:
    """A close's date in a pane's Date column: `11-19` within the shown day's year, the full
    date `17Feb25` (day, month, year) otherwise."""
    if shown is not None and day.year == shown.year:
        return day.strftime("%m-%d")
    return day.strftime("%d%b%y")


def fg_label(value: float | None) -> str:
    """A fear & greed value as shown: whole numbers."""
    return MISSING if value is None else f"{value:.0f}"


def move_name(bp: int) -> str:
    """A rate move in words: 'cut 25', 'hold', 'hike 25'."""
    if bp == 0:
        return "hold"
    return f"cut {-bp}" if bp < 0 else f"hike {bp}"
