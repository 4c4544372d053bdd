"""Inputs of the Fed-watch composer built from prices and markets, for live and replay alike.

`futures_readings` runs the CME FedWatch method (`tui.fedwatch`) on one day's futures prices;
`live_fedwatch` is what the live source calls with whatever it fetched (CME settlements or Yahoo
ZQ prices, Kalshi and Polymarket markets, the odds it stored on earlier days).
"""

from __future__ import annotations

import calendar as calendar_module
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from tui import fedwatch
from tui.fed_odds import Basis, OddsMethod, OddsReading, OddsSource, is_complete
from tui.fomc_calendar import STEP_BP, FomcCalendar
from tui.model import FedWatch
from tui.panes.fed import MEETINGS_SHOWN, compose_fed

NEGLIGIBLE = 5e-4
"""Tree branches under 0.05% are dropped: residue of a near-whole-step split (1 − 0.9999…)."""

Month = tuple[int, int]


def futures_readings(
    day: date,
    prices: Mapping[Month, float],
    calendar: FomcCalendar,
    current_rate: float | None,
    source: OddsSource,
    count: int = MEETINGS_SHOWN,
    rate_as_of: date | None = None,
) -> list[OddsReading]:
    """Odds by the CME FedWatch method on one day's futures prices.

    Args:
        day: The trading day of the prices.
        prices: Contract month (year, month) → price (100 − the month's average EFFR, %).
        calendar: Meetings ahead of `day` and decisions already taken.
        current_rate: The latest EFFR print on or before `day`, percent (the start of the first
            meeting when the month before it had a decision).
        source: Which futures (bundled closes, CME settlements, Yahoo).
        count: Meetings to solve.
        rate_as_of: The day `current_rate` was printed for; a decision taken on or after it
            (effective the next day) moves it one-for-one (assumption 1).

    Returns:
        One complete reading per meeting solved, keyed from the range in force on `day`.
    """
    if current_rate is not None and rate_as_of is not None:
        current_rate += sum(
            (d.move_bp or 0) / 100 for d in calendar.decisions if rate_as_of <= d.day <= day
        )
    meetings = calendar.next_after(day, count)
    past = [d.day for d in calendar.decisions if d.day <= day]
    solved = fedwatch.solve(
        _as_if_one_decision(prices, calendar, day, meetings), meetings, current_rate, past
    )
    in_force = calendar.range_on(day)
    floor = -round(in_force[0] * 100) if in_force else None
    return [
        OddsReading(
            odds.meeting,
            day,
            source,
            OddsMethod.FUTURES,
            _at_zero_bound(odds.probabilities_bp, floor),
            complete=True,
            implied_rate=round(odds.r_end, 4),
            per_meeting={k * STEP_BP: p for k, p in sorted(odds.steps.items()) if p >= NEGLIGIBLE},
        )
        for odds in solved
    ]


def _as_if_one_decision(
    prices: Mapping[Month, float], calendar: FomcCalendar, day: date, meetings: Sequence[date]
) -> dict[Month, float]:
    """Prices of months holding a decision already taken and one still ahead (March 2020),
    restated as if the month had started at today's rate: the days before the past decision
    are taken out at the range's move (assumption 1), leaving the one split the method solves.
    """
    out = dict(prices)
    ahead = {(m.year, m.month) for m in meetings}
    for decision in calendar.decisions:
        month = (decision.day.year, decision.day.month)
        move = decision.move_bp
        if decision.day > day or month not in ahead or month not in out or move is None:
            continue
        days = calendar_module.monthrange(*month)[1]
        out[month] -= (decision.day.day - 1) * move / 100 / days
    return out


def _at_zero_bound(probabilities: Mapping[int, float], floor: int | None) -> dict[int, float]:
    """Moves below the zero lower bound folded into the move to it (method §2, assumption 4);
    branches under NEGLIGIBLE dropped. `floor` is minus the lower bound in force, in bp."""
    out: dict[int, float] = {}
    for move, p in probabilities.items():
        at = max(move, floor) if floor is not None else move
        out[at] = out.get(at, 0.0) + p
    return {k: p for k, p in sorted(out.items()) if p >= NEGLIGIBLE}


FUTURES_SOURCES = (OddsSource.FUTURES_BUNDLED, OddsSource.CME, OddsSource.YAHOO)


def stored_reading(
    source: OddsSource, meeting: date, day: date, probabilities: Mapping[int, float]
) -> OddsReading:
    """A reading kept in the cache (`Store.add_fed_odds(source.value, …)`) read back for the
    changes: futures are complete and measured from that day's range; markets price the move at
    the meeting; published figures are as published."""
    if source in FUTURES_SOURCES:
        return OddsReading(
            meeting, day, source, OddsMethod.FUTURES, dict(probabilities), complete=True
        )
    if source in (OddsSource.KALSHI, OddsSource.POLYMARKET):
        return OddsReading(
            meeting,
            day,
            source,
            OddsMethod.MARKET,
            dict(probabilities),
            Basis.AT_MEETING,
            complete=is_complete(probabilities),
        )
    return OddsReading(
        meeting,
        day,
        source,
        OddsMethod.PUBLISHED,
        dict(probabilities),
        complete=is_complete(probabilities),
    )


def live_fedwatch(
    today: date,
    calendar: FomcCalendar,
    *,
    prices: Mapping[Month, float] | None = None,
    prices_source: OddsSource = OddsSource.CME,
    prices_day: date | None = None,
    current_rate: float | None = None,
    rate_as_of: date | None = None,
    markets: Iterable[OddsReading] = (),
    earlier: Iterable[OddsReading] = (),
    as_of: datetime | None = None,
    count: int = MEETINGS_SHOWN,
    no_odds: str | None = None,
) -> FedWatch:
    """The live Fed-watch pane from what the sources answered.

    Args:
        today: The day in New York.
        calendar: `tui.bundled.fomc_calendar()`.
        prices: Futures prices by contract month: `cme.Settlements.prices()` or Yahoo's dated
            ZQ closes; None when no futures source answered.
        prices_source: OddsSource.CME or OddsSource.YAHOO.
        prices_day: The New York day the prices arrived, which their odds are dated by
            (default `today`); the composer carries odds of an earlier day, dated, as it
            carries a shut market's last close.
        current_rate: The latest EFFR (FRED), percent.
        rate_as_of: The day that EFFR is for (a decision since then moves it).
        markets: `MeetingMarket.reading(today)` for every Kalshi and Polymarket market.
        earlier: Readings stored on earlier days (any source), for Δ1d/Δ1w/Δ1m.
        as_of: When the numbers were received.
        count: Meetings to list.
        no_odds: The one line to show when no source gave odds (which failed and why).

    Returns:
        The pane's model; store `readings` of today (same function's inputs) for tomorrow.
    """
    readings = list(markets) + list(earlier)
    if prices:
        readings += futures_readings(
            prices_day or today, prices, calendar, current_rate, prices_source, count, rate_as_of
        )
    return compose_fed(today, calendar, readings, count=count, as_of=as_of, no_odds=no_odds)
