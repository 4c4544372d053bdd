"""Symbols a user added are explained like the catalogue's own: sized in σ from the daily
history fetched into the cache, attributed against their own market, and plain about a history
that is missing or too short (EXPLAIN_METHOD §2–3).

No year of daily closes of any single stock is recorded, so the cache here holds real bundled
closes of another asset under the added symbol's id, named where it is done: NVDA's year stands
in for AAPL, the Shanghai Composite's for 0700.HK, Ether's for Dogecoin. What is checked is the
method on real returns (σ, the regression, which index is the market), not the symbols' own
prices.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui.assets import unregister_users
from tui.explain.attribution import MACRO, MARKET, factors_for
from tui.explain.engine import explain
from tui.explain.output import to_json, to_text
from tui.history import History, MergedHistory
from tui.store import Store
from tui.watchlist import install


def _stock(name: str, region: str, tz: str, kind: str = "single stock") -> dict[str, Any]:
    """A `[symbols]` entry as `watch add` writes it from the quote's exchange metadata."""
    return {"source": "yahoo", "name": name, "class": kind, "region": region, "tz": tz}


SYMBOLS: dict[str, dict[str, Any]] = {
    "AAPL": _stock("Apple Inc.", "us", "America/New_York"),
    "0700.HK": _stock("Tencent Holdings Ltd", "asia", "Asia/Hong_Kong"),
    "7203.T": _stock("Toyota Motor Corp", "asia", "Asia/Tokyo"),
    "005930.KS": _stock("Samsung Electronics", "asia", "Asia/Seoul"),
    "600519.SS": _stock("Kweichow Moutai", "asia", "Asia/Shanghai"),
    "D05.SI": _stock("DBS Group", "asia", "Asia/Singapore"),
    "SAP.DE": _stock("SAP SE", "europe", "Europe/Berlin"),
    "HSBA.L": _stock("HSBC Holdings", "europe", "Europe/London"),
    "MC.PA": _stock("LVMH", "europe", "Europe/Paris"),
    "EURUSD=X": _stock("EUR/USD", "global", "Europe/London", "fx"),
    "NG=F": _stock("Natural Gas", "us", "America/New_York", "future"),
    "coingecko:dogecoin": {
        "source": "coingecko",
        "name": "Dogecoin",
        "ticker": "DOGE",
        "class": "crypto",
        "region": "global",
        "tz": "UTC",
    },
    "binance:PEPEUSDT": {
        "source": "binance",
        "name": "PEPE",
        "ticker": "PEPE",
        "class": "crypto",
        "region": "global",
        "tz": "UTC",
        "currency": "USDT",
    },
}


@pytest.fixture(autouse=True)
def _symbols() -> Iterator[None]:
    unregister_users()
    install(SYMBOLS)
    yield
    unregister_users()


@pytest.fixture(scope="module")
def bundled() -> History:
    return History()


def _kinds(asset_id: str) -> dict[str, tuple[str, bool]]:
    return {f.id: (f.kind, f.lagged) for f in factors_for(asset_id)}


# -- which factors ---------------------------------------------------------------------------


def test_a_hong_kong_stock_has_the_hang_seng_as_its_market_and_us_factors_lagged() -> None:
    assert _kinds("0700.hk") == {
        "sp500": (MACRO, True),
        "dxy": (MACRO, True),
        "hang_seng": (MARKET, False),
    }


@pytest.mark.parametrize(
    ("asset_id", "market"),
    [("7203.t", "nikkei225"), ("005930.ks", "kospi"), ("600519.ss", "shanghai")],
)
def test_an_asian_stock_has_its_own_exchange_index_as_its_market(
    asset_id: str, market: str
) -> None:
    kinds = _kinds(asset_id)
    assert kinds[market] == (MARKET, False)
    assert kinds["sp500"] == (MACRO, True) and kinds["dxy"] == (MACRO, True)


def test_an_asian_stock_without_its_index_in_the_catalogue_has_the_asia_leader() -> None:
    assert _kinds("d05.si")["nikkei225"] == (MARKET, False)


