"""Live mode end to end against a loopback server answering with the recorded responses.

The numbers each pane shows are checked against the recorded files read here independently;
every fault (429 with and without Retry-After, 500, a hang, an HTML page, truncated JSON, nulls)
is reported per source without a traceback, and the next refresh recovers once it clears.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import BUNDLE
from tests.loopback import FAULTS, FIXTURES, Server, serving
from tui.cli import main
from tui.snapshot_output import stale_text
from tui.sources import SOURCE_IDS
from tui.sources.base import Fetcher, make_client
from tui.sources.live import LiveSource, zq_months, zq_symbol
from tui.store import Store

NOW = datetime(2026, 10, 6, 12, 0, tzinfo=UTC).timestamp()
"""The day the Kalshi and Polymarket responses were recorded."""


def recorded(name: str) -> object:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as srv:
        yield srv


@pytest.fixture
def live_env(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Server:
    """Every source pointed at the loopback server; a fresh cache and a short timeout."""
    for sid in SOURCE_IDS:
        monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", server.url)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    config = tmp_path / "config.toml"
    config.write_text("timeout = 5\n")
    monkeypatch.setenv("RISKPULSE_CONFIG", str(config))
    return server


def snapshot_json(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any], str]:
    code = main(["snapshot", "--format", "json"], clock=lambda: NOW)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


def quotes(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        q["id"]: q for pane in ("indices", "crypto", "macro") for q in doc["panes"][pane]["quotes"]
    }


def test_snapshot_shows_the_recorded_numbers_and_no_other(
    live_env: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc, err = snapshot_json(capsys)
    assert code == 0 and "Traceback" not in err
    assert doc["mode"] == "live" and doc["schema"] == "riskpulse.snapshot/1"
    q = quotes(doc)

    gold = recorded("quote_v7_GC=F.json")["quoteResponse"]["result"][0]  # type: ignore[index]
    assert q["gold"]["price"] == gold["regularMarketPrice"]
    assert q["gold"]["change"] == pytest.approx(gold["regularMarketChange"])
    assert q["gold"]["change_pct"] == pytest.approx(gold["regularMarketChangePercent"], abs=5e-5)
    # The 52-week high is of daily closes (the bundled ones here), never Yahoo's intraday one.
    day = date.fromisoformat(q["gold"]["as_of"])
    with (BUNDLE / "gold.csv").open() as fh:
        year = [
            float(r["close"])
            for r in csv.DictReader(fh)
            if r["close"] and 0 < (day - date.fromisoformat(r["date"][:10])).days < 365
        ]
    high = max(max(year), gold["regularMarketPrice"])
    assert high != gold["fiftyTwoWeekHigh"]
    assert q["gold"]["from_high_pct"] == pytest.approx(
        (gold["regularMarketPrice"] / high - 1) * 100, abs=5e-5
    )
    # Recorded on 2025-02-17, shown on 2026-10-06: dated, and stale with that date.
    assert q["gold"]["source"] == "yahoo" and q["gold"]["stale"]
    assert (
        q["gold"]["stale_reason"] == f"close of {q['gold']['as_of']}; its market has traded since"
    )

    coins = {
        c["id"]: c
        for c in recorded(  # type: ignore[attr-defined]
            "coins_markets_bitcoin,ethereum,solana_usd_pcp_all_2026-04-27.json"
        )
    }
    for asset, coin in (("btc", "bitcoin"), ("eth", "ethereum"), ("sol", "solana")):
        assert q[asset]["price"] == coins[coin]["current_price"]
        assert q[asset]["change_pct"] == pytest.approx(
            coins[coin]["price_change_percentage_24h"], abs=5e-5
        )
        assert q[asset]["source"] == "coingecko" and q[asset]["symbol"].endswith("/USD")

    oi = recorded("futures_openInterestHist_BTCUSDT_5m_first_element_2026-09-15.json")[0]  # type: ignore[index]
    assert q["btc_oi"]["price"] == round(float(oi["sumOpenInterestValue"]) / 1e9, 3)
    assert q["btc_oi"]["change"] is None  # one recorded point: no change is claimed
    prints = recorded("futures_fundingRate_BTCUSDT_limit3_2026-09-15.json")
    assert q["btc_funding"]["price"] == pytest.approx(float(prints[-1]["fundingRate"]) * 100)  # type: ignore[index]

    with (FIXTURES / "fred_DGS10_holiday_week_2025-07.csv").open() as fh:
        dgs10 = [r for r in csv.reader(fh)][1:]
    last = [r for r in dgs10 if r[1].strip() not in ("", ".")][-1]
    assert q["ust10y"]["price"] == float(last[1]) and q["ust10y"]["as_of"] == last[0]
    assert q["ust10y"]["source"] == "fred"

    # No recording answers for these: null with the reason, never a number from elsewhere.
    for asset in ("sp500", "nasdaq100", "hang_seng", "silver", "vix", "ust2y", "sofr_iorb"):
        assert q[asset]["price"] is None and q[asset]["stale"] is True, asset
        assert q[asset]["stale_reason"]
    priced = {a for a, row in q.items() if row["price"] is not None}
    assert priced == {"gold", "btc", "eth", "sol", "btc_funding", "btc_oi", "ust10y"}

    fed = doc["panes"]["fedwatch"]
    # CME's settlements (recorded 2026-09-18) by the CME method, Kalshi and Polymarket beside.
    assert fed["source"] == "riskpulse's computation (CME method) from CME futures settlements"
    events = recorded("kalshi_events_kxfeddecision_open_nested.json")["events"]  # type: ignore[index]
    october = next(e for e in events if e["event_ticker"].endswith("26OCT"))
    hold = next(m for m in october["markets"] if m["ticker"].endswith("-H0"))
    mid = (float(hold["yes_bid_dollars"]) + float(hold["yes_ask_dollars"])) / 2
    first = fed["meetings"][0]
    assert first["date"] == "2026-10-28" and first["source"] == "cme"
    assert sum(first["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
    kalshi = next(c for c in first["markets"] if c["source"] == "kalshi")
    assert kalshi["probabilities"]["0"] == pytest.approx(mid)
    assert {c["source"] for c in first["markets"]} == {"kalshi", "polymarket"}
    assert [m["date"] for m in fed["meetings"]] == ["2026-10-28", "2026-12-09", "2027-01-27"]

    fg = {f["id"]: f for f in doc["panes"]["fear_greed"]["indices"]}
    fng = recorded("alternative_me_fng_limit2.json")["data"]  # type: ignore[index]
    assert fg["crypto"]["value"] == float(fng[0]["value"])
    assert fg["crypto"]["previous"] == float(fng[1]["value"])
    cnn = recorded("cnn_fear_greed_graphdata.json")["fear_and_greed"]  # type: ignore[index]
    assert fg["stock"]["value"] == cnn["score"] and fg["stock"]["previous"] == cnn["previous_close"]

    assert doc["sources"]["coingecko"]["ok"] and doc["sources"]["kalshi"]["ok"]


def test_snapshot_without_any_answer_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for sid in SOURCE_IDS:  # a closed port: every connection is refused at once
        monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("RISKPULSE_CONFIG", str(tmp_path / "none.toml"))
    code = main(["snapshot"], clock=lambda: NOW)
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no source answered and nothing is cached" in err
    assert "--replay" in err and "Traceback" not in err


def test_cached_snapshot_is_shown_marked_cached_when_nothing_answers(
    live_env: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, doc, _ = snapshot_json(capsys)
    assert code == 0 and doc["mode"] == "live"
    for sid in SOURCE_IDS:
        monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", "http://127.0.0.1:9")
    code, cached, err = snapshot_json(capsys)
    assert code == 1 and cached["mode"] == "cached" and "cached snapshot" in err
    assert quotes(cached)["gold"]["price"] == quotes(doc)["gold"]["price"]
    assert cached["saved_at"] is not None


@pytest.mark.parametrize(
    ("source", "fault"),
    [("yahoo", "html"), ("coingecko", "truncated"), ("kalshi", "nulls"), ("cnn", "html")],
)
def test_snapshot_reports_a_failing_source_and_keeps_the_rest(
    live_env: Server, capsys: pytest.CaptureFixture[str], source: str, fault: str
) -> None:
    live_env.faults[source] = fault
    code, doc, err = snapshot_json(capsys)
    assert code == 0 and "Traceback" not in err
    assert doc["sources"][source]["ok"] is False and doc["sources"][source]["error"]
    assert doc["panes"]["fear_greed"]["indices"]  # other sources still answered


class FakeTime:
    """Injected clocks: sleeping advances them instead of waiting."""

    def __init__(self) -> None:
        self.wall = NOW
        self.mono = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.mono += seconds
        self.wall += seconds


@asynccontextmanager
async def live_source(
    server: Server, clock: FakeTime, store: Store | None = None
) -> AsyncIterator[LiveSource]:
    client = make_client(timeout=0.5)  # a hang ends here; short, with room for a loaded machine
    fetcher = Fetcher(client, sleep=clock.sleep, jitter=lambda: 1.0, clock=clock.monotonic)
    try:
        yield LiveSource(
            fetcher, urls={s: server.url for s in SOURCE_IDS}, clock=clock, store=store
        )
    finally:
        await client.aclose()


FAULTY_SOURCES = ("yahoo", "coingecko", "binance", "alternative_me", "cnn", "fred", "kalshi")


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("source", FAULTY_SOURCES)
async def test_fault_is_reported_then_recovered(server: Server, source: str, fault: str) -> None:
    clock = FakeTime()
    async with live_source(server, clock) as live:
        assert await live.refresh(source)  # good data first
        good = live.snapshot()
        server.faults[source] = fault
        ok = await live.refresh(source)
        snap = live.snapshot()
        health = {h.id: h for h in snap.sources}
        if fault == "nulls" and source in ("coingecko", "cnn", "fred", "yahoo"):
            # Text bodies and nulls in optional fields: what can be read still is, nulls are
            # missing (never 0), and whatever was lost says why.
            for q in (*snap.indices.quotes, *snap.crypto.quotes, *snap.macro.quotes):
                assert q.price is None or q.price != 0
        else:
            assert not ok and health[source].error, (source, fault)
            if fault == "429-retry-after":
                assert "asked to wait 2 s" in str(health[source].error)
                assert 2.0 in clock.slept
            # Good data stays on screen, marked stale with its age and the reason.
            for before in (*good.indices.quotes, *good.crypto.quotes, *good.macro.quotes):
                if before.price is None or before.source != source:
                    continue
                after = snap.quote(before.id)
                assert after is not None
                if after.source == before.source:
                    assert after.price == before.price
                    assert after.stale and after.stale_reason
                    assert "ago" in (stale_text(after, snap.as_of) or "")
                else:  # the fallback answered: its fresh number replaces the old one
                    assert after.source in FALLBACKS[source] and not after.stale
        server.faults.clear()
        clock.mono += 120  # past the breaker's cooldown
        assert await live.refresh(source)
        healed = live.snapshot()
        assert {h.id: h for h in healed.sources}[source].ok
        for q in (*healed.crypto.quotes, *healed.macro.quotes):
            if q.source == source and q.price is not None:
                # Healed: no failure named; a recorded close older than its market's last
                # session (the fixtures are of other days) stays stale with its own date.
                assert source not in (q.stale_reason or ""), (q.id, q.stale_reason)


FALLBACKS = {"yahoo": ("stooq",), "coingecko": ("binance",)}


async def test_stale_reason_carries_the_age(server: Server) -> None:
    clock = FakeTime()
    async with live_source(server, clock) as live:
        await live.refresh("coingecko")
        clock.wall += 600
        server.faults["coingecko"] = "500"
        server.faults["binance"] = "500"
        await live.refresh("coingecko")
        btc = live.quote("btc")
        assert btc.price is not None and btc.stale
        assert btc.stale_reason is not None
        assert "coingecko: server error 500" in btc.stale_reason
        assert "last data 12:00Z (10 min ago)" in (stale_text(btc, live.now()) or "")


async def test_coingecko_falls_back_to_binance(server: Server) -> None:
    clock = FakeTime()
    async with live_source(server, clock) as live:
        server.faults["coingecko"] = "429"
        await live.refresh("coingecko")
        ticker = recorded("spot_ticker_24hr_BTCUSDT_2021-10-22.pretty.json")
        btc = live.quote("btc")
        assert btc.source == "binance" and btc.symbol == "BTC/USDT"
        assert btc.price == float(ticker["lastPrice"])  # type: ignore[index]
        assert live.quote("eth").price is None  # the recorded ticker is BTC's only


async def test_yahoo_falls_back_to_stooq(server: Server) -> None:
    clock = FakeTime()
    clock.wall = datetime(2026, 2, 10, 15, tzinfo=UTC).timestamp()  # the Stooq file's last days
    async with live_source(server, clock) as live:
        live.watchlists["indices"] = ("spy",)
        server.faults["yahoo"] = "500"
        await live.refresh("yahoo")
        spy = live.quote("spy")
        with (FIXTURES / "daily_spy.us_i=d_2018-02-26_to_2026-02-09.csv").open() as fh:
            rows = list(csv.reader(fh))
        assert spy.source == "stooq" and spy.price == float(rows[-1][4])
        assert spy.as_of == date.fromisoformat(rows[-1][0])
        assert spy.change == pytest.approx(float(rows[-1][4]) - float(rows[-2][4]))
        # The recorded CSV ends months before the clock: its close is shown, dated, and stale.
        assert spy.stale and spy.stale_reason == (
            f"close of {rows[-1][0]}; its market has traded since"
        )
        server.requests.clear()
        clock.wall += 15  # Yahoo's next refresh, still failing: Stooq's close stands, unasked
        await live.refresh("yahoo")
        assert live.quote("spy").price == float(rows[-1][4])
        assert "yahoo" not in (live.quote("spy").stale_reason or "")
        assert not [p for _, p in server.requests if p.startswith("/q/d/l/")]
        clock.wall += 300  # past Stooq's interval: asked again
        await live.refresh("yahoo")
        assert [p for _, p in server.requests if p.startswith("/q/d/l/")]


async def test_one_request_per_source_per_refresh(server: Server) -> None:
    clock = FakeTime()
    async with live_source(server, clock) as live:
        live.watchlists["indices"] = (*live.watchlists["indices"], "spy", "qqq")
        server.requests.clear()
        await live.refresh("yahoo")
        quote_calls = [p for s, p in server.requests if p.startswith("/v7/finance/quote")]
        assert len(quote_calls) == 1
        for sid in ("coingecko", "alternative_me", "cnn", "fred", "kalshi", "polymarket"):
            server.requests.clear()
            await live.refresh(sid)
            assert len(server.requests) == 1, (sid, server.requests)


def test_zq_symbols_for_the_meetings() -> None:
    assert zq_symbol(2025, 12) == "ZQZ25.CBT" and zq_symbol(2026, 1) == "ZQF26.CBT"
    assert zq_months([date(2026, 12, 9)]) == [(2026, 11), (2026, 12), (2027, 1)]


async def test_fed_odds_from_dated_futures_by_the_cme_method(server: Server) -> None:
    """Worked example B's published settles (12 Sep 2022) through the live path."""
    clock = FakeTime()
    clock.wall = datetime(2022, 9, 12, 16, tzinfo=UTC).timestamp()
    async with live_source(server, clock) as live:
        live.state.zq = {(2022, 9): 97.4475, (2022, 10): 96.94, (2022, 11): 96.43}
        fed = live.fedwatch()
    assert fed.source == "riskpulse's computation (CME method) from Yahoo ZQ futures"
    september, november, december = fed.meetings
    assert december.probabilities == {}  # no December or January price: no odds claimed
    assert september.date == date(2022, 9, 21)
    assert september.probabilities == pytest.approx({75: 0.955, 100: 0.045}, abs=0.001)
    assert september.implied_rate == pytest.approx(3.06)
    assert november.implied_rate == pytest.approx(3.5876, abs=1e-4)


