"""Size of a move against the asset's own volatility (EXPLAIN_METHOD §1–2).

Pure functions over a Series: data in, numbers out. Everything that sizes the move uses data
strictly before the explained day, so a shock does not inflate its own yardstick.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tui.assets import Asset, Unit
from tui.history import Series
from tui.measures import EWMA_LAMBDA as EWMA_LAMBDA
from tui.measures import EWMA_SEED as EWMA_SEED
from tui.measures import (
    HIGH_MIN_HISTORY_DAYS,
    MONTH_DAYS,
    SPARK_MAX_GAP_DAYS,
    change_start,
    sigma_before,
)
from tui.measures import ewma_sigma as ewma_sigma

YEAR_TRADING_DAYS = 252


class Horizon(StrEnum):
    """How far back a move is measured."""

    D1 = "1d"
    D5 = "5d"
    M1 = "1m"

    def steps(self) -> int:
        """Trading days in the 1d and 5d horizons; 1m is calendar days (`start_index`)."""
        return {"1d": 1, "5d": 5, "1m": MONTH_DAYS}[self.value]


@dataclass(frozen=True, slots=True)
class Move:
    """One asset's move over a horizon ending on a day.

    Attributes:
        asset_id: The asset.
        day: The explained day (the asset's own last close on or before the asked day).
        horizon: The horizon.
        start_day: The close the move is measured from.
        change_pct: Relative move in percent (None for rates and spreads, and for a price whose
            base is zero or below, where a percent change is undefined).
        change_bp: Move in basis points for rates and spreads (None otherwise).
        sigma: The move in standard deviations of the asset's own moves over the horizon.
        sigma_1d: Daily EWMA volatility up to the day before, in the move's unit.
        rank_1y: Rank of |move| among the past year's moves over the same horizon (1 = largest).
        from_high_pct: Distance from the 52-week high, percent.
        high_date: When that high was set.
        note: Why something is missing.
        change: The move in the level's own unit (index points, $/bbl, percentage points of
            yield), always given when both closes exist.
        rank_by_level: True when `rank_1y` ranks level changes because percent is undefined.
        start_level: The close the move is measured from.
        level: The close of the day.
    """

    asset_id: str
    day: date
    horizon: Horizon
    start_day: date | None = None
    change_pct: float | None = None
    change_bp: float | None = None
    sigma: float | None = None
    sigma_1d: float | None = None
    rank_1y: int | None = None
    from_high_pct: float | None = None
    high_date: date | None = None
    note: str | None = None
    change: float | None = None
    rank_by_level: bool = False
    start_level: float | None = None
    level: float | None = None

    @property
    def size(self) -> float | None:
        """The move in its own unit (percent or bp)."""
        return self.change_bp if self.change_pct is None else self.change_pct


def step_return(series: Series, asset: Asset, j: int, i: int) -> float | None:
    """The move from index j to index i: percent for prices, bp for rates and spreads.

    A percent change from a base at or below zero (WTI on 2020-04-21) is undefined: None.
    """
    a, b = series.values[j], series.values[i]
    if asset.unit is Unit.PRICE:
        return (b / a - 1) * 100 if a > 0 else None
    return (b - a) * (100 if asset.unit is Unit.RATE else 1)


def sigma_return(series: Series, asset: Asset, j: int, i: int) -> float | None:
    """A daily move fit for the volatility yardstick, or None.

    Besides undefined ones, a percent move that ends at or below zero is kept out: −306% for
    WTI on 2020-04-20 is arithmetic, not a return a volatility model can size later days by.
    """
    if asset.unit is Unit.PRICE and series.values[i] <= 0:
        return None
    return step_return(series, asset, j, i)


def start_index(series: Series, asset: Asset, i: int, horizon: Horizon) -> int:
    """Index the horizon's move to index `i` starts from (−1 when there is none).

    1d and 5d go back one and five of the asset's own closes. 1m starts from the close the
    pane's 1m column starts from (`tui.measures.change_start` over MONTH_DAYS: the last close
    on or before the day 30 calendar days earlier), for every asset, so the drill-down's 1m
    is the pane's; its σ scales by the closes actually spanned (`measure`).

    Args:
        series: The asset's daily history.
        asset: The asset (its unit and calendar are in the series' dates).
        i: Index of the day's close.
        horizon: 1d, 5d or 1m.
    """
    if horizon is Horizon.M1:
        j = change_start(series.dates, series.dates[i], MONTH_DAYS)
        return -1 if j is None else j
    return i - horizon.steps()


def daily_returns(series: Series, asset: Asset, end: int) -> list[float]:
    """Daily moves up to and including index `end`."""
    out = []
    for k in range(1, end + 1):
        r = sigma_return(series, asset, k - 1, k)
        if r is not None:
            out.append(r)
    return out


def measure(series: Series, asset: Asset, day: date, horizon: Horizon = Horizon.D1) -> Move:
    """Size the move of `asset` over `horizon` ending on `day`.

    Args:
        series: The asset's daily history.
        asset: The asset.
        day: The day to explain; the asset's last close on or before it is used.
        horizon: 1d, 5d or 1m.

    Returns:
        The move; fields it cannot compute are None with the reason in `note`.
    """
    i = series.index_at(day)
    if i < 0:
        if not asset.file and not series.dates:
            # A symbol the user added: no bundled file, and nothing fetched into the history.
            absent = (
                f"no daily closes of {asset.symbol} on or before {day}: the bundled data do "
                "not hold this added symbol"
            )
            return Move(asset.id, day, horizon, note=absent)
        return Move(asset.id, day, horizon, note=f"no data on or before {day}")
    at = series.dates[i]
    j = start_index(series, asset, i, horizon)
    if j < 0:
        held = f"{i + 1} daily close{'s' if i else ''} from {series.dates[0]}"
        late = f"the history starts too late for this horizon ({held})"
        if horizon is Horizon.M1 and series.dates[0] <= at - timedelta(days=MONTH_DAYS):
            gap = SPARK_MAX_GAP_DAYS
            late = f"no close within {gap} days before {at - timedelta(days=MONTH_DAYS)}"
        return Move(asset.id, at, horizon, note=late)
    size = step_return(series, asset, j, i)
    pct = size if asset.unit is Unit.PRICE else None
    bp = None if asset.unit is Unit.PRICE else size
    level_change = series.values[i] - series.values[j]
    # Volatility from returns strictly before the day: the shock must not size itself.
    sigma_1 = sigma_before(series.id, series.dates, series.values, asset.unit.value, i)
    steps = i - j
    sigma = None
    note = None
    by_level = size is None
    if by_level:
        note = (
            f"a percent change from a close of {series.values[j]:g} (zero or below) is "
            "undefined; the move is given in price units"
        )
    elif sigma_1 is None:
        before = daily_returns(series, asset, i - 1)
        note = (
            f"too little history to size this move ({len(before)} daily returns before "
            f"the day; {EWMA_SEED} are needed)"
        )
    elif sigma_1 > 0 and size is not None:
        sigma = size / (sigma_1 * math.sqrt(steps))
    rank = high_i = None
    if series.dates[0] <= at - timedelta(days=HIGH_MIN_HISTORY_DAYS):
        rank = _rank(series, asset, i, horizon, level_change if by_level else size, by_level)
        high_i = _high_index(series, asset, i)
    elif note is None:  # a rank or a high over less than a year would be a wrong one
        note = (
            f"less than a year of history (from {series.dates[0]}): no 1-year rank and no "
            "52-week high"
        )
    from_high = high_date = None
    if asset.unit is Unit.PRICE and high_i is not None and series.values[high_i] > 0:
        from_high = (series.values[i] / series.values[high_i] - 1) * 100
        high_date = series.dates[high_i]
    return Move(
        asset.id,
        at,
        horizon,
        series.dates[j],
        pct,
        bp,
        sigma,
        sigma_1,
        rank,
        from_high,
        high_date,
        note,
        level_change,
        by_level,
        series.values[j],
        series.values[i],
    )


def _year_start(series: Series, asset: Asset, i: int) -> int:
    if asset.weekends:
        return max(0, series.index_at(series.dates[i] - timedelta(days=365)) + 1)
    return max(0, i - YEAR_TRADING_DAYS + 1)


def _rank(
    series: Series,
    asset: Asset,
    i: int,
    horizon: Horizon,
    size: float | None,
    by_level: bool = False,
) -> int | None:
    """1 + how many of the past year's same-horizon moves were larger in absolute size
    (level changes when `by_level`, since a percent move is undefined)."""
    if size is None:
        return None
    larger = 0
    values = series.values
    for k in range(_year_start(series, asset, i), i):
        j = start_index(series, asset, k, horizon)
        if j < 0:
            continue
        other = values[k] - values[j] if by_level else step_return(series, asset, j, k)
        if other is not None and abs(other) > abs(size):
            larger += 1
    return larger + 1


def _high_index(series: Series, asset: Asset, i: int) -> int | None:
    start = _year_start(series, asset, i)
    window = series.values[start : i + 1]
    if not window:
        return None
    best = max(range(len(window)), key=lambda k: (window[k], k))
    return start + best
