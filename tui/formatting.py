"""Number formatting shared by the dashboard, the table output and the drill-down.

Every function returns plain text; styling is the caller's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tui.assets import Unit
from tui.model import Quote

MISSING = "—"
BLOCKS = "▁▂▃▄▅▆▇█"


def fmt_price(quote: Quote) -> str:
    """The level, with precision fitting its size and unit."""
    if quote.price is None:
        return MISSING
    return fmt_level(quote.price, quote.unit)


def fmt_level(value: float, unit: Unit) -> str:
    """A level: 6,538.76 / 86,637 / 4.10% / +1 bp / 0.0090%."""
    if unit is Unit.RATE:
        return f"{value:.2f}%"
    if unit is Unit.BP:
        return f"{value:+.0f} bp" if abs(value) >= 1 or value == 0 else f"{value:+.1f} bp"
    if unit is Unit.FUNDING:
        return f"{value:.4f}%"
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.2f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def fmt_change(quote: Quote) -> str:
    """Change in the unit a trader reads it in: level for prices, bp for rates."""
    if quote.change is None:
        return MISSING
    if quote.unit in (Unit.RATE, Unit.BP):
        bp = quote.change_bp or 0.0
        return f"{bp:+.0f} bp" if abs(bp) >= 0.5 or bp == 0 else f"{bp:+.1f} bp"
    if quote.unit is Unit.FUNDING:
        return f"{quote.change:+.4f}"
    value, level = quote.change, abs(quote.price or 0.0)
    if level >= 10_000:
        return f"{value:+,.0f}"
    return f"{value:+,.2f}" if level >= 1 else f"{value:+.4f}"


def fmt_pct(value: float | None, digits: int = 2) -> str:
    """A signed percentage, or the missing mark."""
    return MISSING if value is None else f"{value:+.{digits}f}%"


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


def signed(value: float | None, digits: int = 0, unit: str = "") -> str:
    """A signed number with unit, or the missing mark."""
    return MISSING if value is None else f"{value:+.{digits}f}{unit}"


def move_name(bp: int) -> str:
    """A rate move in words: 'cut 25', 'hold', 'hike 25'."""
    if bp == 0:
        return "hold"
    return f"cut {-bp}" if bp < 0 else f"hike {bp}"