async def test_fed_changes_come_from_the_stored_history(server: Server, tmp_path: Path) -> None:
    clock = FakeTime()
    store = Store(tmp_path / "c.sqlite3", clock=clock)
    async with live_source(server, clock, store) as live:
        store.add_fed_odds("kalshi", date(2026, 10, 28), date(2026, 9, 29), {0: 0.5, 25: 0.5})
        store.add_fed_odds("kalshi", date(2026, 10, 28), date(2026, 10, 5), {0: 0.6, 25: 0.4})
        await live.refresh("kalshi")
        october = live.fedwatch().meetings[0]
    assert october.change_1d_pp[0] == pytest.approx((0.795 - 0.6) * 100)
    assert october.change_1w_pp[0] == pytest.approx((0.795 - 0.5) * 100)
    assert october.change_1m_pp == {}  # nothing stored a month back: no change is claimed


def test_next_refresh_backs_off_and_honours_the_server() -> None:
    from tui.scheduler import next_delay

    assert next_delay(15, 0, None, 0) == 15  # healthy: the configured interval
    assert [next_delay(15, n, None, 0) for n in (1, 2, 3, 6, 9)] == [15, 30, 60, 300, 300]
    assert next_delay(3600, 1, None, 0) == 60  # an hourly source retries sooner after a failure
    assert next_delay(3600, 12, None, 0) == 3600  # …but never more often than hourly in the end
    assert next_delay(15, 1, 120, 0) == 120  # Retry-After wins
    assert next_delay(15, 1, None, 45) == 45  # so does the breaker's cooldown


