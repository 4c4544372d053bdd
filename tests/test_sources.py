"""Live-source plumbing, offline: recorded responses through httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
import pytest

from tui.sources import alternative_me, coingecko, fred
from tui.sources.base import (
    MAX_BODY_BYTES,
    CircuitBreaker,
    Fetcher,
    SourceError,
    base_url,
    rebase,
    retry_after_seconds,
)

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class Clock:
    """Injected time: sleeping advances it instead of waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def fetcher_for(handler: Callable[[httpx.Request], httpx.Response], clock: Clock) -> Fetcher:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return Fetcher(client, sleep=clock.sleep, jitter=lambda: 1.0, clock=clock)


def test_rebase_keeps_path_and_query() -> None:
    assert (
        rebase("https://api.alternative.me/fng/?limit=2", "http://127.0.0.1:8080")
        == "http://127.0.0.1:8080/fng/?limit=2"
    )
    assert rebase("https://x.test/a", "not a url") == "https://x.test/a"


def test_base_url_env_beats_config() -> None:
    env = {"RISKPULSE_ALTERNATIVE_ME_URL": "http://127.0.0.1:9"}
    assert (
        base_url("alternative_me", "https://api.alternative.me", "http://cfg", env)
        == "http://127.0.0.1:9"
    )
    assert (
        base_url("alternative_me", "https://api.alternative.me", "http://cfg", {}) == "http://cfg"
    )
    assert (
        base_url("alternative_me", "https://api.alternative.me", None, {})
        == "https://api.alternative.me"
    )


def test_retry_after_forms() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds("soon") is None


def test_parse_alternative_me_recorded_response() -> None:
    points = alternative_me.parse(json.loads(fixture("alternative_me_fng_limit2.json")))
    assert [(p.day, p.value, p.label) for p in points] == [
        (date(2026, 9, 24), 71.0, "Greed"),
        (date(2026, 9, 25), 71.0, "Greed"),
    ]


def test_parse_alternative_me_us_date_format() -> None:
    points = alternative_me.parse(
        json.loads(fixture("alternative_me_fng_limit10_date_format_us.json"))
    )
    assert points[-1].day == date(2024, 6, 17) and points[-1].value == 71
    assert len(points) == 10


def test_alternative_me_error_envelope() -> None:
    with pytest.raises(SourceError, match="API error"):
        alternative_me.parse({"data": [], "metadata": {"error": "limit too high"}})


def test_parse_coingecko_markets_recorded_response() -> None:
    quotes = coingecko.parse_markets(
        json.loads(fixture("coins_markets_bitcoin,ethereum,solana_usd_pcp_all_2026-04-27.json"))
    )
    assert set(quotes) == {"btc", "eth", "sol"}
    btc = quotes["btc"]
    assert btc.price == 79092 and btc.change_pct_24h == pytest.approx(1.97277)
    assert btc.ath == 126080 and btc.ath_date is not None and btc.ath_date.startswith("2025-10-06")


def test_coingecko_rate_limit_body() -> None:
    with pytest.raises(SourceError, match="API error 429") as exc:
        coingecko.parse_markets(json.loads(fixture("error_429_rate_limit.json")))
    assert exc.value.retryable


async def test_429_with_retry_after_then_success() -> None:
    clock, calls = Clock(), []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url)
        if len(calls) == 1:
            return httpx.Response(
                429, headers={"Retry-After": "3"}, content=fixture("error_429_rate_limit.json")
            )
        return httpx.Response(200, content=fixture("alternative_me_fng_limit2.json"))

    fetcher = fetcher_for(handler, clock)
    points = await alternative_me.fetch(fetcher, base="http://127.0.0.1:8765")
    assert points[-1].value == 71
    assert clock.slept == [3.0]
    assert str(calls[0]).startswith("http://127.0.0.1:8765/fng/?limit=8")


async def test_500_backs_off_exponentially_then_gives_a_reason() -> None:
    clock = Clock()
    fetcher = fetcher_for(lambda r: httpx.Response(500), clock)
    with pytest.raises(SourceError, match="server error 500"):
        await fetcher.get_json("fred", "http://127.0.0.1/x")
    assert clock.slept == [0.5, 1.0]


async def test_html_page_and_truncated_json_are_reported() -> None:
    clock = Clock()
    html = fetcher_for(
        lambda r: httpx.Response(
            200, content=b"<html>challenge</html>", headers={"content-type": "text/html"}
        ),
        clock,
    )
    with pytest.raises(SourceError, match="HTML page"):
        await html.get_json("stooq", "http://127.0.0.1/q")
    cut = fetcher_for(
        lambda r: httpx.Response(200, content=fixture("alternative_me_fng_limit2.json")[:60]), clock
    )
    with pytest.raises(SourceError, match="malformed JSON"):
        await cut.get_json("alternative_me", "http://127.0.0.1/fng/")


