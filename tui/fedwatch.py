"""Fed-watch odds from 30-day fed funds futures, by the CME FedWatch method.

Pure arithmetic (FEDWATCH_METHOD.md §1–4): each contract's price gives the month's average EFFR;
months without a meeting anchor the rate; a meeting month splits into days before and after the
decision, giving the rate before and after it; the expected move in 25 bp steps gives a
two-outcome split per meeting, and a probability tree chains the meetings.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

STEP = 0.25
"""Percentage points in one move (assumption 1)."""
NOISY_TAIL_DAYS = 7
"""A decision this close to month end makes the month's own R_end noisy: use the next month."""

Month = tuple[int, int]


def implied_average(price: float) -> float:
    """The month's average EFFR implied by a ZQ price: 100 − price, in percent."""
    return 100.0 - price


def step_split(r_start: float, r_end: float) -> dict[int, float]:
    """Probabilities of whole 25 bp steps at one meeting from the expected move.

    Args:
        r_start: Rate before the meeting.
        r_end: Rate after it.

    Returns:
        Steps (−1 = a 25 bp cut) to probability; the two neighbours of the expected move.
    """
    n = (r_end - r_start) / STEP
    k = math.floor(n)
    p = n - k
    if p < 1e-9:
        return {k: 1.0}
    return {k: 1.0 - p, k + 1: p}


@dataclass(frozen=True, slots=True)
class MeetingOdds:
    """One meeting's numbers.

    Attributes:
        meeting: Decision day.
        r_start: Implied rate before it, percent.
        r_end: Implied rate after it, percent.
        steps: This meeting's own split: steps (±1 = 25 bp) to probability.
        cumulative: Steps from today's range after this meeting, to probability (the tree).
    """

    meeting: date
    r_start: float
    r_end: float
    steps: dict[int, float]
    cumulative: dict[int, float]

    @property
    def probabilities_bp(self) -> dict[int, float]:
        """The cumulative distribution keyed by the move in bp from today's range."""
        return {j * 25: p for j, p in sorted(self.cumulative.items())}


def _prev(m: Month) -> Month:
    return (m[0] - 1, 12) if m[1] == 1 else (m[0], m[1] - 1)


def _next(m: Month) -> Month:
    return (m[0] + 1, 1) if m[1] == 12 else (m[0], m[1] + 1)


def solve(
    prices: Mapping[Month, float],
    meetings: Sequence[date],
    current_rate: float | None = None,
    past: Sequence[date] = (),
) -> list[MeetingOdds]:
    """Solve each meeting's rate before and after, then chain them into a probability tree.

    Args:
        prices: ZQ settlement per (year, month).
        meetings: Decision days, any order; those whose month has no price are skipped.
        current_rate: Today's EFFR, used as the first meeting's start when no anchor precedes it.
        past: Decisions already taken: their months are no anchors (the month's average mixes
            the rates before and after), so the current month's own prints (`current_rate`) are
            used instead.

    Returns:
        The meetings that could be solved, in date order; solving stops at the first that cannot
        (later ones depend on it).
    """
    by_month = {(d.year, d.month): d for d in (*past, *meetings)}
    ends: dict[Month, float] = {}
    out: list[MeetingOdds] = []
    dist: dict[int, float] = {0: 1.0}
    for meeting in sorted(meetings):
        month = (meeting.year, meeting.month)
        if month not in prices:
            break
        days = calendar.monthrange(*month)[1]
        before = meeting.day - 1
        avg = implied_average(prices[month])
        prev, nxt = _prev(month), _next(month)
        r_start: float | None = None
        if prev in ends:
            r_start = ends[prev]
        elif prev in prices and prev not in by_month:
            r_start = implied_average(prices[prev])
        elif not out and current_rate is not None:
            r_start = current_rate
        next_anchor = (
            implied_average(prices[nxt]) if nxt in prices and nxt not in by_month else None
        )
        if r_start is not None and (days - before > NOISY_TAIL_DAYS or next_anchor is None):
            r_end = (days * avg - before * r_start) / (days - before)
        elif next_anchor is not None:
            r_end = next_anchor
            if r_start is None:
                if before == 0:
                    break
                r_start = (days * avg - (days - before) * r_end) / before
        else:
            break
        steps = step_split(r_start, r_end)
        tree: dict[int, float] = {}
        for i, p_old in dist.items():
            for k, q in steps.items():
                tree[i + k] = tree.get(i + k, 0.0) + p_old * q
        dist = tree
        ends[month] = r_end
        out.append(MeetingOdds(meeting, r_start, r_end, steps, dict(sorted(dist.items()))))
    return out