@pytest.mark.parametrize(
    ("asset_id", "market"),
    [("sap.de", "dax"), ("hsba.l", "eurostoxx50"), ("mc.pa", "eurostoxx50")],
)
def test_a_european_stock_has_its_regions_index_and_same_day_us_factors(
    asset_id: str, market: str
) -> None:
    assert _kinds(asset_id) == {
        "sp500": (MACRO, False),
        "dxy": (MACRO, False),
        market: (MARKET, False),
    }


def test_a_us_stock_has_the_nasdaq_100_as_its_market() -> None:
    assert _kinds("aapl") == {
        "dxy": (MACRO, False),
        "ust10y": (MACRO, False),
        "nasdaq100": (MARKET, False),
    }


@pytest.mark.parametrize("asset_id", ["cg-dogecoin", "bn-pepeusdt"])
def test_an_added_coin_has_btc_as_its_market(asset_id: str) -> None:
    kinds = _kinds(asset_id)
    assert kinds["btc"] == (MARKET, False)
    assert [a for a, (k, _) in kinds.items() if k == MARKET] == ["btc"]


def test_a_currency_pair_and_a_futures_contract_get_macro_factors_only() -> None:
    fx, future = _kinds("eurusd=x"), _kinds("ng=f")
    assert "dxy" not in fx  # the dollar index is largely the pair itself
    assert all(k == MACRO for k, _ in (*fx.values(), *future.values()))
    assert {"dxy", "sp500"} <= set(future) and len(fx) <= 4 and len(future) <= 4


# -- sized and attributed from the cache ------------------------------------------------------


def _cache(tmp_path: Path, asset_id: str, closes: list[tuple[date, float]]) -> Store:
    store = Store(tmp_path / "cache.sqlite3")
    store.add_history(asset_id, closes)
    return store


def _year(bundled: History, asset_id: str, day: date, count: int = 260) -> list[tuple[date, float]]:
    series = bundled.series(asset_id)
    i = series.index_at(day)
    start = max(0, i - count + 1)
    return list(zip(series.dates[start : i + 1], series.values[start : i + 1], strict=True))


def test_a_us_stock_with_a_backfilled_year_is_sized_and_split_against_the_nasdaq_100(
    bundled: History, tmp_path: Path
) -> None:
    day = date(2025, 1, 27)
    store = _cache(tmp_path, "aapl", _year(bundled, "nvda", day))  # NVDA's year, as AAPL
    exp = explain(MergedHistory(bundled, store.merged), "aapl", day)
    assert exp.move.sigma is not None and exp.move.sigma < -3
    market = exp.attribution.market() if exp.attribution else None
    assert market is not None and market.factor.id == "nasdaq100" and market.shown
    assert market.contribution is not None and market.contribution < 0
    assert "US tech stocks fell (Nasdaq 100 " in exp.answer[0]
    assert f"({exp.move.sigma:+.1f}σ)" in exp.answer[0]
    doc = to_json(exp)
    assert doc["move"]["sigma"] is not None
    assert [d["id"] for d in doc["drivers"]] == ["dxy", "ust10y", "nasdaq100"]
    total = sum(d["contribution_pct"] for d in doc["drivers"]) + doc["residual_pct"]
    assert total == pytest.approx(doc["move"]["change_pct"], abs=1e-3)
    store.close()


def test_a_hong_kong_stock_is_split_against_the_hang_seng_after_new_yorks_session(
    bundled: History, tmp_path: Path
) -> None:
    day = date(2024, 9, 30)
    store = _cache(tmp_path, "0700.hk", _year(bundled, "shanghai", day))  # as 0700.HK
    exp = explain(MergedHistory(bundled, store.merged), "0700.hk", day)
    assert exp.move.sigma is not None and exp.move.sigma > 3
    att = exp.attribution
    assert att is not None and att.r2 is not None
    market = att.market()
    assert market is not None and market.factor.id == "hang_seng" and market.shown
    lagged = {d.factor.id for d in att.drivers if d.factor.lagged}
    assert lagged == {"sp500", "dxy"}
    assert "Hong Kong stocks rose (Hang Seng +2.43%)" in exp.answer[0]
    assert "it followed New York's session of 2024-09-27" in exp.answer[0]
    store.close()