async def test_timeouts_are_retried_then_reported() -> None:
    clock = Clock()

    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("hang", request=request)

    with pytest.raises(SourceError, match="timed out"):
        await fetcher_for(hang, clock).get_json("yahoo", "http://127.0.0.1/v7")
    assert len(clock.slept) == 2


async def test_huge_body_is_refused() -> None:
    clock = Clock()
    big = fetcher_for(lambda r: httpx.Response(200, content=b"[" + b"1," * MAX_BODY_BYTES), clock)
    with pytest.raises(SourceError, match="MB cap"):
        await big.get_json("coingecko", "http://127.0.0.1/big")


async def test_breaker_opens_and_recovers_when_the_fault_clears() -> None:
    clock = Clock()
    healthy = {"on": False}

    def handler(request: httpx.Request) -> httpx.Response:
        if healthy["on"]:
            return httpx.Response(200, content=fixture("alternative_me_fng_limit2.json"))
        return httpx.Response(503)

    fetcher = fetcher_for(handler, clock)
    for _ in range(3):
        with pytest.raises(SourceError):
            await fetcher.get_json("alternative_me", "http://127.0.0.1/fng/")
    with pytest.raises(SourceError, match="paused after 3 failures"):
        await fetcher.get_json("alternative_me", "http://127.0.0.1/fng/")
    healthy["on"] = True
    clock.now += 61
    assert alternative_me.parse(await fetcher.get_json("alternative_me", "http://127.0.0.1/fng/"))
    assert fetcher.breaker("alternative_me").failures == 0


def test_breaker_alone() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=2, cooldown=10, clock=clock)
    breaker.failed()
    assert breaker.allow()
    breaker.failed()
    assert not breaker.allow() and breaker.retry_in() == 10
    clock.now = 10
    assert breaker.allow()


def test_fredgraph_holiday_is_missing_not_filled() -> None:
    series = fred.parse_fredgraph(fixture("fred_DGS10_holiday_week_2025-07.csv").decode())
    days = [d for d, _ in series["DGS10"]]
    assert date(2025, 7, 4) not in days and len(days) == 5
    assert series["DGS10"][-1] == (date(2025, 7, 8), 4.42)


def test_fredgraph_renamed_header_and_two_series() -> None:
    sofr = fred.parse_fredgraph(
        fixture("fred_SOFR_head_with_blank_holidays_renamed_header.csv").decode()
    )
    assert sofr["value"][0] == (date(2018, 4, 3), 1.83)
    both = fred.parse_fredgraph(
        fixture("fred_fredgraph_FEDFUNDS_MORTGAGE30US_monthly.csv").decode()
    )
    assert set(both) == {"FEDFUNDS", "MORTGAGE30US"}
    assert all(v == v for _, v in both["FEDFUNDS"])
    with pytest.raises(SourceError, match="HTML page"):
        fred.parse_fredgraph("<!DOCTYPE html><title>Error - St. Louis Fed</title>")


def test_fred_api_value_string_and_error_envelope() -> None:
    obs = fred.parse_api(json.loads(fixture("fred_api_series_observations_UNRATE_single.json")))
    assert obs == [(date(2019, 3, 1), 3.8)]
    assert fred.parse_api({"observations": [{"date": "2025-07-04", "value": "."}]}) == []
    with pytest.raises(SourceError, match="API error 400") as exc:
        fred.parse_api(json.loads(fixture("fred_api_error_400_realtime_end.json")))
    assert "api_key" not in str(exc.value)


async def test_fredgraph_is_one_request_for_every_series() -> None:
    clock, seen = Clock(), []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(
            200,
            content=fixture("fred_DGS10_holiday_week_2025-07.csv"),
            headers={"content-type": "application/csv"},
        )

    data = await fred.fetch_graph(fetcher_for(handler, clock), base="http://127.0.0.1:9999")
    assert len(seen) == 1 and seen[0].host == "127.0.0.1" and seen[0].path == "/graph/fredgraph.csv"
    assert "DGS10" in seen[0].params["id"] and "SOFR" in seen[0].params["id"]
    assert data["DGS10"][0] == (date(2025, 7, 1), 4.26)


