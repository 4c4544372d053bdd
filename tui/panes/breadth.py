"""Breadth for the header, by the one definition in `tui.breadth` (EXPLAIN_METHOD §4), which the
drill-down uses too.

Each risk asset counts when its quote is of the day shown (each market's latest session in live
mode) and current: a stale quote (its data ended, its source failed, the gate refused its
reading) is not a print of the day. Its move is sized in σ of its own daily moves from the
closes before it: the quote's σ, the same number as `tui.breadth.day_z`. Without the history
(a replayed day's first numbers) the header gives the count and says the sizing follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tui.breadth import BreadthReading, breadth
from tui.model import Breadth, Quote


def breadth_of(quotes: Iterable[Quote], day: date | None, sized: bool) -> Breadth:
    """The header's breadth.

    Args:
        quotes: Quotes of the risk assets (others are ignored by `tui.breadth`).
        day: The day shown, or None in live mode (each market on its own latest session).
        sized: False for a day's first numbers, composed before the history that sizes each
            move (`Quote.sigma`, the σ column's own number) was read.

    Returns:
        The breadth, with its one-line `text`.
    """
    shown = [q for q in quotes if q.change_pct is not None or q.change is not None]
    readings = [
        BreadthReading(
            q.id,
            q.price is not None and not q.stale and (day is None or q.as_of == day),
            q.change_pct,
            q.sigma,
        )
        for q in shown
    ]
    if not sized:
        traded = [r for r in readings if r.traded and r.change is not None]
        if not traded:
            return breadth(readings)  # nothing current to count: it says so
        down = sum(1 for r in traded if (r.change or 0) < 0)
        up = sum(1 for r in traded if (r.change or 0) > 0)
        text = f"{down} of {len(traded)} risk assets down; sizing the moves…"
        return Breadth(len(traded), down, up, "pending", scope="pending", text=text)
    return breadth(readings)
