"""Readings: one value of one row as a source (live or bundled) gave it, before it is shown.

Plain data, no I/O: sources produce readings, `tui.gate` admits or rejects them, the pane
composers in `tui.panes` turn admitted readings into the `Quote`s the panes show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Reading:
    """One row's latest value from one source.

    Attributes:
        price: Level in the row's unit (price, index level, yield in percent, spread in bp,
            funding in percent per 8 hours, open interest in bn USDT).
        change: Change from the previous close, in the level's unit; None when unknown.
        change_pct: Relative change in percent (prices only); None when undefined.
        day: The trading day the value belongs to, in the market's own time zone.
        time: When the source stamped it (UTC), when it says.
        source: Source id that gave it (`yahoo`, `replay`…).
        received: Wall-clock seconds (epoch) when it arrived; the close's day for bundled data.
        detail: Extra text for the row (the Fed target range, funding annualised…).
        symbol: Display symbol when the source's differs from the catalogue's (`BTC/USD`).
        currency: What the price is quoted in (`USD`, `USDT`), when a price.
    """

    price: float
    change: float | None
    change_pct: float | None
    day: date | None
    time: datetime | None
    source: str
    received: float
    detail: str | None = None
    symbol: str | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class Gap:
    """Why a row has no fresh reading: the source that failed and what it said.

    Attributes:
        source: Source id, or None for a reason that is no one source's (the cache, the data's
            end).
        reason: One line, without any age (ages are computed where they are shown).
        status: The HTTP status behind it, when there was one.
    """

    source: str | None
    reason: str
    status: int | None = None

    def text(self) -> str:
        """`coingecko: sent a non-finite price`, or the bare reason."""
        return f"{self.source}: {self.reason}" if self.source else self.reason