def test_kalshi_decision_events() -> None:
    from tui.sources.prediction_markets import parse_kalshi_events

    meetings = parse_kalshi_events(
        json.loads(fixture("kalshi_events_kxfeddecision_open_nested.json"))
    )
    assert [m.meeting for m in meetings] == [
        date(2026, 10, 28),
        date(2026, 12, 9),
        date(2027, 1, 27),
    ]
    october = meetings[0].probabilities
    assert october[0] == pytest.approx(0.795) and october[25] == pytest.approx(0.205)
    assert set(october) == {-50, -25, 0, 25, 50}
    with pytest.raises(SourceError, match="API error"):
        parse_kalshi_events({"error": {"code": "too_many_requests"}})


def test_polymarket_double_encoded_prices() -> None:
    from tui.sources.prediction_markets import parse_polymarket_event

    market = parse_polymarket_event(
        json.loads(fixture("polymarket_gamma_event_fed_decision_october_2026.json"))
    )
    assert market.meeting == date(2026, 10, 28)
    assert market.probabilities == {-50: 0.0015, -25: 0.0035, 0: 0.805, 25: 0.195, 50: 0.0035}


def test_binance_ticker_funding_and_errors() -> None:
    from tui.sources import binance

    tick = binance.parse_tickers(
        json.loads(fixture("spot_ticker_24hr_BTCUSDT_2021-10-22.pretty.json"))
    )
    btc = tick["BTCUSDT"]
    assert (btc.last, btc.change_pct, btc.open) == (60755.18, -3.003, 62636.13)
    funding = binance.parse_funding(
        json.loads(fixture("futures_fundingRate_BTCUSDT_limit3_2026-09-15.json"))
    )
    assert [f.rate for f in funding] == [0.0000422, 0.00003563, 0.00006188]
    assert funding[-1].time.isoformat().startswith("2026-09-15T08:00:00")
    with pytest.raises(SourceError, match="not available from this location"):
        binance.parse_tickers(json.loads(fixture("error_451_restricted_location.json")))
    with pytest.raises(SourceError, match="-1121"):
        binance.parse_tickers(json.loads(fixture("error_-1121_invalid_symbol.json")))


def test_cnn_graphdata_with_components() -> None:
    from tui.sources import cnn

    fg = cnn.parse(json.loads(fixture("cnn_fear_greed_graphdata.json")))
    assert (fg.score, fg.rating) == (77.8, "extreme greed")
    assert fg.previous_close == pytest.approx(76.5714285714286)
    put_call, rating = fg.components["put_call_options"]
    assert put_call == pytest.approx(0.699441299171929) and rating == "extreme greed"
    assert len(fg.components) == 7
    with pytest.raises(SourceError):
        cnn.parse({"message": "I'm a teapot. You're a bot."})


async def test_451_is_not_retried() -> None:
    clock = Clock()
    geo = fetcher_for(
        lambda r: httpx.Response(451, content=fixture("error_451_restricted_location.json")), clock
    )
    with pytest.raises(SourceError, match="not available from this location"):
        await geo.get_json("binance", "http://127.0.0.1/api/v3/ticker/24hr")
    assert clock.slept == []


def test_rss_feeds_recorded() -> None:
    from tui.sources import news

    coindesk = news.parse(fixture("coindesk_rss_excerpt_2026-09-25.xml").decode(), "CoinDesk")
    assert coindesk[-1].title.startswith("Traders price in 4 Fed rate hikes by June 2027")
    assert coindesk[-1].published is not None and coindesk[-1].published.hour == 10
    google = news.parse(fixture("google_news_rss_search_ko_excerpt_2026-09-27.xml").decode())
    assert google and all(not g.title.endswith(f" - {g.source}") for g in google if g.source)
    fed = news.parse(fixture("fed_press_monetary_rss_excerpt_2026-09-25.xml").decode(), "Fed")
    assert fed[0].title == "Federal Reserve issues FOMC statement"
    yahoo = news.parse(fixture("yahoo_rss_headline_7203T_excerpt_2026-09-27.xml").decode())
    assert len(yahoo) == 2 and all(y.url and "tsrc=rss" in y.url for y in yahoo)


def test_rss_refuses_entities_and_strips_escapes() -> None:
    from tui.sources import news

    bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel></channel></rss>'
    with pytest.raises(SourceError, match="DOCTYPE"):
        news.parse(bomb)
    evil = (
        "<rss><channel><item><title>[bold red]Crash[/] \x1b[2J&amp; more</title>"
        "</item></channel></rss>"
    )
    (item,) = news.parse(evil)
    assert item.title == "[bold red]Crash[/] & more"  # plain text: no escape, markup literal


