"""The Fed-watch pane, composed the same way for live and replay.

Inputs are typed readings (`tui.fed_odds.OddsReading`): odds per meeting from the futures (the CME
method computed by riskpulse), CME FedWatch as published, Kalshi and Polymarket, each with its
day, whether that day is approximate and the outcomes as given. The composer picks the main
reading per meeting (an exact day before an approximate one; futures, then published, then
markets), states the call by `tui.fed_odds.call`, puts the markets beside it with the gap, and
computes Δ1d/Δ1w/Δ1m from readings of the same source and method only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from tui.fed_odds import (
    METHOD_RANK,
    SOURCE_LABEL,
    SOURCE_RANK,
    Basis,
    OddsMethod,
    OddsReading,
    OddsSource,
    call,
    change_pp,
    derived_complement,
    is_complete,
    latest,
)
from tui.fed_text import LEGEND, market_text
from tui.fomc_calendar import FomcCalendar
from tui.model import FedCross, FedMeeting, FedWatch

MEETINGS_SHOWN = 3
CHANGE_WINDOWS: tuple[tuple[str, int], ...] = (("1d", 1), ("1w", 7), ("1m", 30))
"""Δ over a day, a week, a month: against the latest reading at least this many days back..."""
CHANGE_SLACK_DAYS = 4
"""...and at most this many days more (weekends, holidays; a longer gap gives no change)."""


def _rank(reading: OddsReading) -> tuple[bool, int, int]:
    return reading.approximate, METHOD_RANK[reading.method], SOURCE_RANK[reading.source]


def _with_derived(reading: OddsReading) -> tuple[dict[int, float], dict[int, float], bool]:
    """(recorded, derived, complete) for a reading."""
    derived = derived_complement(reading)
    both = {**reading.probabilities, **derived}
    return (
        dict(reading.probabilities),
        derived,
        is_complete(both, reading.complete or bool(derived)),
    )


def _changes(
    main: OddsReading, readings: Sequence[OddsReading], calendar: FomcCalendar
) -> list[dict[int, float]]:
    """Δ1d, Δ1w, Δ1m of each outcome from the main reading's own source and method.

    A derived complement moves opposite to its recorded outcome.
    """
    out: list[dict[int, float]] = []
    derived = derived_complement(main)
    for _, back in CHANGE_WINDOWS:
        newest = main.day - timedelta(days=back)
        then = latest(readings, main, newest, newest - timedelta(days=CHANGE_SLACK_DAYS))
        found = dict((change_pp(main, then, calendar) if then is not None else None) or {})
        for other in derived:
            (recorded,) = main.probabilities
            if recorded in found:
                found[other] = -found[recorded]
        out.append(found)
    return out


def _carried(
    meeting: date, day: date, readings: Sequence[OddsReading], calendar: FomcCalendar
) -> list[OddsReading]:
    """On a day markets were shut, the futures' last close (dated), if no decision came since."""
    closes = [
        r
        for r in readings
        if r.meeting == meeting
        and r.method is OddsMethod.FUTURES
        and day - timedelta(days=CHANGE_SLACK_DAYS) <= r.day < day
        and calendar.shift_steps(r.day, day) == 0
    ]
    newest = max((r.day for r in closes), default=None)
    return [r for r in closes if r.day == newest]


def _cross(market: OddsReading, main: OddsReading, first: bool) -> FedCross:
    """A market beside the main reading; the gap only where both measure from the same range."""
    recorded, derived, _ = _with_derived(market)
    theirs = {**recorded, **derived}
    if first or market.basis is main.basis:
        ours = {**main.probabilities, **derived_complement(main)}
    else:
        ours = dict(main.per_meeting or {})
    gap = {k: round((theirs[k] - ours[k]) * 100, 2) for k in sorted(theirs) if k in ours}
    return FedCross(
        market.source, market.day, recorded, derived, gap, market.basis, market.approximate
    )


def _others_note(main: OddsReading, same_day: Sequence[OddsReading]) -> str | None:
    others = [r for r in same_day if r is not main and r.method is not OddsMethod.MARKET]
    parts = [main.note] if main.note else []
    if others:
        shown = ", ".join(
            ("≈" if r.approximate else "")
            + "/".join(f"{p * 100:g}%" for p in r.probabilities.values())
            + f" ({SOURCE_LABEL[r.source] if r.source is not main.source else r.note or ''})"
            for r in others
        )
        parts.append(f"other readings that day: {shown}")
    return "; ".join(p for p in parts if p) or None


