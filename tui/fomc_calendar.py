"""The FOMC calendar: decisions with the target range before and after, as bundled.

Pure: no I/O. `tui.bundled.fomc_calendar()` reads it from fomc_meetings_2018_2027.csv. The
calendar knows the decisions of the days it covers and nothing of the others: a day whose next
meetings fall outside it has no known next meetings (never the first ones it happens to hold),
no known target range, and no known count of moves across the edge.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

STEP_BP = 25
"""Basis points in one move of the target range."""


@dataclass(frozen=True, slots=True)
class FomcDecision:
    """One FOMC rate decision (fomc_meetings_2018_2027.csv); ranges in percent, None if unknown."""

    day: date
    scheduled: bool
    lower_before: float | None = None
    upper_before: float | None = None
    lower_after: float | None = None
    upper_after: float | None = None

    @property
    def move_bp(self) -> int | None:
        """The move decided, in bp, when both ranges are known."""
        if self.lower_before is None or self.lower_after is None:
            return None
        return round((self.lower_after - self.lower_before) * 100)


@dataclass(frozen=True, slots=True)
class FomcCalendar:
    """Decisions in date order, and scheduled meetings that were later replaced (dropped)."""

    decisions: tuple[FomcDecision, ...]
    replaced: Mapping[date, date] | None = None
    """A scheduled meeting → the day it was cancelled (listed as upcoming only before that)."""
    covers: tuple[date, date] | None = None
    """First and last day whose every decision the calendar holds; None: from its first
    decision to its last."""

    @property
    def span(self) -> tuple[date, date] | None:
        """First and last day the calendar covers, or None when it holds nothing."""
        if self.covers is not None:
            return self.covers
        if not self.decisions:
            return None
        return self.decisions[0].day, self.decisions[-1].day

    def holds(self, first: date, last: date) -> bool:
        """True when every decision from `first` through `last` (inclusive) is in the calendar;
        an empty stretch (`first` after `last`) is held."""
        if first > last:
            return True
        span = self.span
        return span is not None and span[0] <= first and last <= span[1]

    def next_after(self, day: date, count: int = 3) -> tuple[date, ...]:
        """The next meetings known on `day`: scheduled ones after it (an unscheduled decision is
        not known in advance), and replaced ones before their cancellation.

        Returns:
            Up to `count` decision days in date order; none when a meeting could fall between
            `day` and the calendar's first day (meetings before it are not known).
        """
        span = self.span
        if span is None or day + timedelta(days=1) < span[0]:
            return ()
        known = [d.day for d in self.decisions if d.day > day and d.scheduled]
        known += [m for m, gone in (self.replaced or {}).items() if m > day and gone > day]
        return tuple(sorted(known)[:count])

    def unknown_ahead(self, day: date) -> str | None:
        """Why the calendar cannot name the next meetings after `day`, or None when it can.

        Returns:
            'FOMC calendar bundled from 2018: meetings before it are not known' for a day before
            its span, '… bundled to 2027: meetings after it are not known' once no meeting of it
            lies ahead; None when at least the next meeting is known.
        """
        span = self.span
        if span is None:
            return "no FOMC calendar is bundled: meetings are not known"
        first, last = span
        if day + timedelta(days=1) < first:
            edge = first.year if (first.month, first.day) == (1, 1) else first
            return f"FOMC calendar bundled from {edge}: meetings before it are not known"
        if not self.next_after(day, 1):
            edge = last.year if (last.month, last.day) == (12, 31) else last
            return f"FOMC calendar bundled to {edge}: meetings after it are not known"
        return None

    def last_on_or_before(self, day: date) -> FomcDecision | None:
        """The latest decision announced on or before `day`."""
        i = bisect_right([d.day for d in self.decisions], day) - 1
        return self.decisions[i] if i >= 0 else None

    @property
    def ends(self) -> date | None:
        """The last decision day the calendar holds."""
        return self.decisions[-1].day if self.decisions else None

    def range_on(self, day: date) -> tuple[float, float] | None:
        """The target range known at the close of `day`, or None when the data do not say
        (a day outside the calendar's span may follow a decision it does not hold)."""
        span = self.span
        if span is None or not span[0] <= day <= span[1]:
            return None
        last = self.last_on_or_before(day)
        if last is not None:
            if last.lower_after is None or last.upper_after is None:
                return None
            return last.lower_after, last.upper_after
        first = self.decisions[0] if self.decisions else None
        if first is None or first.lower_before is None or first.upper_before is None:
            return None
        return first.lower_before, first.upper_before

    def shift_steps(self, then: date, now: date) -> int | None:
        """25 bp steps the range moved between two days (0 with no decision between them); None
        when the data do not say (a decision between them whose range is not bundled, or days
        between them outside the calendar's span)."""
        if not self.holds(then + timedelta(days=1), now):
            return None
        if not any(then < d.day <= now for d in self.decisions):
            return 0
        a, b = self.range_on(then), self.range_on(now)
        if a is None or b is None:
            return None
        return round((b[0] - a[0]) * 100 / STEP_BP)

    def last_text(self, day: date) -> str | None:
        """'last: +75 bp on 2022-06-15 → 1.50–1.75', or None before the calendar starts."""
        last = self.last_on_or_before(day)
        if last is None:
            return None
        kind = "" if last.scheduled else " (unscheduled)"
        move = last.move_bp
        if move is None or last.upper_after is None:
            return f"last: {last.day}{kind}, decision not in the bundled data"
        verb = "hold" if move == 0 else f"{move:+d} bp"
        rng = f"{last.lower_after:.2f}–{last.upper_after:.2f}"
        return f"last: {verb} on {last.day}{kind} → {rng}"
