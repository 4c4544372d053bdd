"""The reading gate: recorded responses altered in the one field under test, through the live
path, and the bundled files through replay. Each test asserts the value that must be shown."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, date, datetime

import httpx
import pytest

from tests.conftest import csv_rows
from tests.loopback import FIXTURES
from tui.assets import BY_ID, EXTRA_ROWS, Row
from tui.gate import admit, problem
from tui.readings import Reading
from tui.snapshot_output import dumps, snapshot_json
from tui.sources import SOURCE_IDS
from tui.sources.base import Fetcher, make_client
from tui.sources.live import LiveSource
from tui.sources.replay import ReplaySource

NOW = datetime(2026, 4, 27, 12, 0, tzinfo=UTC).timestamp()
"""The day the CoinGecko markets response was recorded."""
MARKETS = "coins_markets_bitcoin,ethereum,solana_usd_pcp_all_2026-04-27.json"


def recorded(name: str) -> str:
    return (FIXTURES / name).read_text()


def altered(name: str, edit: Callable[[list[dict[str, object]]], None]) -> str:
    rows = json.loads(recorded(name))
    edit(rows)
    # json.dumps writes Infinity/NaN tokens as CoinGecko's faulty replies did.
    return json.dumps(rows)


def live_on(bodies: dict[str, str]) -> tuple[LiveSource, httpx.AsyncClient]:
    """A live source whose HTTP answers are `bodies[path]` (404 otherwise)."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = bodies.get(request.url.path)
        if body is None:
            return httpx.Response(404, text="not found")
        return httpx.Response(200, text=body, headers={"content-type": "application/json"})

    client = make_client(timeout=1.0, transport=httpx.MockTransport(answer))

    async def no_sleep(_: float) -> None:
        return None

    fetcher = Fetcher(client, retries=0, sleep=no_sleep, jitter=lambda: 1.0)
    urls = {s: "http://recorded.test" for s in SOURCE_IDS}
    return LiveSource(fetcher, urls=urls, clock=lambda: NOW), client


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (math.inf, "sent a non-finite price"),
        (0, "sent a price of 0, which this market cannot trade at"),
        (-5.0, "sent a price of -5, which this market cannot trade at"),
    ],
)
async def test_a_bad_price_is_no_reading_and_the_last_good_one_stays(
    value: float, why: str
) -> None:
    good = recorded(MARKETS)
    bad = altered(MARKETS, lambda rows: rows[0].__setitem__("current_price", value))
    path = "/api/v3/coins/markets"
    bodies = {path: good}
    live, client = live_on(bodies)
    try:
        assert await live.refresh("coingecko")
        first = live.quote("btc")
        assert first.price == json.loads(good)[0]["current_price"] and not first.stale
        bodies[path] = bad
        assert not await live.refresh("coingecko")  # the source counts as failing
        btc = live.quote("btc")
        assert btc.price == first.price  # the last good value, never inf or 0
        assert btc.stale and btc.stale_reason == f"coingecko: {why}"
        health = {h.id: h for h in live.snapshot().sources}
        assert health["coingecko"].error == f"btc: {why}"
        assert live.quote("eth").price == json.loads(good)[1]["current_price"]
        text = dumps(snapshot_json(live.snapshot()))  # strict JSON: no Infinity token
        assert "Infinity" not in text and "NaN" not in text
    finally:
        await client.aclose()


async def test_a_change_of_minus_100_percent_or_one_that_disagrees_is_no_reading() -> None:
    row = BY_ID["btc"]

    def reading(change: float, pct: float) -> Reading:
        return Reading(80_000.0, change, pct, date(2026, 4, 27), None, "coingecko", NOW)

    assert problem(row, reading(-80_000.0, -100.0)) == "sent a change of -100%"
    # price 80,000 after +1,000 is +1.2658%; a source saying +5% contradicts itself
    why = problem(row, reading(1_000.0, 5.0))
    assert why is not None and "disagrees with price − previous close (+1.27%)" in why
    assert problem(row, reading(1_000.0, 1.2658)) is None


def test_oil_below_zero_is_a_reading_an_index_at_zero_is_not() -> None:
    wti, sp = BY_ID["wti"], BY_ID["sp500"]
    day = date(2020, 4, 20)
    negative = Reading(-37.63, -55.9, None, day, None, "replay", 0.0)
    assert admit(wti, negative).reading is negative
    assert admit(sp, Reading(0.0, None, None, day, None, "replay", 0.0)).rejected