def test_stooq_csv_and_its_non_csv_answers() -> None:
    from tui.sources import stooq

    rows = stooq.parse_stooq_daily(
        fixture("daily_spy.us_i=d_2018-02-26_to_2026-02-09.csv").decode()
    )
    assert ("2025-10-10", 653.02) in rows and len(rows) == 2000
    for body, reason in (  # phrases quoted in the provenance: no page was recorded in full
        ("No data", "has no data for this symbol"),
        ("Exceeded the daily hits limit!\n", "daily request limit"),
        ("<html><form action='/__verify'>", "proof-of-work page"),
        ("This site requires JavaScript to verify your browser", "proof-of-work page"),
        ("Get your apikey: https://stooq.com/q/d/?s=^spx&get_apikey", "asks for an API key"),
        ("<html><body>Maintenance</body></html>", "HTML page instead of CSV"),
        ("Date,Open,High,Low,Close,Volume\r\n2026-02-09,1,2,3,69", "truncated CSV"),
    ):
        with pytest.raises(SourceError, match=reason):
            stooq.parse_stooq_daily(body)


def test_yahoo_quotes_and_charts_recorded() -> None:
    from tui.sources import yahoo

    quotes = yahoo.parse_quotes(json.loads(fixture("quote_v7_GC=F.json")))
    gold = quotes["GC=F"]
    assert (gold.price, gold.previous_close, gold.change_pct) == (2910.3, 2900.7, 0.33095798)
    assert set(yahoo.parse_quotes(json.loads(fixture("quote_v7_AAPL,BABA.json")))) == {
        "AAPL",
        "BABA",
    }
    bars = yahoo.parse_chart(json.loads(fixture("chart_v8_GC=F_1d.json")))
    assert bars and all(v == v for _, v in bars)
    null_row = yahoo.parse_chart(json.loads(fixture("chart_v8_WSU.DE_1d_null_row.json")))
    assert len(null_row) == 2  # the all-null middle bar is dropped, not filled
    assert yahoo.parse_chart(json.loads(fixture("chart_v8_^VXAPL_index_1d.json"))) == []
    with pytest.raises(SourceError, match="Not Found"):
        yahoo.parse_chart(json.loads(fixture("chart_v8_SI_404_delisted.json")))
    with pytest.raises(SourceError, match="Invalid Crumb"):
        yahoo.parse_quotes(json.loads(fixture("error_401_invalid_crumb.json")))


def test_yahoo_crumb_validation() -> None:
    from tui.sources import yahoo

    assert yahoo.valid_crumb(fixture("getcrumb_200.txt").decode())
    assert not yahoo.valid_crumb(fixture("error_429_edge_too_many_requests.txt").decode())


async def test_yahoo_reauthenticates_once_on_401() -> None:
    from tui.sources import yahoo

    clock, crumbs, quote_calls = Clock(), iter(["staleCrumb1", "haT3oykhHqZ"]), []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/test/getcrumb":
            return httpx.Response(200, text=next(crumbs))
        if request.url.path == "/v7/finance/quote":
            quote_calls.append(request.url.params["crumb"])
            if request.url.params["crumb"] == "staleCrumb1":
                return httpx.Response(401, content=fixture("error_401_invalid_crumb.json"))
            return httpx.Response(200, content=fixture("quote_v7_GC=F.json"))
        return httpx.Response(200, headers={"set-cookie": "A3=x; Path=/"})

    session = yahoo.YahooSession(fetcher_for(handler, clock), base="http://127.0.0.1:7001")
    quotes = await session.quotes(["GC=F"])
    assert quotes["GC=F"].price == 2910.3
    assert quote_calls == ["staleCrumb1", "haT3oykhHqZ"]


async def test_yahoo_batches_fifty_symbols_per_request() -> None:
    from tui.sources import yahoo

    clock, batches = Clock(), []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/test/getcrumb":
            return httpx.Response(200, text="haT3oykhHqZ")
        if request.url.path == "/v7/finance/quote":
            batches.append(request.url.params["symbols"].split(","))
            return httpx.Response(200, json={"quoteResponse": {"result": [], "error": None}})
        return httpx.Response(200)

    session = yahoo.YahooSession(fetcher_for(handler, clock), base="http://127.0.0.1:7001")
    await session.quotes([f"S{i}" for i in range(120)])
    assert [len(b) for b in batches] == [50, 50, 20]


async def test_yahoo_rate_limited_crumb_is_not_taken() -> None:
    from tui.sources import yahoo

    clock = Clock()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/test/getcrumb":
            return httpx.Response(429, content=fixture("error_429_edge_too_many_requests.txt"))
        return httpx.Response(200)

    session = yahoo.YahooSession(fetcher_for(handler, clock), base="http://127.0.0.1:7001")
    with pytest.raises(SourceError, match=r"rate-limited \(429\) while getting a crumb"):
        await session.quotes(["GC=F"])
    assert session.crumb is None