async def test_headlines_macro_then_per_asset(server: Server) -> None:
    clock = FakeTime()
    async with live_source(server, clock) as live:
        assert await live.refresh("news")
        macro = {h.title for h in live.headlines()}
        fed = news_titles("fed_press_monetary_rss_excerpt_2026-09-25.xml")
        assert fed <= macro and news_titles("coindesk_rss_excerpt_2026-09-25.xml") <= macro
        server.requests.clear()
        heads = await live.asset_headlines("nikkei225")
        paths = sorted(p.split("?")[0] for _, p in server.requests)
        assert paths == ["/rss/2.0/headline", "/rss/search"]
        assert news_titles("yahoo_rss_headline_7203T_excerpt_2026-09-27.xml") <= {
            h.title for h in heads
        }
        assert all(h.time_quality == "published" for h in heads)


def news_titles(name: str) -> set[str]:
    from tui.sources import news

    return {i.title for i in news.parse((FIXTURES / name).read_text(), "x") if i.published}


async def test_fed_calendar_running_out_is_said(server: Server) -> None:
    clock = FakeTime()
    clock.wall = datetime(2027, 10, 1, 12, tzinfo=UTC).timestamp()
    async with live_source(server, clock) as live:
        fed = live.fedwatch()
        assert [m.date for m in fed.meetings] == [date(2027, 10, 27), date(2027, 12, 8)]
        assert any("calendar ends 2027-12-08" in n for n in fed.notes)
        clock.wall = datetime(2027, 12, 20, 12, tzinfo=UTC).timestamp()
        fed = live.fedwatch()
        assert fed.meetings == () and fed.calendar_ends == date(2027, 12, 8)
        assert any("later meetings are not shown" in n for n in fed.notes)
        assert fed.error == "FOMC calendar bundled to 2027: meetings after it are not known"