def test_an_added_coin_is_split_against_btc_with_its_class(
    bundled: History, tmp_path: Path
) -> None:
    day = date(2025, 3, 3)
    store = _cache(tmp_path, "cg-dogecoin", _year(bundled, "eth", day, count=370))  # as DOGE
    exp = explain(MergedHistory(bundled, store.merged), "cg-dogecoin", day)
    assert exp.move.sigma is not None and exp.move.rank_1y is not None
    market = exp.attribution.market() if exp.attribution else None
    assert market is not None and market.factor.id == "btc" and market.shown
    assert {p for p, _, _ in exp.peer_moves} == {"btc", "eth", "sol"}
    assert "crypto fell broadly (Bitcoin -8.54%)" in exp.answer[0]
    store.close()


# -- too little history, or none -------------------------------------------------------------


def test_too_short_a_history_is_said_with_its_count(bundled: History, tmp_path: Path) -> None:
    day = date(2025, 1, 27)
    store = _cache(tmp_path, "aapl", _year(bundled, "nvda", day, count=41))
    exp = explain(MergedHistory(bundled, store.merged), "aapl", day)
    said = "too little history to size this move (39 daily returns before the day; 60 are needed)"
    assert exp.move.size is not None and exp.move.sigma is None
    assert said in exp.answer[0] and said in exp.findings[0]
    assert "σ" not in exp.answer[0]  # no size is made up
    assert exp.move.rank_1y is None and exp.move.from_high_pct is None  # nor a year's rank
    assert exp.attribution is not None and exp.attribution.r2 is None
    assert "60 are needed for a regression" in (exp.attribution.note or "")
    assert to_json(exp)["move"]["sigma"] is None
    store.close()


def test_half_a_year_is_sized_but_neither_ranked_nor_given_a_52_week_high(
    bundled: History, tmp_path: Path
) -> None:
    day = date(2025, 1, 27)
    closes = _year(bundled, "nvda", day, count=120)
    store = _cache(tmp_path, "aapl", closes)
    move = explain(MergedHistory(bundled, store.merged), "aapl", day).move
    assert move.sigma is not None
    assert move.rank_1y is None and move.from_high_pct is None and move.high_date is None
    assert move.note == (
        f"less than a year of history (from {closes[0][0]}): no 1-year rank and no 52-week high"
    )
    store.close()


def test_a_single_cached_close_says_how_much_history_there_is(
    bundled: History, tmp_path: Path
) -> None:
    store = _cache(tmp_path, "aapl", [(date(2025, 2, 14), 244.6)])  # the live quote's close
    exp = explain(MergedHistory(bundled, store.merged), "aapl", date(2025, 2, 14))
    assert exp.move.size is None
    assert exp.move.note == (
        "the history starts too late for this horizon (1 daily close from 2025-02-14)"
    )
    assert exp.move.note in exp.answer[0]
    store.close()


def test_in_replay_an_added_symbol_says_the_bundle_does_not_hold_it(bundled: History) -> None:
    exp = explain(bundled, "aapl", date(2025, 11, 20))
    assert exp.move.size is None and exp.attribution is None
    assert exp.answer == (
        "Apple Inc.: no daily closes of AAPL on or before 2025-11-20: the bundled data do not "
        "hold this added symbol.",
    )
    assert to_json(exp)["move"]["change_pct"] is None
    assert "no daily closes of AAPL" in to_text(exp)


def test_headlines_name_an_added_company_as_titles_write_it(
    bundled: History, tmp_path: Path
) -> None:
    day = date(2025, 10, 20)  # recorded: "Dow closes 500 points higher as Apple revives …"
    store = _cache(tmp_path, "aapl", _year(bundled, "nvda", day))
    exp = explain(MergedHistory(bundled, store.merged), "aapl", day)
    assert exp.headlines and "Apple revives stock rally" in exp.headlines[0].title
    store.close()
