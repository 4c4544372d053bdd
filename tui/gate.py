"""The gate every reading passes before it is kept, shown, cached or explained.

One validator for live and bundled data alike (DESIGN §6): a non-finite number, a price at or
below zero where the instrument cannot trade there, a −100% change or a change that disagrees
with price − previous close is no reading; a reading older than the one held never replaces it.
Rejected readings are never written to the cache and never counted in breadth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tui.assets import Row
from tui.numtext import signed
from tui.readings import Reading

PCT_TOLERANCE_PP = 0.05
"""How far a source's change % may sit from the one its own change implies, in percentage points,
before the pair is taken as inconsistent (sources round the percentage to 2–4 digits)."""
PCT_TOLERANCE_REL = 0.01
"""…plus this share of the change % itself (a 1% relative error on a 30% move)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the gate decided.

    Attributes:
        reading: The reading to keep, or None.
        rejected: Why the reading is no reading (the source then counts as failing), or None.
        older: True when the reading was fine but older than the one held (kept the held one).
    """

    reading: Reading | None
    rejected: str | None = None
    older: bool = False


def finite(value: float | None) -> bool:
    """True for a real number (None counts: a missing value is not a bad one)."""
    return value is None or math.isfinite(value)


def level_ok(row: Row, value: float) -> bool:
    """True when `value` can be a level of `row`: finite, and above zero where it must be."""
    if not math.isfinite(value):
        return False
    return not (row.positive_only and value <= 0)


def problem(row: Row, reading: Reading) -> str | None:
    """Why a reading is no reading, or None when it passes.

    Args:
        row: The catalogue row the reading is for.
        reading: The reading.

    Returns:
        One line naming the fault (`sent a non-finite price`), or None.
    """
    if not math.isfinite(reading.price):
        return "sent a non-finite price"
    if not finite(reading.change) or not finite(reading.change_pct):
        return "sent a non-finite change"
    if row.positive_only and reading.price <= 0:
        return f"sent a price of {reading.price:g}, which this market cannot trade at"
    pct, change = reading.change_pct, reading.change
    if pct is not None and pct <= -100:
        return f"sent a change of {pct:g}%"
    if change is not None:
        previous = reading.price - change
        if row.positive_only and previous <= 0:
            return "sent a change that puts the previous close at or below zero"
        if pct is not None and previous > 0:
            implied = change / previous * 100
            if abs(implied - pct) > PCT_TOLERANCE_PP + PCT_TOLERANCE_REL * abs(pct):
                return (
                    f"sent a change of {signed(pct, 2)}% that disagrees with "
                    f"price − previous close ({signed(implied, 2)}%)"
                )
    return None


def admit(row: Row, reading: Reading, held: Reading | None = None) -> Verdict:
    """Pass a reading through the gate.

    Args:
        row: The catalogue row the reading is for.
        reading: The new reading.
        held: The reading kept so far, if any.

    Returns:
        The verdict: the reading to keep (the new one, or the held one when the new one is
        older), and why a rejected reading was rejected.
    """
    why = problem(row, reading)
    if why is not None:
        return Verdict(held, rejected=why)
    if held is not None and _older(reading, held):
        return Verdict(held, older=True)
    return Verdict(reading)


def _older(new: Reading, held: Reading) -> bool:
    if new.day is not None and held.day is not None and new.day != held.day:
        return new.day < held.day
    if new.time is not None and held.time is not None:
        return new.time < held.time
    return False