async def test_a_fred_key_never_reaches_an_error_line_or_the_cache(
    server: Server, tmp_path: Path
) -> None:
    from tui.snapshot_output import snapshot_json

    secret = "KEY-4f1c9a7e-never-shown"
    clock = FakeTime()
    store = Store(tmp_path / "c.sqlite3", clock=clock)
    async with live_source(server, clock, store) as live:
        live.fred_key = secret
        assert not await live.refresh("fred")  # the keyed API path has no recording: 404
        assert any("/fred/series/observations" in p for _, p in server.requests)
        doc = snapshot_json(live.snapshot())
        store.save_snapshot(doc)
    text = json.dumps(doc)
    assert "fred" in doc["sources"] and doc["sources"]["fred"]["error"]
    assert secret not in text
    assert secret.encode() not in (tmp_path / "c.sqlite3").read_bytes()


async def test_backfill_stores_daily_history_for_the_drill_down(
    server: Server, tmp_path: Path
) -> None:
    clock = FakeTime()
    store = Store(tmp_path / "c.sqlite3", clock=clock)
    async with live_source(server, clock, store) as live:
        note = await live.backfill()
    chart = yahoo_chart_closes("chart_v8_GC=F_1d.json")
    assert store.history("gold") == chart and chart
    candles = recorded("spot_klines_BTCUSDT_1m_2021-10-22.pretty.json")
    assert store.history("btc") == [(date(2021, 10, 22), float(candles[-1][4]))]  # type: ignore[index]
    # Nothing is recorded for the other symbols: each is reported, none is filled.
    assert note is not None and "sp500" in note and "eth" in note
    assert store.history("sp500") == [] and store.history("eth") == []
    charts = [p for _, p in server.requests if p.startswith("/v8/finance/chart/")]
    assert "/v8/finance/chart/%5EGSPC?range=1y&interval=1d" in charts