def compose_meeting(
    meeting: date,
    day: date,
    readings: Sequence[OddsReading],
    calendar: FomcCalendar,
    first: bool,
) -> FedMeeting:
    """One meeting's row from every reading of any day (those of `day` are candidates).

    Args:
        meeting: Decision day.
        day: The day shown.
        readings: Readings of that meeting and others, on `day` and earlier (for the changes).
        calendar: For the range in force between days.
        first: True for the first meeting after `day` (both bases then agree).

    Returns:
        The row; only the date when no reading exists for that day.
    """
    same_day = [r for r in readings if r.meeting == meeting and r.day == day]
    if not same_day:
        same_day = _carried(meeting, day, readings, calendar)
    if not same_day:
        return FedMeeting(meeting)
    main = min(same_day, key=_rank)  # min is stable: the first of equals (file order) wins
    recorded, derived, complete = _with_derived(main)
    move, state = call({**recorded, **derived}, complete)
    d1, d1w, d1m = _changes(main, readings, calendar) if not main.approximate else ({},) * 3
    markets: list[FedCross] = []
    if main.method is not OddsMethod.MARKET:
        for source in (OddsSource.KALSHI, OddsSource.POLYMARKET):
            found = [r for r in same_day if r.source is source]
            if found:
                markets.append(_cross(min(found, key=_rank), main, first))
    else:
        markets += [
            _cross(r, main, first)
            for r in same_day
            if r.method is OddsMethod.MARKET and r.source is not main.source
        ]
    row = FedMeeting(
        meeting,
        recorded,
        d1,
        d1w,
        main.implied_rate,
        _others_note(main, same_day),
        d1m,
        derived,
        main.source,
        main.method,
        main.day,
        main.approximate,
        move,
        state,
        Basis.FROM_TODAY if first else main.basis,
        tuple(markets),
    )
    beside = market_text(row)
    if beside:
        row = replace(row, note="; ".join(n for n in (row.note, beside) if n))
    return row


def compose_fed(
    day: date,
    calendar: FomcCalendar,
    readings: Iterable[OddsReading],
    *,
    count: int = MEETINGS_SHOWN,
    as_of: datetime | None = None,
    no_odds: str | None = None,
) -> FedWatch:
    """The Fed-watch pane for `day`.

    The meetings are the calendar's next ones after `day`; where the calendar cannot name them
    (a day before its first year, or past its last meeting) there are none and the pane's error
    line says so, whatever odds the sources hold for later meetings.

    Args:
        day: The day shown (live: today in New York).
        calendar: The FOMC calendar.
        readings: Every reading available: of `day` for the rows, earlier ones for the changes.
        count: Meetings to list.
        as_of: The moment the odds describe (None when there are none).
        no_odds: Why there are no readings, for the one line that says so.

    Returns:
        The pane's model.
    """
    pool = list(readings)
    upcoming = calendar.next_after(day, count)
    rows = tuple(compose_meeting(m, day, pool, calendar, i == 0) for i, m in enumerate(upcoming))
    used = [r.source for r in rows if r.source is not None]
    source = " + ".join(SOURCE_LABEL[s] for s in dict.fromkeys(used)) or None
    last = calendar.last_text(day)
    unknown = calendar.unknown_ahead(day)
    ends = f"FOMC calendar ends {calendar.ends}" if calendar.ends else None
    ran_out = calendar.ends is not None and (bool(upcoming) or day >= calendar.ends)
    if len(upcoming) < count and ends and ran_out:
        ends += ": later meetings are not shown"
    notes = [" · ".join(n for n in (last, ends) if n)] if last or ends else []
    marked = any(r.approximate or r.derived for r in rows) or any(
        c.derived or c.approximate for r in rows for c in r.markets
    )
    if marked:
        notes.append(LEGEND)
    error = None
    if not used:
        # With no meeting known ahead, odds of later meetings are no answer: the calendar says why.
        error = unknown or no_odds or f"no Fed-decision odds recorded for {day}"
    return FedWatch(
        rows,
        source,
        as_of if used else None,
        error,
        tuple(notes),
        last,
        calendar.ends,
    )
