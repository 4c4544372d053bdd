"""Every recorded response in tests/fixtures is parsed by a test.

Each file maps to a check that reads it with riskpulse's parser and compares with the values read
here independently. Responses of endpoints riskpulse does not call (CoinGecko's coin history,
Yahoo's quoteSummary, Binance's ratios…) are fed to the parser of the same API, which must refuse
them with a one-line SourceError rather than crash or misread them. A new fixture without a
check fails `test_every_fixture_has_a_check`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tui.bundled import fomc_decision_days
from tui.sources import (
    alternative_me,
    binance,
    cme,
    cnn,
    coingecko,
    fred,
    news,
    prediction_markets,
    stooq,
    yahoo,
)
from tui.sources.base import SourceError

FIXTURES = Path(__file__).parent / "fixtures"
DOCS = {"README.md", "FEDWATCH_METHOD.md"}


def text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def doc(name: str) -> Any:
    return json.loads(text(name))


def csv_rows(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text(name))))


def refused(parse: Callable[[Any], object], payload: Any) -> None:
    with pytest.raises(SourceError) as exc:
        parse(payload)
    assert "\n" not in exc.value.reason


# -- Yahoo -------------------------------------------------------------------------------------


def yahoo_quote(name: str) -> None:
    payload = doc(name)
    rows = payload["quoteResponse"]["result"]
    parsed = yahoo.parse_quotes(payload)
    assert set(parsed) == {r["symbol"] for r in rows}
    for row in rows:
        q = parsed[row["symbol"]]
        assert q.price == row["regularMarketPrice"]
        assert q.change == row.get("regularMarketChange")
        assert q.previous_close == row.get("regularMarketPreviousClose")
        assert q.time == datetime.fromtimestamp(row["regularMarketTime"], tz=UTC)


def yahoo_chart(payload: Any) -> None:
    chart = payload["chart"]
    if chart.get("error"):
        refused(yahoo.parse_chart, payload)
        return
    result = chart["result"][0]
    closes = (result.get("indicators", {}).get("quote") or [{}])[0].get("close") or []
    expected = [c for c in closes if c is not None]
    bars = yahoo.parse_chart(payload)
    assert [v for _, v in bars] == expected
    assert all(isinstance(d, date) for d, _ in bars)


def yahoo_recording(name: str) -> None:
    recording = doc(name)
    url = recording["request"]["url"]
    response = recording["response"]
    body = response.get("bodyJson")
    if body is None and isinstance(response.get("body"), str):
        body = json.loads(response["body"])
    if "/v7/finance/quote" in url:
        rows = body["quoteResponse"]["result"]
        parsed = yahoo.parse_quotes(body)
        assert {s: q.price for s, q in parsed.items()} == {
            r["symbol"]: r["regularMarketPrice"] for r in rows
        }
    elif "/v8/finance/chart" in url:
        yahoo_chart(body)
    elif "/v1/test/getcrumb" in url:
        assert yahoo.valid_crumb(response["bodyText"])
    elif "/quote/" in url:  # the consent redirect before cookies: no body to read
        assert response["status"] == 307 and not response.get("bodyText")
    else:
        assert "/v10/finance/quoteSummary" in url  # not called by riskpulse
        refused(yahoo.parse_quotes, body)


# -- CoinGecko ---------------------------------------------------------------------------------


def coingecko_markets(name: str) -> None:
    rows = {r["id"]: r for r in doc(name)}
    parsed = coingecko.parse_markets(doc(name))
    for asset_id, coin in coingecko.COIN_IDS.items():
        if coin in rows:
            assert parsed[asset_id].price == rows[coin]["current_price"]
            assert parsed[asset_id].change_pct_24h == rows[coin]["price_change_percentage_24h"]
    assert set(parsed) == {a for a, c in coingecko.COIN_IDS.items() if c in rows}


def coingecko_not_called(name: str) -> None:
    refused(coingecko.parse_markets, doc(name))


# -- Binance -----------------------------------------------------------------------------------


def binance_funding(name: str) -> None:
    payload = doc(name)
    rows = payload if isinstance(payload, list) else [payload]  # one file holds a lone element
    parsed = binance.parse_funding(rows)
    assert [f.rate for f in parsed] == [float(r["fundingRate"]) for r in rows]
    assert [f.mark_price for f in parsed] == [
        float(r["markPrice"]) if r.get("markPrice") else None for r in rows
    ]


def binance_ticker(name: str) -> None:
    row = doc(name)
    parsed = binance.parse_tickers(row)[row["symbol"]]
    assert parsed.last == float(row["lastPrice"])
    assert parsed.change_pct == float(row["priceChangePercent"])


def binance_open_interest(name: str) -> None:
    rows = doc(name)
    parsed = binance.parse_open_interest_hist(rows)
    by_time = sorted(rows, key=lambda r: int(r["timestamp"]))
    assert [p.value_usdt for p in parsed] == [float(r["sumOpenInterestValue"]) for r in by_time]
    assert [p.contracts for p in parsed] == [float(r["sumOpenInterest"]) for r in by_time]
    first = datetime.fromtimestamp(int(by_time[0]["timestamp"]) / 1000, tz=UTC)
    assert parsed[0].time == first


def binance_klines(name: str) -> None:
    rows = doc(name)
    parsed = binance.parse_klines(rows)
    assert [v for _, v in parsed] == [float(r[4]) for r in rows]
    assert parsed[0][0] == datetime.fromtimestamp(rows[0][0] / 1000, tz=UTC).date()


def binance_error(name: str) -> None:
    refused(binance.parse_tickers, doc(name))


def binance_not_called(name: str) -> None:
    # Current open interest, the ratios and the premium index: riskpulse reads funding and the
    # open-interest history.
    refused(binance.parse_funding, doc(name))


def binance_liquidation_frames(name: str) -> None:
    # Liquidations are stated as missing in the drill-down: the frames are read only to
    # confirm their recorded shape (single object under `data`, side S, qty z, price ap).
    for line in text(name).splitlines():
        frame = json.loads(line)
        order = (frame.get("data") or frame)["o"]
        assert order["S"] in ("BUY", "SELL") and float(order["z"]) > 0 and float(order["ap"]) > 0


# -- alternative.me, CNN -----------------------------------------------------------------------


def fng(name: str) -> None:
    rows = doc(name)["data"]
    parsed = alternative_me.parse(doc(name))
    assert sorted(p.value for p in parsed) == sorted(float(r["value"]) for r in rows)
    assert parsed[-1].value == float(rows[0]["value"])  # newest first on the wire


def cnn_graphdata(name: str) -> None:
    payload = doc(name)
    parsed = cnn.parse(payload)
    assert parsed.score == payload["fear_and_greed"]["score"]
    assert parsed.previous_1_week == payload["fear_and_greed"]["previous_1_week"]
    momentum = payload["market_momentum_sp500"]["data"][-1]["y"]
    assert parsed.components["market_momentum_sp500"][0] == momentum


# -- FRED --------------------------------------------------------------------------------------


def fredgraph(name: str) -> None:
    rows = csv_rows(name)
    parsed = fred.parse_fredgraph(text(name))
    for i, series_id in enumerate(rows[0][1:], start=1):
        expected = [
            (date.fromisoformat(r[0]), float(r[i]))
            for r in rows[1:]
            if len(r) > i and r[i].strip() not in ("", ".")
        ]
        assert parsed[series_id] == expected


def fred_api(name: str) -> None:
    payload = doc(name)
    if "error_code" in payload:
        refused(fred.parse_api, payload)
        return
    expected = [
        (date.fromisoformat(o["date"]), float(o["value"]))
        for o in payload["observations"]
        if o["value"] != "."
    ]
    assert fred.parse_api(payload) == expected


# -- Kalshi, Polymarket, FOMC calendar ---------------------------------------------------------


def kalshi_events(name: str) -> None:
    payload = doc(name)
    parsed = {m.meeting: m for m in prediction_markets.parse_kalshi_events(payload)}
    for event in payload["events"]:
        meeting = datetime.fromisoformat(event["strike_date"].replace("Z", "+00:00")).date()
        for market in event["markets"]:
            suffix = market["ticker"].rsplit("-", 1)[-1]
            mid = (float(market["yes_bid_dollars"]) + float(market["yes_ask_dollars"])) / 2
            move = prediction_markets.KALSHI_SUFFIX[suffix]
            assert parsed[meeting].probabilities[move] == pytest.approx(mid)


def kalshi_not_called(name: str) -> None:
    # The KXFED ladder and the series description are not decision events.
    refused(prediction_markets.parse_kalshi_events, doc(name))


def polymarket_event(name: str) -> None:
    payload = doc(name)
    (market,) = prediction_markets.parse_polymarket_events(payload)
    assert market.meeting == date(2026, 10, 28)
    for m in payload[0]["markets"]:
        if m["groupItemTitle"] == "No change":
            assert market.probabilities[0] == float(json.loads(m["outcomePrices"])[0])


def cme_settlements(name: str) -> None:
    """Every contract row is read (the "Total" row is not a contract), values as strings."""
    payload = doc(name)
    found = cme.parse_settlements(payload)
    months = [r for r in payload["settlements"] if r["month"] != "Total"]
    assert not found.empty and len(found.rows) == len(months)
    for row, parsed in zip(months, found.rows, strict=True):
        assert parsed.settle is not None and parsed.settle.value == float(row["settle"])
        assert parsed.volume == int(row["volume"].replace(",", ""))


def fomc_calendar(name: str) -> None:
    """The Fed's 2025–2027 schedules are the bundled calendar's decisions from 2025 on."""
    days = [date.fromisoformat(r[2]) for r in csv_rows(name)[1:]]
    assert tuple(days) == tuple(d for d in fomc_decision_days() if d.year >= 2025)


MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}


def fomc_press_release(name: str) -> None:
    """Every decision day (the meeting's second day) in the release is in the calendar, up to
    the calendar's last year (a later one is where the app flags that the calendar runs out)."""
    calendar = set(fomc_decision_days())
    last_year = max(calendar).year
    year = None
    found = 0
    for line in text(name).splitlines():
        if m := re.search(r"(?:For|schedule for) (\d{4}):", line):
            year = int(m.group(1))
        if m := re.search(r"Wednesday, (\w+) (\d+)(?:, (\d{4}))?", line):
            assert year is not None
            day = date(int(m.group(3) or year), MONTHS[m.group(1)], int(m.group(2)))
            if day.year > last_year:
                continue
            assert day in calendar, day
            found += 1
    assert found >= 8


# -- RSS, Stooq --------------------------------------------------------------------------------


def rss(name: str) -> None:
    body = text(name)
    titles = re.findall(r"<item\b.*?<title>(.*?)</title>", body, re.S)
    items = news.parse(body, "feed")
    assert len(items) == len(titles) > 0
    assert all(i.title and "\x1b" not in i.title for i in items)


def stooq_daily(name: str) -> None:
    rows = csv_rows(name)
    parsed = stooq.parse_stooq_daily(text(name))
    assert parsed[-1] == (rows[-1][0], float(rows[-1][4]))
    assert len(parsed) == len(rows) - 1


def yahoo_text(name: str) -> None:
    body = text(name)
    if name == "getcrumb_200.txt":
        assert yahoo.valid_crumb(body)
    else:
        assert not yahoo.valid_crumb(body)  # the 429 page is never taken for a crumb


def yahoo_error(name: str) -> None:
    payload = doc(name)
    envelope = payload.get("finance") or payload.get("chart") or payload
    assert envelope.get("error")
    refused(yahoo.parse_quotes, payload)


def coingecko_error(name: str) -> None:
    refused(coingecko.parse_markets, doc(name))


def cboe_european(name: str) -> None:
    from tui.sources import cboe

    quotes = cboe.parse_european(doc(name), asked=date(2024, 6, 27))
    germany = quotes["^BDE40P-SL"]
    assert germany.price == 674.5841 and germany.previous_close == 674.4762
    assert germany.name == "Cboe Germany 40" and not germany.stale
    assert germany.time is not None and germany.time.utcoffset() is not None
    assert len(quotes) == 60  # every row has a level; `open` 0 is never read as a price
    assert cboe.parse_european(doc(name), asked=date(2024, 6, 28))["^BDE40P-SL"].stale


CHECKS: dict[str, Callable[[str], None]] = {
    "european_indices_all-indices_20240627.json": cboe_european,
    "alfred_GDPC1_vintage_20080430_excerpt.csv": fredgraph,
    "alfred_GDPC1_vintage_20260801_excerpt.csv": fredgraph,
    "alternative_me_fng_limit10_date_format_us.json": fng,
    "alternative_me_fng_limit2.json": fng,
    "binance_futures_forceOrder_frames.jsonl": binance_liquidation_frames,
    "chart_v8_0P0000XTS7_1d_null_row.json": lambda n: yahoo_chart(doc(n)),
    "chart_v8_AAPL_1d_2020-08-31_2020-11-07_split.json": lambda n: yahoo_chart(doc(n)),
    "chart_v8_AAPL_1m_weekend_empty.json": lambda n: yahoo_chart(doc(n)),
    "chart_v8_BTC-USD_1d.json": lambda n: yahoo_chart(doc(n)),
    "chart_v8_EURUSD=X_1d.json": lambda n: yahoo_chart(doc(n)),
    "chart_v8_GC=F_1d.json": lambda n: yahoo_chart(doc(n)),
    "chart_v8_SI_404_delisted.json": lambda n: yahoo_chart(doc(n)),
    "chart_v8_WSU.DE_1d_null_row.json": lambda n: yahoo_chart(doc(n)),
    "chart_v8_^TNX_5m_1d_2026-02-02.json": lambda n: yahoo_chart(doc(n)),
    "chart_v8_^VXAPL_index_1d.json": lambda n: yahoo_chart(doc(n)),
    "cnn_fear_greed_graphdata.json": cnn_graphdata,
    "cnn_fear_greed_graphdata_since_2020-07-15_truncated.json": cnn_graphdata,
    "cme_settlements_305_20260914.json": cme_settlements,
    "cme_settlements_305_20260918.json": cme_settlements,
    "coindesk_rss_excerpt_2026-09-25.xml": rss,
    "coins_binancecoin_history_29-10-2025.json": coingecko_not_called,
    "coins_bitcoin_no_market_data_2024-05-30.json": coingecko_not_called,
    "coins_markets_bitcoin,ethereum,solana_usd_pcp_all_2026-04-27.json": coingecko_markets,
    "coins_markets_top100_usd_2023-01-16.pretty.json": coingecko_markets,
    "daily_spy.us_i=d_2018-02-26_to_2026-02-09.csv": stooq_daily,
    "error_-1121_invalid_symbol.json": binance_error,
    "error_401_invalid_crumb.json": yahoo_error,
    "error_429_edge_too_many_requests.txt": yahoo_text,
    "error_429_rate_limit.json": coingecko_error,
    "error_451_restricted_location.json": binance_error,
    "fapi_ticker_24hr_BTCUSDT.json": binance_ticker,
    "fed_press_monetary_rss_excerpt_2026-09-25.xml": rss,
    "fomc_meetings_2025_2027.csv": fomc_calendar,
    "fomc_schedule_2025_2026_press_release.txt": fomc_press_release,
    "fomc_schedule_2027_press_release.txt": fomc_press_release,
    "fred_DFEDTARU_2022-03-14_to_2023-07-31_excerpt.csv": fredgraph,
    "fred_DGS10_head_2026-09-01.csv": fredgraph,
    "fred_DGS10_holiday_week_2025-07.csv": fredgraph,
    "fred_SOFR_head_reserialized.csv": fredgraph,
    "fred_SOFR_head_with_blank_holidays_renamed_header.csv": fredgraph,
    "fred_api_error_400_realtime_end.json": fred_api,
    "fred_api_series_observations_GDPC1_trimmed.json": fred_api,
    "fred_api_series_observations_UNRATE_single.json": fred_api,
    "fred_fredgraph_FEDFUNDS_MORTGAGE30US_monthly.csv": fredgraph,
    "fundingRate_BTCUSDT.json": binance_funding,
    "futures_fundingRate_BTCUSDT_first_2019-09-10_element.json": binance_funding,
    "futures_fundingRate_BTCUSDT_limit3_2026-09-15.json": binance_funding,
    "futures_openInterestHist_BTCUSDT_5m_first_element_2026-09-15.json": binance_open_interest,
    "futures_topLongShortPositionRatio_BTCUSDT_5m_limit1_2026-08-22.json": binance_not_called,
    "getcrumb_200.txt": yahoo_text,
    "globalLongShortAccountRatio_BTCUSDT.json": binance_not_called,
    "global_2023-01.pretty.json": coingecko_not_called,
    "google_news_rss_search_ko_excerpt_2026-09-27.xml": rss,
    "kalshi_events_kxfeddecision_open_nested.json": kalshi_events,
    "kalshi_markets_kxfed_27apr_limit2.json": kalshi_not_called,
    "kalshi_markets_kxfed_open.json": kalshi_not_called,
    "kalshi_series_kxfeddecision.json": kalshi_not_called,
    "market_chart_bitcoin_usd_days60_2023-01-19.pretty.json": coingecko_not_called,
    "openInterestHist_BTCUSDT.json": binance_open_interest,
    "openInterest_BTCUSDT.json": binance_not_called,
    "polymarket_gamma_event_fed_decision_october_2026.json": polymarket_event,
    "premiumIndex_BTCUSDT.json": binance_not_called,
    "quoteSummary_v10_assetProfile_GC=F_404.json": lambda n: refused(yahoo.parse_quotes, doc(n)),
    "quoteSummary_v10_price_BTC-USD.json": lambda n: refused(yahoo.parse_quotes, doc(n)),
    "quoteSummary_v10_price_GC=F.json": lambda n: refused(yahoo.parse_quotes, doc(n)),
    "quoteSummary_v10_summaryDetail_^VXAPL.json": lambda n: refused(yahoo.parse_quotes, doc(n)),
    "quote_v7_AAPL,BABA.json": yahoo_quote,
    "quote_v7_BTC-USD.json": yahoo_quote,
    "quote_v7_EURUSD=X.json": yahoo_quote,
    "quote_v7_GC=F.json": yahoo_quote,
    "quote_v7_^VXAPL.json": yahoo_quote,
    "simple_price_bitcoin,binancecoin,avalanche-2_usd_2025-03-06.json": coingecko_not_called,
    "simple_price_bitcoin,ethereum_usd_all_includes_2025-05-16.json": coingecko_not_called,
    "simple_price_bitcoin_usd_2026-01-01.json": coingecko_not_called,
    "spot_klines_BTCUSDT_1m_2021-10-22.pretty.json": binance_klines,
    "spot_ticker_24hr_BTCUSDT_2021-10-22.pretty.json": binance_ticker,
    "yahoo_rss_headline_7203T_excerpt_2026-09-27.xml": rss,
}


def data_files() -> list[str]:
    return sorted(
        p.name
        for p in FIXTURES.iterdir()
        if p.is_file() and p.name not in DOCS and not p.name.startswith("PROVENANCE")
    )


def test_every_fixture_has_a_check() -> None:
    recordings = {n for n in data_files() if n.startswith("yf2__")}
    assert set(data_files()) - recordings == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_fixture(name: str) -> None:
    CHECKS[name](name)


@pytest.mark.parametrize("name", [n for n in data_files() if n.startswith("yf2__")])
def test_yahoo_recording(name: str) -> None:
    yahoo_recording(name)