def test_an_older_reading_never_replaces_a_newer_one() -> None:
    row = BY_ID["gold"]
    new = Reading(4000.0, 10.0, 0.25, date(2026, 1, 30), None, "yahoo", 10.0)
    old = Reading(3900.0, 5.0, 0.13, date(2026, 1, 29), None, "stooq", 20.0)
    verdict = admit(row, old, held=new)
    assert verdict.reading is new and verdict.older and verdict.rejected is None


async def test_a_repeated_funding_settlement_counts_once() -> None:
    prints = json.loads(recorded("futures_fundingRate_BTCUSDT_limit3_2026-09-15.json"))
    last = prints[-1]
    repeated = json.dumps([*prints[-2:-1], last, last])  # the last settlement sent twice
    live, client = live_on({"/fapi/v1/fundingRate": repeated})
    try:
        await live.refresh("binance")
        funding = live.quote("btc_funding")
        assert funding.price == pytest.approx(float(last["fundingRate"]) * 100)
        # The change is from the settlement before, not from its own repeat (which would be 0).
        before = float(prints[-2]["fundingRate"]) * 100
        assert funding.change == pytest.approx(float(last["fundingRate"]) * 100 - before)
    finally:
        await client.aclose()


def test_wti_below_zero_is_shown_with_its_change_in_dollars_and_no_percent() -> None:
    rows = {r["date"][:10]: r for r in csv_rows("wti")}
    q = ReplaySource().quote("wti", date(2020, 4, 21))
    assert q.price == float(rows["2020-04-21"]["close"])
    assert q.change == pytest.approx(
        float(rows["2020-04-21"]["close"]) - float(rows["2020-04-20"]["close"])
    )
    assert q.change_pct is None  # from a base at or below zero a percent change is undefined
    assert q.change == pytest.approx(47.64, abs=0.005)


def test_an_ended_series_is_stale_from_the_first_day_after() -> None:
    source = ReplaySource()
    series = source.history.series("shanghai")
    last = series.last
    assert last is not None
    on_last = source.quote("shanghai", last)
    assert not on_last.stale
    nxt = date.fromordinal(last.toordinal() + 1)
    while nxt.weekday() >= 5:
        nxt = date.fromordinal(nxt.toordinal() + 1)
    after = source.quote("shanghai", nxt)
    assert after.stale and after.stale_reason == f"bundled data end {last.isoformat()}"
    assert after.price == on_last.price and after.as_of == last


def test_replay_sparkline_and_52_week_high_follow_their_definitions() -> None:
    day = date(2025, 11, 20)
    rows = [r for r in csv_rows("nasdaq100") if r["close"].strip()]
    dated = [(date.fromisoformat(r["date"][:10]), float(r["close"])) for r in rows]
    q = ReplaySource().quote("nasdaq100", day)
    upto = [v for d, v in dated if d <= day]
    assert q.spark == tuple(upto[-5:])  # five closes, the day's own last
    year = [v for d, v in dated if 0 <= (day - d).days < 365]
    assert q.from_high_pct == pytest.approx((upto[-1] / max(year) - 1) * 100)


def test_every_pane_row_has_a_precision() -> None:
    rows: list[Row] = [*BY_ID.values(), *EXTRA_ROWS.values()]
    for row in rows:
        assert 0 <= row.decimals <= 6


def test_a_split_between_bundled_and_live_history_is_put_on_one_basis() -> None:
    from tui.history import Series, merge_histories
    from tui.sources.yahoo import parse_chart

    live = parse_chart(json.loads(recorded("chart_v8_AAPL_1d_2020-08-31_2020-11-07_split.json")))
    assert len(live) > 20
    # The bundled history on the pre-split basis (4-for-1 on 2020-08-31), altered only so,
    # holding the first 15 days; the live history holds them all.
    early = live[:15]
    bundled = Series("aapl", tuple(d for d, _ in early), tuple(v * 4 for _, v in early))
    merged = merge_histories(bundled, live)
    assert merged.dates == tuple(d for d, _ in live)
    assert merged.values == pytest.approx([v for _, v in live])  # no fake −75% day
    # Histories that agree are merged as they are, the bundled value winning where both hold.
    same = Series("aapl", bundled.dates, tuple(v for _, v in early))
    assert merge_histories(same, live).values == pytest.approx([v for _, v in live])
