"""Breadth for the header: how many risk assets fell or rose on the day shown.

Only quotes that passed the gate and are current count: a stale quote (its data ended, its
source failed) is not a print of the day. With fewer than MIN_MARKETS non-crypto markets
printing (weekends, holidays) the header says which markets it counted instead of calling a
handful "broad".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tui.assets import BY_ID, RISK_ASSETS
from tui.model import Breadth, Quote

BROAD_SHARE = 0.6
"""At least this share moving one way makes the move broad."""
MIN_MARKETS = 4
"""Fewer equity markets than this printing on the day: no broad/narrow label."""


def breadth_of(quotes: Iterable[Quote], day: date | None) -> Breadth:
    """Count risk assets that printed on `day` (each on its own latest session when None, as in
    live mode) and fell or rose.

    Args:
        quotes: Quotes of the risk assets (others are ignored).
        day: The day shown, or None.

    Returns:
        The breadth; its label is `broad risk-off`, `risk-off`, `mixed`, `risk-on`,
        `broad risk-on`, `crypto only` (no equity market printed) or `few markets`.
    """
    moved = [
        q
        for q in quotes
        if q.id in RISK_ASSETS
        and not q.stale
        and q.change is not None
        and (day is None or q.as_of == day)
    ]
    down = sum(1 for q in moved if q.change is not None and q.change < 0)
    up = sum(1 for q in moved if q.change is not None and q.change > 0)
    equities = sum(1 for q in moved if not BY_ID[q.id].weekends)
    n = len(moved)
    if n and equities == 0:
        label = "crypto only"
    elif equities < MIN_MARKETS and n:
        label = "few markets"
    elif n == 0 or down == up:
        label = "mixed"
    else:
        side, count = ("risk-off", down) if down > up else ("risk-on", up)
        label = f"broad {side}" if count / n >= BROAD_SHARE else side
    return Breadth(n, down, up, label)
