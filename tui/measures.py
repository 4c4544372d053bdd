"""One definition of every derived quantity riskpulse shows, shared by live and replay.

Plain Python (no pandas, no I/O), imported at start-up. Each constant and function here is the
only place its quantity is defined: the panes, `snapshot`, the cache and the drill-down use
these and nothing else.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
SPARK_POINTS = 5
"""Daily closes in a pane's sparkline in the standard layout (a trading week), the day's own
close last; the column header says so. Five keep a quote row at 58 columns, two panes side by
side at 120."""
SPARK_POINTS_WIDE = 15
"""Daily closes in the wide layout's sparkline (three trading weeks), from 180 columns."""
SPARK_POINTS_BY_LAYOUT: dict[str, int] = {
    "compact": 0,
    "standard": SPARK_POINTS,
    "wide": SPARK_POINTS_WIDE,
}
"""The sparkline's length in each dashboard layout: the one definition the panes read."""
EWMA_LAMBDA = 0.94
"""RiskMetrics decay for daily returns."""
EWMA_SEED = 60
"""Returns used to seed the EWMA variance; fewer before the day means too little history."""
WEEK_DAYS = 7
"""The 1w change: from the last close on or before the day seven calendar days earlier."""
MONTH_DAYS = 30
"""The 1m change: from the last close on or before the day thirty calendar days earlier."""
SPARK_MAX_GAP_DAYS = 10
"""A sparkline is drawn only from closes that reach to within this many days of the quote's
day (longer than any market holiday; Golden Week is 7)."""
HIGH_WINDOW_DAYS = 365
"""The 52-week high: the highest daily *close* in the 365 calendar days ending on the quote's
day, that day's close included (never a source's intraday high), for every asset and mode."""
HIGH_MIN_HISTORY_DAYS = 358
"""A 52-week high is shown only when the closes reach back at least this far (a week's slack
for a year that began on a holiday); a shorter history gives no high rather than a wrong one."""
QUIET_GAP_DAYS = 10
"""A close older than this many days before the day shown is stale even mid-series."""
FUNDING_PRINTS_PER_YEAR = 3 * 365
"""Perpetual funding settles every 8 hours."""


def funding_annualised_pct(rate_pct_8h: float) -> float:
    """A funding rate per 8 hours (in percent) as a simple yearly rate in percent.

    Args:
        rate_pct_8h: Funding per 8-hour period in percent (0.01 = 0.01%).

    Returns:
        Percent per year, not compounded (0.01% per 8 h → 10.95%/yr).
    """
    return rate_pct_8h * FUNDING_PRINTS_PER_YEAR


def spread_bp(
    a: Iterable[tuple[date, float]], b: Iterable[tuple[date, float]]
) -> list[tuple[date, float]]:
    """a − b in basis points on the days both printed (SOFR − IORB from FRED's percent levels).

    Args:
        a: (day, level in percent) of the first series.
        b: (day, level in percent) of the second.

    Returns:
        (day, spread in bp) ascending, rounded to 1e-6 bp to drop float noise.
    """
    other = dict(b)
    return sorted((d, round((v - other[d]) * 100, 6)) for d, v in a if d in other)


def new_york_day(moment: datetime) -> date:
    """The New York calendar day of a moment: the day a US session belongs to."""
    return moment.astimezone(NEW_YORK).date()


def new_york_close(day: date) -> datetime:
    """16:00 New York time on `day`, in UTC: the moment a replayed day describes."""
    return datetime.combine(day, time(16, 0), NEW_YORK).astimezone(UTC)


def sessions_after(start: date, end: date, *, weekends: bool) -> int:
    """How many days after `start`, up to and including `end`, a market could have traded
    (every day for crypto, weekdays otherwise; holidays are not known here and count)."""
    if end <= start:
        return 0
    days = (end - start).days
    if weekends:
        return days
    full, rest = divmod(days, 7)
    count = full * 5
    for k in range(1, rest + 1):
        if (start + timedelta(days=k)).weekday() < 5:
            count += 1
    return count


