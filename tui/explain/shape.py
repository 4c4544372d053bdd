"""Shape of the day from open, high, low and close (EXPLAIN_METHOD §7).

Each feature is sized against the asset's own history: the gap against its daily σ, the range
against its typical range over the 60 sessions before the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from tui.assets import BY_ID, Unit
from tui.history import History
from tui.numtext import signed

TYPICAL_SESSIONS = 60
"""Sessions before the day whose median range is the typical range τ."""
WIDE_RANGE = 1.5
"""A range at least this many τ is reported."""
REVERSAL_REACH = 0.5
"""A reversal first went at least this many τ the other way."""
REVERSAL_QUARTER = 0.25
"""…and closed in this outer share of the day's range."""
AT_EXTREME = 0.10
"""A close within this share of the range from the low (high) closed at the low (high)."""


@dataclass(frozen=True, slots=True)
class Shape:
    """The day's path, relative to the previous close, in percent.

    Attributes:
        open_pct: Open vs previous close.
        high_pct: High vs previous close.
        low_pct: Low vs previous close.
        close_pct: Close vs previous close.
        range_pct: (high − low) / previous close.
        typical_range_pct: τ, the median range of the 60 sessions before.
        gap: True when |open_pct| ≥ 1σ of daily moves.
        wide: True when the range is at least 1.5 τ.
        reversal: `down`, `up` or None.
        closed_at: `low`, `high` or None.
        text: The shape in one clause, with its numbers.
        path: The open-high-low-close path alone, for the answer.
    """

    open_pct: float
    high_pct: float
    low_pct: float
    close_pct: float
    range_pct: float
    typical_range_pct: float | None
    gap: bool
    wide: bool
    reversal: str | None
    closed_at: str | None
    text: str
    path: str = ""
    """The path alone ('opened +2.0%, rose as far as +2.4%, closed -2.38% at the day's low')."""

    @property
    def notable(self) -> bool:
        """True when any feature is worth a clause of the answer."""
        return self.gap or self.wide or self.reversal is not None or self.closed_at is not None

    @property
    def range_multiple(self) -> float | None:
        """The range in units of τ."""
        if not self.typical_range_pct:
            return None
        return self.range_pct / self.typical_range_pct


def shape_of(history: History, asset_id: str, day: date, sigma_1: float | None) -> Shape | None:
    """The shape of `asset_id`'s session on `day`, or None when no OHLC exists for it.

    Args:
        history: The daily history (open, high and low are read from the bundled files).
        asset_id: The asset.
        day: The asset's own trading day.
        sigma_1: Its daily σ in percent before the day (for the gap).
    """
    asset = BY_ID[asset_id]
    if asset.unit is not Unit.PRICE or not asset.file or asset.column not in ("close", "adj_close"):
        return None
    closes = history.series(asset_id)
    i = closes.index_at(day)
    if i < 1 or closes.dates[i] != day:
        return None
    start = max(1, i - TYPICAL_SESSIONS)
    # Only the rows of these sessions are read, not the file.
    ohlc = history.rows(asset.file, ("open", "high", "low"), closes.dates[start], day)
    o, h, lo = ohlc.get(day, (None, None, None))
    if o is None or h is None or lo is None:
        return None
    prev = closes.values[i - 1]
    if prev <= 0:
        return None
    c = closes.values[i]
    ranges = []
    for k in range(start, i):
        _, high, low = ohlc.get(closes.dates[k], (None, None, None))
        p = closes.values[k - 1]
        if high is not None and low is not None and p > 0:
            ranges.append((high - low) / p * 100)
    tau = median(ranges) if len(ranges) >= TYPICAL_SESSIONS // 2 else None
    pct = [(v / prev - 1) * 100 for v in (o, h, lo, c)]
    o_pct, h_pct, l_pct, c_pct = pct
    rng = h_pct - l_pct
    gap = not asset.weekends and sigma_1 is not None and sigma_1 > 0 and abs(o_pct) >= sigma_1
    wide = tau is not None and rng >= WIDE_RANGE * tau
    reversal = closed_at = None
    if rng > 0:
        where = (c - lo) / (h - lo)
        if tau is not None and h_pct >= REVERSAL_REACH * tau and c_pct < 0:
            reversal = "down" if where <= REVERSAL_QUARTER else None
        if tau is not None and l_pct <= -REVERSAL_REACH * tau and c_pct > 0:
            reversal = "up" if where >= 1 - REVERSAL_QUARTER else reversal
        closed_at = "low" if where <= AT_EXTREME else "high" if where >= 1 - AT_EXTREME else None
    # A UTC candle opens where the last one closed: no gap to speak of.
    parts = [] if asset.weekends else [f"opened {signed(o_pct, 1)}%"]
    if reversal == "down" or (c_pct < 0 and h_pct > 0):
        parts.append(f"rose as far as {signed(h_pct, 1)}%")
    if reversal == "up" or (c_pct > 0 and l_pct < 0):
        parts.append(f"fell as far as {signed(l_pct, 1)}%")
    close = f"closed {signed(c_pct, 2)}%"
    if closed_at:
        close += f" at the day's {closed_at}"
    parts.append(close)
    path = ", ".join(parts)
    text = path
    if tau:
        text += f": a {rng:.1f}% range, {rng / tau:.1f} times its typical {tau:.1f}%"
    else:
        text += f": a {rng:.1f}% range (too few past sessions to say what is typical)"
    if reversal:
        text = f"a reversal {reversal}: " + text
    return Shape(o_pct, h_pct, l_pct, c_pct, rng, tau, gap, wide, reversal, closed_at, text, path)
