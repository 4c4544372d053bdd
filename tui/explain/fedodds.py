"""Fed-decision odds as a change (EXPLAIN_METHOD §9), behind one function.

`fed_odds_change` is the only place explain reads Fed odds. It compares readings of the same
source (so the same method) at both ends of a window and reports the meeting and outcome whose
odds moved most. Each `FedWatch` it is given holds one source on one day (`source`, `as_of`).
When odds computed from fed funds futures are bundled, the builder adds them as one more source
and this function may hand over to that module's `odds_change`; callers stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tui.model import FedWatch

TOLERANCE_DAYS = 3
"""A reading up to this many days from a window's end stands for it, marked approximate."""


@dataclass(frozen=True, slots=True)
class OddsChange:
    """One meeting's odds of one outcome at both ends of a window, from one source.

    Attributes:
        meeting: Decision day.
        move_bp: The outcome (−25 is a 25 bp cut, 0 a hold).
        then: Probability 0–1 at the start.
        now: Probability 0–1 at the end.
        then_day: Date of the start reading.
        now_day: Date of the end reading.
        source: The source both readings come from.
        approximate: True when a reading is not dated on the window's own end.
    """

    meeting: date
    move_bp: int
    then: float
    now: float
    then_day: date
    now_day: date
    source: str
    approximate: bool

    @property
    def change_pp(self) -> float:
        """The change in percentage points."""
        return (self.now - self.then) * 100


def _day(watch: FedWatch) -> date | None:
    return watch.as_of.date() if watch.as_of else None


def _nearest(readings: Sequence[FedWatch], source: str, day: date, before: bool) -> FedWatch | None:
    """The reading of `source` closest to `day` within the tolerance (on or before it when
    `before`, else either side), preferring the exact day."""
    best: tuple[int, FedWatch] | None = None
    for w in readings:
        d = _day(w)
        if d is None or w.source != source:
            continue
        gap = (day - d).days
        if abs(gap) > TOLERANCE_DAYS or (before and gap < 0):
            continue
        if best is None or abs(gap) < best[0]:
            best = (abs(gap), w)
    return best[1] if best else None


def fed_odds_change(
    readings: Sequence[FedWatch], start: date, end: date, sources: Sequence[str] = ()
) -> OddsChange | None:
    """The largest change of any meeting's odds between `start` and `end`, one source.

    Args:
        readings: Single-source, dated readings.
        start: The window's first day.
        end: The window's last day.
        sources: Source names best first; sources not listed come after, in reading order.

    Returns:
        The change from the best source with readings at both ends, or None.
    """
    order = list(dict.fromkeys([*sources, *(w.source for w in readings if w.source)]))
    for source in order:
        now = _nearest(readings, source, end, before=True)
        then = _nearest(readings, source, start, before=False)
        if now is None or then is None:
            continue
        now_day, then_day = _day(now), _day(then)
        if now_day is None or then_day is None or then_day >= now_day:
            continue
        found: list[OddsChange] = []
        for meeting in now.meetings:
            earlier = next((m for m in then.meetings if m.date == meeting.date), None)
            if earlier is None or meeting.date <= end:
                continue
            for move, p in meeting.probabilities.items():
                q = earlier.probabilities.get(move)
                if q is None:
                    continue
                approx = now_day != end or then_day != start
                found.append(
                    OddsChange(meeting.date, move, q, p, then_day, now_day, source, approx)
                )
        if found:
            return max(found, key=lambda c: abs(c.change_pp))
    return None


def outcome_name(move_bp: int, meeting: date) -> str:
    """'December-cut', 'January-hold': the outcome and the meeting's month."""
    what = "cut" if move_bp < 0 else "hike" if move_bp > 0 else "hold"
    size = f" {abs(move_bp)} bp" if abs(move_bp) not in (0, 25) else ""
    return f"{meeting:%B}-{what}{size}"