def yahoo_chart_closes(name: str) -> list[tuple[date, float]]:
    result = recorded(name)["chart"]["result"][0]  # type: ignore[index]
    zone = ZoneInfo(result["meta"]["exchangeTimezoneName"])
    closes = result["indicators"]["quote"][0]["close"]
    return [
        (datetime.fromtimestamp(t, tz=zone).date(), c)
        for t, c in zip(result["timestamp"], closes, strict=True)
        if c is not None
    ]


async def test_sparkline_and_52_week_high_come_from_the_history(server: Server) -> None:
    from tui.history import History

    clock = FakeTime()
    history = History()
    last = history.series("btc").last
    assert last is not None
    clock.wall = datetime.combine(last, datetime.min.time(), UTC).timestamp() + 86400 + 16 * 3600
    async with live_source(server, clock) as live:
        live.load_history(history)
        await live.refresh("coingecko")
        btc = live.quote("btc")
    series = history.series("btc")
    closes = series.values
    # Five daily closes, the quote's own last: as many as the column header says.
    assert btc.as_of is not None
    before = [v for d, v in zip(series.dates, closes, strict=True) if d < btc.as_of]
    assert btc.spark == (*before[-4:], btc.price)
    day = btc.as_of  # the 52-week window ends on the quote's own day, closes only
    year = [v for d, v in zip(series.dates, closes, strict=True) if 0 < (day - d).days < 365]
    high = max(max(year), btc.price or 0)
    assert btc.from_high_pct == pytest.approx(((btc.price or 0) / high - 1) * 100)


