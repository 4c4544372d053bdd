"""Fed-decision odds as typed readings: the FOMC calendar, the call rules, changes over a window.

Pure: no I/O, no pandas, no Textual. Sources (bundled files, CME settlements, Kalshi, Polymarket)
turn their answers into `OddsReading`s; `tui.panes.fed` composes them into the pane's model.

Probabilities are fractions 0–1 keyed by a move in basis points. The `Basis` says from where: the
range in force on the reading's day (CME FedWatch's target-rate view, the futures tree) or the
range just before that meeting (a prediction market's "25 bps decrease" at one meeting).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tui.fomc_calendar import STEP_BP, FomcCalendar

_WINDOW = timedelta(days=4)
"""An end of a window on a weekend or holiday takes the last reading up to four days before."""
SPLIT_MARGIN_PP = 10.0
"""The call names an outcome only when it leads the runner-up by at least this many pp."""
COMPLETE_TOLERANCE = 0.05
"""A distribution is complete when its probabilities sum to 1 within this (markets' overround)."""


class OddsSource(StrEnum):
    """Where a reading's numbers come from."""

    FUTURES_BUNDLED = "futures_bundled"
    """Bundled daily closes of 30-day fed funds futures (tui/data/daily/zq_daily_2017_2023.csv)."""
    CME = "cme"
    """CME Group's daily settlements of 30-day fed funds futures."""
    YAHOO = "yahoo"
    """Yahoo's dated ZQ contracts."""
    CME_PUBLISHED = "cme_published"
    """CME FedWatch figures as quoted by the press (fedwatch_points.csv)."""
    KALSHI = "kalshi"
    POLYMARKET = "polymarket"


class OddsMethod(StrEnum):
    """How a reading was obtained."""

    FUTURES = "futures"
    """The CME FedWatch method computed by riskpulse from futures prices."""
    PUBLISHED = "published"
    """A figure CME's own tool showed, as published."""
    MARKET = "market"
    """A prediction market's price."""


class Basis(StrEnum):
    """What a probability's key (a move in bp) is measured from."""

    FROM_TODAY = "from_today"
    """From the target range in force on the reading's day (cumulative over earlier meetings)."""
    AT_MEETING = "at_meeting"
    """From the range just before that meeting (the move decided at it)."""


class CallState(StrEnum):
    """What the pane may say about a meeting's most likely outcome."""

    CALLED = "called"
    SPLIT = "split"
    """Complete, but no outcome leads by SPLIT_MARGIN_PP."""
    INCOMPLETE = "incomplete"
    """Not every outcome is known: no outcome is named."""


SOURCE_LABEL: dict[OddsSource, str] = {
    OddsSource.FUTURES_BUNDLED: "riskpulse's computation (CME method) from bundled futures closes",
    OddsSource.CME: "riskpulse's computation (CME method) from CME futures settlements",
    OddsSource.YAHOO: "riskpulse's computation (CME method) from Yahoo ZQ futures",
    OddsSource.CME_PUBLISHED: "CME FedWatch (published)",
    OddsSource.KALSHI: "Kalshi prediction market",
    OddsSource.POLYMARKET: "Polymarket order book",
}
"""The source line of the pane; only a published figure may say "CME FedWatch"."""
SHORT_LABEL: dict[OddsSource, str] = {
    OddsSource.FUTURES_BUNDLED: "futures",
    OddsSource.CME: "futures",
    OddsSource.YAHOO: "futures",
    OddsSource.CME_PUBLISHED: "CME published",
    OddsSource.KALSHI: "Kalshi",
    OddsSource.POLYMARKET: "Polymarket",
}
METHOD_RANK = {OddsMethod.FUTURES: 0, OddsMethod.PUBLISHED: 1, OddsMethod.MARKET: 2}
SOURCE_RANK = {s: i for i, s in enumerate(OddsSource)}


@dataclass(frozen=True, slots=True)
class OddsReading:
    """One source's odds for one meeting on one day, as the source gave them.

    Attributes:
        meeting: Decision day.
        day: The day the odds describe.
        source: Where they come from.
        method: How they were obtained.
        probabilities: Move in bp → probability 0–1, every outcome the source gave.
        basis: What the moves are measured from.
        approximate: True when the data give the day only approximately.
        complete: True when the source prices every outcome (its whole distribution).
        pair: For a two-outcome meeting, its two outcomes: one recorded gives the other.
        implied_rate: Expected rate after the meeting, percent (futures only).
        note: Where the figure was published, or what else was seen that day.
        per_meeting: The move decided at this meeting alone (futures: the meeting's own split).
    """

    meeting: date
    day: date
    source: OddsSource
    method: OddsMethod
    probabilities: Mapping[int, float]
    basis: Basis = Basis.FROM_TODAY
    approximate: bool = False
    complete: bool = False
    pair: tuple[int, int] | None = None
    implied_rate: float | None = None
    note: str | None = None
    per_meeting: Mapping[int, float] | None = None


def derived_complement(reading: OddsReading) -> dict[int, float]:
    """The other outcome of a two-outcome meeting when only one was recorded (1 − p)."""
    if reading.pair is None or len(reading.probabilities) != 1:
        return {}
    ((move, p),) = reading.probabilities.items()
    if move not in reading.pair:
        return {}
    other = reading.pair[1] if move == reading.pair[0] else reading.pair[0]
    return {other: max(0.0, 1.0 - p)}


def is_complete(probabilities: Mapping[int, float], declared: bool = True) -> bool:
    """True when the outcomes sum to one (within COMPLETE_TOLERANCE) and none is missing."""
    return declared and abs(sum(probabilities.values()) - 1.0) <= COMPLETE_TOLERANCE


def call(probabilities: Mapping[int, float], complete: bool) -> tuple[int | None, CallState]:
    """The most likely outcome, stated right.

    Args:
        probabilities: Move in bp → 0–1, recorded and derived together.
        complete: Whether that is the whole distribution.

    Returns:
        (move, CALLED) when the largest of a complete distribution leads the runner-up by at least
        SPLIT_MARGIN_PP; (None, SPLIT) when it does not; (None, INCOMPLETE) when outcomes are
        missing: the largest recorded one may not be the largest.
    """
    if not probabilities or not complete:
        return None, CallState.INCOMPLETE
    ranked = sorted(probabilities.items(), key=lambda kv: kv[1], reverse=True)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if (ranked[0][1] - runner_up) * 100 < SPLIT_MARGIN_PP:
        return None, CallState.SPLIT
    return ranked[0][0], CallState.CALLED


def rebased(reading: OddsReading, shift: int) -> dict[int, float]:
    """A reading's probabilities keyed from a range `shift` 25 bp steps away (FROM_TODAY only)."""
    if reading.basis is Basis.AT_MEETING or shift == 0:
        return dict(reading.probabilities)
    return {k - shift * STEP_BP: p for k, p in reading.probabilities.items()}


def change_pp(
    now: OddsReading, then: OddsReading, calendar: FomcCalendar
) -> dict[int, float] | None:
    """Per-outcome change in pp between two readings of the same source, method and meeting.

    An outcome absent from a complete distribution counts as 0; from an incomplete one, it is
    left out. None when the readings are not comparable (another source or method, an
    approximate date, a decision between them whose range the data do not hold).
    """
    if (now.source, now.method, now.meeting) != (then.source, then.method, then.meeting):
        return None
    if now.approximate or then.approximate:
        return None
    shift = calendar.shift_steps(then.day, now.day)
    if shift is None:
        return None
    past = rebased(then, shift)
    keys = (
        set(now.probabilities) | set(past)
        if now.complete and then.complete
        else (set(now.probabilities) & set(past))
    )
    return {
        k: round((now.probabilities.get(k, 0.0) - past.get(k, 0.0)) * 100, 2) for k in sorted(keys)
    }


def latest(
    readings: Iterable[OddsReading], like: OddsReading, on_or_before: date, not_before: date
) -> OddsReading | None:
    """The latest exact reading of `like`'s source, method and meeting in a window of days."""
    found = [
        r
        for r in readings
        if (r.source, r.method, r.meeting) == (like.source, like.method, like.meeting)
        and not r.approximate
        and not_before <= r.day <= on_or_before
    ]
    return max(found, key=lambda r: r.day) if found else None


@dataclass(frozen=True, slots=True)
class OddsChange:
    """How one outcome's odds moved over a window, from one source and method.

    Attributes:
        meeting: Decision day.
        move_bp: The outcome, a move in bp from the range in force at `end`.
        source: Source of both ends.
        method: Method of both ends.
        start: Day of the earlier reading.
        end: Day of the later reading.
        before: Probability 0–1 at `start`.
        after: Probability 0–1 at `end`.
    """

    meeting: date
    move_bp: int
    source: OddsSource
    method: OddsMethod
    start: date
    end: date
    before: float
    after: float

    @property
    def change_pp(self) -> float:
        """after − before, percentage points."""
        return (self.after - self.before) * 100

    def sentence(self) -> str:
        """'from 2022-06-10 to 2022-06-14 the odds of +75 bp at the 2022-06-15 meeting rose …'."""
        what = "no change" if self.move_bp == 0 else f"{self.move_bp:+d} bp"
        verb = (
            "rose" if self.after > self.before else "fell" if self.after < self.before else "held"
        )
        return (
            f"from {self.start} to {self.end} the odds of {what} at the {self.meeting} meeting "
            f"{verb} from {self.before * 100:.1f}% to {self.after * 100:.1f}% "
            f"({SOURCE_LABEL[self.source]})"
        )


def odds_change(
    readings: Sequence[OddsReading],
    calendar: FomcCalendar,
    start: date,
    end: date,
    meeting: date | None = None,
) -> OddsChange | None:
    """The outcome whose odds moved most between `start` and `end`, both ends stated.

    For each meeting (or only `meeting`), each source and method, the latest exact reading on or
    before each end (within four days, for weekends) is compared, outcome by outcome, measured
    from the range in force at `end`. Only meetings still ahead at `end` count.

    Args:
        readings: Readings of any days, sources and meetings.
        calendar: For the range moves between the two days.
        start: Start of the window.
        end: End of the window.
        meeting: Only this meeting, when given.

    Returns:
        For the meeting and source whose odds moved most (largest change of one outcome either
        way), the outcome that rose most; None when no source has readings at both ends.
    """
    best: OddsChange | None = None
    best_size = 0.0
    ends = [
        r
        for r in readings
        if not r.approximate
        and end - _WINDOW <= r.day <= end
        and r.meeting > end
        and (meeting is None or r.meeting == meeting)
    ]
    for now in ends:
        if latest(ends, now, end, end - _WINDOW) is not now:
            continue
        then = latest(readings, now, start, start - _WINDOW)
        shift = calendar.shift_steps(then.day, now.day) if then is not None else None
        if then is None or shift is None:
            continue
        past = rebased(then, shift)
        found = []
        for move in sorted(set(now.probabilities) | set(past)):
            if not (now.complete and then.complete) and not (
                move in now.probabilities and move in past
            ):
                continue
            before, after = past.get(move, 0.0), now.probabilities.get(move, 0.0)
            found.append(
                OddsChange(
                    now.meeting, move, now.source, now.method, then.day, now.day, before, after
                )
            )
        if not found:
            continue
        # The meeting's size of move is its largest change either way; it is told by the outcome
        # that rose most (in a complete distribution what one outcome loses, others gain).
        biggest = max(abs(c.change_pp) for c in found)
        told = max(found, key=lambda c: c.change_pp)
        if told.change_pp <= 0:
            told = max(found, key=lambda c: abs(c.change_pp))
        if best is None or biggest > best_size:
            best, best_size = told, biggest
    return best