def last_session_opened(moment: datetime, tz: str, opens: time, *, weekends: bool) -> date:
    """The last day, in the market's own time zone, whose session had opened by `moment`.

    Args:
        moment: Now (aware).
        tz: The market's time zone.
        opens: Local opening time of its session.
        weekends: True for a market that trades every day.

    Returns:
        That day; a quote dated before it is older than its market's last session.
    """
    local = moment.astimezone(ZoneInfo(tz))
    day = local.date() if local.time() >= opens else local.date() - timedelta(days=1)
    while not weekends and day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def high_52w(
    dates: Sequence[date], values: Sequence[float], day: date, price: float
) -> float | None:
    """The 52-week closing high (see HIGH_WINDOW_DAYS) with `price` as the day's close.

    Args:
        dates: Days of the earlier closes, ascending (days on or after `day` are ignored).
        values: The closes.
        day: The quote's day.
        price: The quote's close (or last).

    Returns:
        The high, or None when the closes do not reach back far enough.
    """
    if not dates or dates[0] > day - timedelta(days=HIGH_MIN_HISTORY_DAYS):
        return None
    lo = bisect_right(dates, day - timedelta(days=HIGH_WINDOW_DAYS))
    hi = bisect_left(dates, day)
    return max(price, *values[lo:hi]) if hi > lo else price


def spark(
    dates: Sequence[date],
    values: Sequence[float],
    day: date,
    price: float,
    points: int = SPARK_POINTS,
) -> tuple[float, ...]:
    """The sparkline's closes: up to `points` − 1 before `day`, then `price`.

    Args:
        dates: Days of the earlier closes, ascending (days on or after `day` are ignored).
        values: The closes.
        day: The quote's day.
        price: The quote's close (or last).
        points: How many closes (SPARK_POINTS_BY_LAYOUT).

    Returns:
        The values, or () when the closes end more than SPARK_MAX_GAP_DAYS before `day`.
    """
    hi = bisect_left(dates, day)
    if hi == 0 or (day - dates[hi - 1]).days > SPARK_MAX_GAP_DAYS:
        return ()
    return (*values[max(0, hi - points + 1) : hi], price)


def ewma_sigma(returns: Sequence[float]) -> float | None:
    """RiskMetrics EWMA volatility of daily returns, seeded on the first EWMA_SEED (zero mean).

    Args:
        returns: Daily moves, oldest first (percent, or bp for rates and spreads).

    Returns:
        The volatility in the returns' unit, or None with fewer than EWMA_SEED returns.
    """
    if len(returns) < EWMA_SEED:
        return None
    var = sum(r * r for r in returns[:EWMA_SEED]) / EWMA_SEED
    for r in returns[EWMA_SEED:]:
        var = EWMA_LAMBDA * var + (1 - EWMA_LAMBDA) * r * r
    return math.sqrt(var)


def step_move(before: float, after: float, unit: str) -> float | None:
    """One move in the unit a trader reads it in.

    Args:
        before: The earlier close.
        after: The later close.
        unit: `price` (percent), `rate` (a level in percent: moves in bp) or anything else
            (a level already in its own unit, such as bp).

    Returns:
        The move, or None for a percent move from a close at or below zero (undefined).
    """
    if unit == "price":
        return (after / before - 1) * 100 if before > 0 else None
    return (after - before) * (100 if unit == "rate" else 1)


def daily_sigma(values: Sequence[float], unit: str) -> float | None:
    """The EWMA volatility of the daily moves between consecutive closes.

    The drill-down's yardstick (`tui.explain.move.measure`): every close before the day, none
    on or after it, so a shock does not size itself. A percent move from or to a close at or
    below zero (WTI in April 2020) is arithmetic, not a return: it is left out.

    Args:
        values: The closes before the day, oldest first.
        unit: As in `step_move`.

    Returns:
        The daily σ in the move's unit, or None with too little history.
    """
    moves = [step_move(a, b, unit) for a, b in pairwise(values) if unit != "price" or b > 0]
    return ewma_sigma([m for m in moves if m is not None])


