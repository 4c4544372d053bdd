"""The drill-down's 1m row is the pane's 1m column: one start close (`measures.change_start`,
the last close on or before the day 30 calendar days earlier) for every asset, with the 1-year
rank and the σ scaling measured from that same start."""

from __future__ import annotations

import math
from datetime import date

import pytest

from tui import measures
from tui.assets import BY_ID
from tui.explain.move import Horizon, measure
from tui.history import History
from tui.screens.drill_data import compute
from tui.sources.replay import ReplaySource

DAYS = (date(2025, 11, 20), date(2026, 1, 30))
"""The Nasdaq's post-earnings reversal; the day silver fell 26% (its 1m still up)."""
ASSETS = ("sp500", "nikkei225", "btc", "eth", "gold", "silver", "ust10y", "hy_spread")
"""Indices of two calendars, coins, metals, a yield (bp) and a spread (bp)."""


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("asset_id", ASSETS)
def test_drilldown_month_is_the_panes(history: History, asset_id: str, day: date) -> None:
    source = ReplaySource(history)
    quote = source.quote(asset_id, day)
    data = compute(source, asset_id, day, Horizon.D1)
    month = next(m for m in data.moves if m.horizon is Horizon.M1)
    assert quote.change_1m is not None and month.size is not None, month.note
    assert month.size == pytest.approx(quote.change_1m, rel=1e-12, abs=1e-12)
    series = history.series(asset_id)
    start = measures.change_start(series.dates, month.day, measures.MONTH_DAYS)
    assert start is not None and month.start_day == series.dates[start]


def test_the_reported_silver_and_sp500_months(history: History) -> None:
    """The trial's cases: silver on 2026-01-30 from 2025-12-31, the S&P 500 on 2025-11-20 from
    2025-10-21 (not 21 sessions back: 2025-12-30 and 2025-10-22)."""
    silver = measure(history.series("silver"), BY_ID["silver"], DAYS[1], Horizon.M1)
    sp500 = measure(history.series("sp500"), BY_ID["sp500"], DAYS[0], Horizon.M1)
    assert silver.start_day == date(2025, 12, 31) and sp500.start_day == date(2025, 10, 21)
    assert silver.size is not None and silver.size > 10
    assert sp500.size is not None and sp500.size < -2.5


@pytest.mark.parametrize(("asset_id", "day"), [("sp500", DAYS[0]), ("silver", DAYS[1])])
def test_rank_and_sigma_use_the_panes_start(history: History, asset_id: str, day: date) -> None:
    """σ_1m = σ_1·√(sessions spanned); the rank counts the past 252 sessions' pane 1m moves."""
    series, asset = history.series(asset_id), BY_ID[asset_id]
    move = measure(series, asset, day, Horizon.M1)
    i = series.index_at(day)
    assert move.start_day is not None and move.size is not None and move.sigma_1d is not None
    steps = i - series.index_at(move.start_day)
    assert move.sigma == pytest.approx(move.size / (move.sigma_1d * math.sqrt(steps)))
    larger = 0
    for k in range(i - 251, i):
        before = series.dates[:k]
        other = measures.change_since(
            before, series.values[:k], series.dates[k], series.values[k], 30, "price"
        )
        if other is not None and abs(other) > abs(move.size):
            larger += 1
    assert move.rank_1y == larger + 1
