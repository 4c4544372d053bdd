"""The σ column of a quote row is the drill-down's number: `tui.explain.move.measure` on the same
history and day, for prices and for rates and spreads, on real days of the bundled data."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tui import measures
from tui.assets import BY_ID
from tui.explain.move import daily_returns, measure
from tui.history import History
from tui.snapshot_output import quote_json
from tui.sources.replay import ReplaySource

DAYS = (date(2025, 11, 20), date(2020, 3, 16), date(2022, 6, 13))
"""The Nasdaq's post-earnings reversal, the Covid crash's worst day, the June 2022 CPI sell-off."""
ASSETS = ("sp500", "nasdaq100", "nikkei225", "btc", "eth", "gold", "wti", "ust10y", "hy_spread")


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("asset_id", ASSETS)
def test_sigma_is_the_drilldowns(history: History, asset_id: str, day: date) -> None:
    quote = ReplaySource(history).quote(asset_id, day)
    move = measure(history.series(asset_id), BY_ID[asset_id], day)
    assert move.sigma is not None, move.note
    assert quote.sigma == pytest.approx(move.sigma, rel=1e-9)


def test_the_nasdaq_fell_more_than_two_sigma_on_2025_11_20(history: History) -> None:
    quote = ReplaySource(history).quote("nasdaq100", DAYS[0])
    assert quote.sigma is not None and quote.sigma < -2


def test_sigma_in_json_is_rounded_and_null_when_unknown(history: History) -> None:
    source = ReplaySource(history)
    doc = quote_json(source.quote("btc", DAYS[0]))
    assert doc["sigma"] == round(doc["sigma"], 2) and doc["sigma"] < 0
    funding = source.snapshot(DAYS[0]).quote("btc_funding")
    assert funding is not None and quote_json(funding)["sigma"] is None
    json.dumps(doc, allow_nan=False)


def test_ewma_is_seeded_on_sixty_returns() -> None:
    assert measures.ewma_sigma([1.0] * 59) is None
    assert measures.ewma_sigma([1.0] * 60) == pytest.approx(1.0)
    assert measures.sigmas(-3.0, 1.5) == pytest.approx(-2.0)
    assert measures.sigmas(1.0, 0.0) is None and measures.sigmas(None, 1.0) is None


def test_week_and_month_changes_are_from_the_closes_before(history: History) -> None:
    series = history.series("sp500")
    day = DAYS[0]
    quote = ReplaySource(history).quote("sp500", day)
    week_close = series.values[series.index_at(date(2025, 11, 13))]
    month_close = series.values[series.index_at(date(2025, 10, 21))]
    assert quote.price is not None
    assert quote.change_1w == pytest.approx((quote.price / week_close - 1) * 100)
    assert quote.change_1m == pytest.approx((quote.price / month_close - 1) * 100)


def test_wti_below_zero_is_sized_like_the_drilldown(history: History) -> None:
    """Days after 2020-04-20 (WTI settled at −37.63): the yardstick leaves that move out."""
    for day in (date(2020, 4, 20), date(2020, 4, 21), date(2020, 4, 28), date(2020, 6, 1)):
        quote = ReplaySource(history).quote("wti", day)
        move = measure(history.series("wti"), BY_ID["wti"], day)
        if move.sigma is None:
            assert quote.sigma is None, day
        else:
            assert quote.sigma == pytest.approx(move.sigma, rel=1e-9), day


@pytest.mark.parametrize(
    ("asset_id", "unit"), [("sp500", "price"), ("ust10y", "rate"), ("wti", "price")]
)
def test_the_one_pass_path_is_the_ewma_of_each_prefix(
    history: History, asset_id: str, unit: str
) -> None:
    values = history.series(asset_id).values
    path = measures.sigma_path(values, unit)
    for n in (2, 60, 61, 62, 500, len(values)):
        assert path[n - 1] == measures.daily_sigma(values[:n], unit), n


@pytest.mark.parametrize("asset_id", ("sp500", "btc", "ust10y", "hy_spread", "wti"))
def test_the_memoised_yardstick_is_the_ewma_of_the_closes_before(
    history: History, asset_id: str
) -> None:
    """`sigma_before` (what panes, drill-down, recap and alerts read) equals the EWMA of the
    daily returns strictly before each day, on real days and on the day WTI went negative."""
    series, asset = history.series(asset_id), BY_ID[asset_id]
    for day in (*DAYS, date(2020, 4, 21)):
        i = series.index_at(day)
        want = measures.ewma_sigma(daily_returns(series, asset, i - 1))
        got = measures.sigma_before(asset_id, series.dates, series.values, asset.unit.value, i)
        assert got == want, day
        assert measure(series, asset, day).sigma_1d == want, day


def test_the_yardstick_memo_follows_a_history_that_grew() -> None:
    """A live history that gained a close is a new key: its σ is computed afresh."""
    days = [date(2025, 1, 1) + timedelta(days=k) for k in range(80)]
    closes = [100.0 + (k % 7) for k in range(80)]
    before = measures.sigma_before("x", days, closes, "price", 80)
    grown_days = [*days, date(2025, 3, 22)]
    grown = [*closes, 150.0]
    after = measures.sigma_before("x", grown_days, grown, "price", 81)
    assert before == measures.daily_sigma(closes, "price")
    assert after == measures.daily_sigma(grown, "price") and after != before
