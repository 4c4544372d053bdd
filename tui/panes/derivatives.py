"""BTC perpetual rows (funding per 8 hours, open interest): one composer for live and replay.

The funding row's level is the last settled rate in percent per 8 hours; its sparkline is the
last settlement of each UTC day. Open interest is the perpetual's notional in billions of USDT at
00:00 UTC (Binance's daily series, which the bundled file also holds). A settlement or a day
listed twice counts once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from tui import measures
from tui.history import Series
from tui.numtext import signed
from tui.readings import Reading


def funding(
    prints: Iterable[tuple[datetime, float]], source: str, received: float
) -> tuple[Reading, Series] | None:
    """The funding reading and its daily history.

    Args:
        prints: (settlement time UTC, rate as a fraction per 8 h) in any order; repeats allowed.
        source: Source id to name.
        received: When the prints arrived (epoch seconds).

    Returns:
        (reading, daily series of the last settlement per day, in percent), or None without
        prints.
    """
    by_time = dict(prints)
    if not by_time:
        return None
    times = sorted(by_time)
    last = by_time[times[-1]] * 100
    prev = by_time[times[-2]] * 100 if len(times) > 1 else None
    daily: dict[date, float] = {}
    for t in times:
        daily[t.date()] = by_time[t] * 100
    days = sorted(daily)
    reading = Reading(
        last,
        last - prev if prev is not None else None,
        None,
        times[-1].date(),
        times[-1],
        source,
        received,
        detail=signed(measures.funding_annualised_pct(last), 1, "%/yr"),
    )
    return reading, Series("btc_funding", tuple(days), tuple(daily[d] for d in days))


def open_interest(
    points: Iterable[tuple[date, float]],
    source: str,
    received: float,
    day: date | None = None,
    *,
    time: datetime | None = None,
    detail: str | None = None,
) -> tuple[Reading, Series] | None:
    """The open-interest reading on or before `day` (the last when None) and its history.

    Args:
        points: (UTC day, notional in USDT), any order; a repeated day counts once (the last).
        source: Source id to name.
        received: When the points arrived (epoch seconds).
        day: The day shown, or None for the latest.
        time: The source's stamp of the latest point, when it gives one.
        detail: Extra text for the row (contracts).

    Returns:
        (reading in bn USDT, daily series in bn USDT), or None when nothing is on or before
        `day`.
    """
    by_day = {d: v / 1e9 for d, v in points if v > 0}
    days = sorted(d for d in by_day if day is None or d <= day)
    if not days:
        return None
    level = by_day[days[-1]]
    prev = by_day[days[-2]] if len(days) > 1 else None
    reading = Reading(
        level,
        level - prev if prev is not None else None,
        (level / prev - 1) * 100 if prev else None,
        days[-1],
        time,
        source,
        received,
        detail=detail,
    )
    return reading, Series("btc_oi", tuple(days), tuple(by_day[d] for d in days))