def test_explain_without_replay_explains_today_from_live_and_cached_data(
    live_env: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", "gold", "--format", "json"], clock=lambda: NOW) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert "Traceback" not in err and doc["asset"] == "gold"
    # Today (2026-10-06) is past the bundled gold closes: the narrative names the close it used.
    assert "on or before 2026-10-06" in doc["narrative"][0]
    assert any(p.startswith("/v8/finance/chart/GC%3DF") for _, p in live_env.requests)


def test_explain_offline_uses_what_is_kept_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for sid in SOURCE_IDS:
        monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("RISKPULSE_CONFIG", str(tmp_path / "none.toml"))
    assert main(["explain", "btc"], clock=lambda: NOW) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Bitcoin moved" in out and "2026-10-06" in out


async def test_futures_odds_say_when_their_prices_are_old(server: Server) -> None:
    clock = FakeTime()
    async with live_source(server, clock) as live:
        assert await live.refresh("cme")
        first = live.fedwatch()
        assert first.meetings[0].source is not None and first.meetings[0].source.value == "cme"
        assert first.error is None
        server.faults["cme"] = "500"
        clock.wall += 600
        assert not await live.refresh("cme")
        fed = live.fedwatch()
    # The settlements of 12:00Z still stand, and the pane says how old they are and why.
    assert fed.meetings[0].probabilities == first.meetings[0].probabilities
    assert fed.error is not None
    assert fed.error.startswith("settlements of 12:00Z; cme: server error 500")


async def test_each_refresh_keeps_the_days_values_in_the_cache(
    server: Server, tmp_path: Path
) -> None:
    clock = FakeTime()
    store = Store(tmp_path / "c.sqlite3", clock=clock)
    async with live_source(server, clock, store) as live:
        await asyncio.gather(live.refresh("coingecko"), live.refresh("yahoo"))
    coins = {
        c["id"]: c
        for c in recorded(  # type: ignore[attr-defined]
            "coins_markets_bitcoin,ethereum,solana_usd_pcp_all_2026-04-27.json"
        )
    }
    assert store.history("btc") == [(date(2026, 4, 27), coins["bitcoin"]["current_price"])]
    gold = live.quote("gold")
    assert gold.as_of is not None and store.history("gold") == [(gold.as_of, gold.price)]


async def test_the_live_drill_down_reads_the_panes_readings(server: Server) -> None:
    from tui.explain.inputs import Window
    from tui.sources.live.explain_inputs import builder

    clock = FakeTime()
    async with live_source(server, clock) as live:
        for sid in ("cme", "kalshi", "alternative_me", "cnn", "binance"):
            assert await live.refresh(sid), sid
        today = live.today()
        window = Window(today, today - timedelta(days=1), today - timedelta(days=30))
        inputs = builder(live)(window)
        pane = live.fedwatch()
    assert inputs.source == "live"
    todays = [w for w in inputs.fed_odds if w.source == "cme"]
    assert todays and todays[-1].meetings[0].probabilities == pane.meetings[0].probabilities
    assert "fed_odds" not in inputs.missing
    crypto = next(f for f in inputs.fear_greed.indices if f.id == "crypto")
    fng = recorded("alternative_me_fng_limit2.json")["data"]  # type: ignore[index]
    assert crypto.value == float(fng[0]["value"])  # the pane's live reading, not a bundled one
    prints = recorded("futures_fundingRate_BTCUSDT_limit3_2026-09-15.json")
    last = prints[-1]  # type: ignore[index]
    assert inputs.funding[-1].rate == pytest.approx(float(last["fundingRate"]))


async def test_a_source_waiting_past_its_deadline_is_named(server: Server) -> None:
    clock = FakeTime()
    async with live_source(server, clock) as live:
        live.state.started["coingecko"] = clock.wall - 15  # a refresh under way for 15 s
        health = {h.id: h for h in live.snapshot().sources}
    assert health["coingecko"].error == "no answer after 15 s (deadline 10 s)"
    assert not health["coingecko"].ok
