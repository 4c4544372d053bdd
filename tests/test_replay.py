"""The replay source against the bundled CSVs, read independently."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from tests.conftest import close_and_previous, csv_rows
from tui.assets import BY_ID, PANE_ASSETS, RISK_ASSETS
from tui.history import History
from tui.sources.replay import ReplaySource

DAY = date(2025, 11, 20)


@pytest.fixture(scope="module")
def source(history: History) -> ReplaySource:
    return ReplaySource(history)


@pytest.mark.parametrize(
    "asset_id", [a for ids in PANE_ASSETS.values() for a in ids if BY_ID[a].file]
)
def test_every_quote_is_the_bundled_close_and_change(source: ReplaySource, asset_id: str) -> None:
    asset = BY_ID[asset_id]
    quote = source.quote(asset_id, DAY)
    day, close, prev = close_and_previous(asset.file, DAY, asset.column)
    assert quote.as_of is not None and quote.as_of.isoformat() == day
    assert quote.price == close
    assert quote.change == pytest.approx(close - prev, abs=1e-9)
    if asset.unit.value == "price":
        assert quote.change_pct == pytest.approx((close / prev - 1) * 100)
    else:
        assert quote.change_pct is None


def test_press_facts_of_2025_11_20(source: ReplaySource) -> None:
    snap = source.snapshot(DAY)
    ndx = snap.quote("nasdaq100")
    spx = snap.quote("sp500")
    assert ndx is not None and ndx.change_pct is not None
    assert spx is not None and spx.change_pct is not None
    assert round(ndx.change_pct, 2) == -2.38
    assert round(spx.change_pct, 2) == -1.56


def test_a_shut_market_shows_its_last_close_dated(source: ReplaySource) -> None:
    saturday = date(2025, 11, 22)
    quote = source.quote("sp500", saturday)
    assert quote.as_of == date(2025, 11, 21)
    assert not quote.stale
    btc = source.quote("btc", saturday)
    assert btc.as_of == saturday  # crypto trades at weekends: UTC candles


def test_data_that_ended_is_marked_stale_not_filled(source: ReplaySource) -> None:
    last_sol = csv_rows("sol")[-1]["date"]
    later = date(2026, 7, 1)
    assert last_sol < later.isoformat()
    quote = source.quote("sol", later)
    assert quote.stale and quote.stale_reason == f"bundled data end {last_sol}"
    assert quote.as_of is not None and quote.as_of.isoformat() == last_sol


def test_before_the_data_begins_everything_is_missing(source: ReplaySource) -> None:
    quote = source.quote("sol", date(2019, 6, 3))
    assert quote.price is None and quote.change is None and quote.change_pct is None
    assert quote.stale_reason is not None and "start" in quote.stale_reason


def test_sofr_minus_iorb_in_bp(source: ReplaySource) -> None:
    sofr = {r["date"]: float(r["value"]) for r in csv_rows("sofr")}
    iorb = {r["date"]: float(r["value"]) for r in csv_rows("iorb")}
    quote = source.quote("sofr_iorb", DAY)
    assert quote.price == pytest.approx((sofr[DAY.isoformat()] - iorb[DAY.isoformat()]) * 100)


def test_breadth_counts_risk_assets_that_printed(source: ReplaySource) -> None:
    snap = source.snapshot(DAY)
    expected_down = 0
    traded = 0
    for asset_id in RISK_ASSETS:
        asset = BY_ID[asset_id]
        day, close, prev = close_and_previous(asset.file, DAY)
        if day == DAY.isoformat():
            traded += 1
            expected_down += close < prev
    assert snap.breadth.risk_assets == traded
    assert snap.breadth.down == expected_down
    assert snap.breadth.sentence().endswith(f", {expected_down} down")


def test_fear_and_greed_values_and_changes(source: ReplaySource) -> None:
    snap = source.snapshot(DAY)
    crypto = next(f for f in snap.fear_greed.indices if f.id == "crypto")
    rows = {r["date"]: r for r in csv_rows("crypto_fear_greed")}
    assert crypto.value == float(rows["2025-11-20"]["value"]) == 11
    assert crypto.previous == float(rows["2025-11-19"]["value"])
    assert crypto.week_ago == float(rows["2025-11-13"]["value"])
    assert crypto.label == "Extreme Fear"
    stock = next(f for f in snap.fear_greed.indices if f.id == "stock")
    assert stock.value == pytest.approx(5.1714, abs=1e-4)
    assert any(name == "put/call (5d)" for name, _ in stock.components)


def test_fedwatch_names_its_source_and_never_fills(source: ReplaySource) -> None:
    fed = source.snapshot(DAY).fedwatch
    december = fed.meetings[0]
    assert december.date == date(2025, 12, 10)
    assert december.probabilities == {-25: pytest.approx(0.391)}  # Stocktwits, exact-day
    assert december.derived == {0: pytest.approx(0.609)}  # the complement, marked derived
    assert december.call == 0  # hold, never "cut 25" at 39.1%
    assert fed.source is not None and fed.source.startswith("CME FedWatch (published)")
    polymarket = next(c for c in december.markets if c.source == "polymarket")
    assert polymarket.probabilities == {0: pytest.approx(0.655)}  # beside it, with the gap
    assert polymarket.gap_pp[0] == pytest.approx(65.5 - 60.9, abs=0.01)
    assert fed.meetings[1].probabilities == {}


def test_fedwatch_change_from_prediction_market_history(source: ReplaySource) -> None:
    fed = source.snapshot(date(2025, 11, 25)).fedwatch
    december = fed.meetings[0]
    assert fed.source is not None and fed.source.startswith("Kalshi")
    rows = [r for r in csv_rows("fed_december_2025_markets")]
    last = {}
    for r in rows:
        last[r["date"]] = r  # the file is in time order: the day's last snapshot wins
    hold = float(last["2025-11-25"]["kalshi_mid"])
    assert december.probabilities[0] == pytest.approx(hold)
    assert december.change_1d_pp[0] == pytest.approx(
        (hold - float(last["2025-11-24"]["kalshi_mid"])) * 100
    )
    assert december.change_1w_pp[0] == pytest.approx(
        (hold - float(last["2025-11-18"]["kalshi_mid"])) * 100
    )
    polymarket = next(c for c in december.markets if c.source == "polymarket")
    assert polymarket.probabilities[0] == pytest.approx(float(last["2025-11-25"]["poly_mid"]))


def test_no_odds_recorded_says_so(source: ReplaySource) -> None:
    fed = source.snapshot(date(2024, 3, 1)).fedwatch
    assert fed.source is None
    assert fed.error is not None and "no Fed-decision odds recorded" in fed.error
    assert all(not m.probabilities for m in fed.meetings)


def test_funding_is_the_last_print_of_the_day(source: ReplaySource) -> None:
    rows = [r for r in csv_rows("btc_funding") if r["time"][:10] <= DAY.isoformat()]
    quote = source.quote("btc_funding", DAY)
    assert quote.price == pytest.approx(float(rows[-1]["funding_rate"]) * 100)
    assert source.quote("btc_funding", date(2024, 1, 3)).price is None


def test_open_interest_row_is_the_bundled_daily_point() -> None:
    from tests.conftest import BUNDLE
    from tui.sources.replay import ReplaySource

    with (BUNDLE / "btc_open_interest.csv").open(newline="") as fh:
        rows = {r["date"][:10]: float(r["open_interest"]) for r in csv.DictReader(fh)}
    quote = ReplaySource().quote("btc_oi", date(2025, 11, 20))
    value, prev = rows["2025-11-20"], rows["2025-11-19"]
    assert quote.price == pytest.approx(value / 1e9)
    assert quote.change == pytest.approx((value - prev) / 1e9)
    assert quote.change_pct == pytest.approx((value / prev - 1) * 100)
    before = ReplaySource().quote("btc_oi", date(2020, 1, 2))
    assert before.price is None and before.stale and "bundled" in (before.stale_reason or "")