def sigma_path(values: Sequence[float], unit: str) -> list[float | None]:
    """`daily_sigma` of every prefix: item k is the σ from the closes up to index k.

    One pass over the history, so the σ before any day is a lookup (stepping through replayed
    days would otherwise run the EWMA over the whole history for each row and day). The
    arithmetic is `ewma_sigma`'s, in the same order, so the numbers are identical.

    Args:
        values: The closes, oldest first.
        unit: As in `step_move`.

    Returns:
        One σ (or None, before EWMA_SEED moves) per close.
    """
    out: list[float | None] = [None] * len(values)
    seed = 0.0
    count = 0
    var = 0.0
    for k in range(1, len(values)):
        a, b = values[k - 1], values[k]
        move = step_move(a, b, unit) if unit != "price" or b > 0 else None
        if move is not None:
            count += 1
            if count < EWMA_SEED:
                seed += move * move
            elif count == EWMA_SEED:
                var = (seed + move * move) / EWMA_SEED
            else:
                var = EWMA_LAMBDA * var + (1 - EWMA_LAMBDA) * move * move
        if count >= EWMA_SEED:
            out[k] = math.sqrt(var)
    return out


_SIGMA_MEMO_SIZE = 256
_sigma_memo: dict[tuple[str, str, int, date, date, float], list[float | None]] = {}
"""`sigma_path` per series and history: live snapshots are composed every few seconds, replayed
days step one at a time and the drill-down sizes three horizons per asset, and the EWMA runs
over the whole history, so it runs once per history and is looked up after that."""


def sigma_before(
    series_id: str, dates: Sequence[date], values: Sequence[float], unit: str, n: int
) -> float | None:
    """`daily_sigma` of the first `n` closes (those before the day at index `n`), memoised.

    The one yardstick of the panes' σ, the drill-down's, the recap's and the alerts': the same
    numbers as `daily_sigma(values[:n], unit)`, looked up in the series' `sigma_path`.

    Args:
        series_id: The series (part of the memo's key, with its length, ends and last value,
            so a history that grew or changed is computed afresh).
        dates: Its days, ascending.
        values: Its closes.
        unit: As in `step_move`.
        n: How many closes, from the first, the σ may use.

    Returns:
        σ in the move's unit (percent, or bp), or None with too little history.
    """
    if n < 2 or not dates:
        return None
    n = min(n, len(values))
    key = (series_id, unit, len(dates), dates[0], dates[-1], values[-1])
    path = _sigma_memo.get(key)
    if path is None:
        if len(_sigma_memo) >= _SIGMA_MEMO_SIZE:
            _sigma_memo.clear()
        path = _sigma_memo[key] = sigma_path(values, unit)
    return path[n - 1]


def sigmas(move: float | None, sigma: float | None) -> float | None:
    """A move in σ of the asset's own daily moves, or None when either is unknown or σ is 0."""
    if move is None or sigma is None or sigma <= 0:
        return None
    return move / sigma


def change_start(dates: Sequence[date], day: date, days: int) -> int | None:
    """Index of the close a change over `days` calendar days to `day` starts from.

    The one definition of a 1w (WEEK_DAYS) and 1m (MONTH_DAYS) start, for every asset, live
    and replay: the panes' columns (`change_since`) and the drill-down's 1m row, its σ and its
    1-year rank (`tui.explain.move.start_index`) all start from this close.

    Args:
        dates: Days of the closes, ascending (days on or after `day` are never chosen).
        day: The day the change ends on.
        days: Calendar days back.

    Returns:
        The index of the last close on or before `day − days`, or None when no close is that
        old, or when the close found is more than SPARK_MAX_GAP_DAYS older than asked (a gap in
        the data is not a change over the horizon).
    """
    start = day - timedelta(days=days)
    i = bisect_right(dates, start) - 1
    if i < 0 or dates[i] >= day or (start - dates[i]).days > SPARK_MAX_GAP_DAYS:
        return None
    return i


def change_since(
    dates: Sequence[date], values: Sequence[float], day: date, price: float, days: int, unit: str
) -> float | None:
    """The move from the close `change_start` picks to `price` (WEEK_DAYS, MONTH_DAYS).

    Args:
        dates: Days of the earlier closes, ascending (days on or after `day` are ignored).
        values: The closes.
        day: The quote's day.
        price: The quote's close (or last).
        days: Calendar days back.
        unit: As in `step_move`.

    Returns:
        The move in the unit of `step_move`, or None where `change_start` finds no close.
    """
    i = change_start(dates, day, days)
    return None if i is None else step_move(values[i], price, unit)
