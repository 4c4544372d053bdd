"""Breadth for the header, by the one definition in `tui.breadth` (EXPLAIN_METHOD §4), which the
drill-down uses too.

Each risk asset counts when its quote is of the day shown (each market's latest session in live
mode) and current: a stale quote (its data ended, its source failed, the gate refused its
reading) is not a print of the day. Its move is sized in σ of its own daily moves from the
closes before it (`tui.breadth.day_z`); without the history (a replayed day's first numbers)
the header gives the count and says the sizing follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tui.breadth import BreadthReading, breadth, day_z
from tui.history import History
from tui.model import Breadth, Quote


def _z(
    quote: Quote, history: History, memo: dict[tuple[str, date, float], float | None]
) -> float | None:
    if quote.as_of is None or quote.price is None:
        return None
    key = (quote.id, quote.as_of, quote.price)
    if key not in memo:
        series = history.series(quote.id)
        i = series.index_at(quote.as_of)
        closes = list(series.values[: i + 1]) if i >= 0 else []
        if not closes or series.dates[i] != quote.as_of:
            closes.append(quote.price)  # a live close the history does not hold yet
        else:
            closes[-1] = quote.price
        memo[key] = day_z(closes)
    return memo[key]


_MEMO: dict[tuple[str, date, float], float | None] = {}


def breadth_of(quotes: Iterable[Quote], day: date | None, history: History | None) -> Breadth:
    """The header's breadth.

    Args:
        quotes: Quotes of the risk assets (others are ignored by `tui.breadth`).
        day: The day shown, or None in live mode (each market on its own latest session).
        history: Daily closes for sizing each move in σ; None for a day's first numbers.

    Returns:
        The breadth, with its one-line `text`.
    """
    shown = [q for q in quotes if q.change_pct is not None or q.change is not None]
    readings = [
        BreadthReading(
            q.id,
            q.price is not None and not q.stale and (day is None or q.as_of == day),
            q.change_pct,
            _z(q, history, _MEMO) if history is not None else None,
        )
        for q in shown
    ]
    if history is None:
        traded = [r for r in readings if r.traded and r.change is not None]
        if not traded:
            return breadth(readings)  # nothing current to count: it says so
        down = sum(1 for r in traded if (r.change or 0) < 0)
        up = sum(1 for r in traded if (r.change or 0) > 0)
        text = f"{down} of {len(traded)} risk assets down; sizing the moves…"
        return Breadth(len(traded), down, up, "pending", scope="pending", text=text)
    if len(_MEMO) > 4096:
        _MEMO.clear()
    return breadth(readings)
