"""Sources that lie with a 200: Stooq's pages named as errors, stale closes refused; Cboe's
delayed quotes read from the recording (European) and from the documented shape (US)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.loopback import CBOE_VIX_SHAPE
from tui.sources import cboe, stooq
from tui.sources.base import Fetcher, SourceError

FIXTURES = Path(__file__).parent / "fixtures"
STOOQ_CSV = (FIXTURES / "daily_spy.us_i=d_2018-02-26_to_2026-02-09.csv").read_bytes()
VIX_SHAPE = CBOE_VIX_SHAPE


def fetcher(handler: httpx.MockTransport) -> Fetcher:
    return Fetcher(httpx.AsyncClient(transport=handler), retries=0)


async def test_stooq_close_older_than_the_range_asked_is_an_error() -> None:
    f = fetcher(httpx.MockTransport(lambda r: httpx.Response(200, content=STOOQ_CSV)))
    rows = await stooq.fetch_daily(f, "spy.us", date(2026, 2, 10))
    assert rows[-1] == ("2026-02-09", float(STOOQ_CSV.decode().splitlines()[-1].split(",")[4]))
    assert all(day >= "2026-01-27" for day, _ in rows)
    with pytest.raises(SourceError, match="newest close is from 2026-02-09, older than"):
        await stooq.fetch_daily(f, "spy.us", date(2026, 10, 6))
    half = STOOQ_CSV[: STOOQ_CSV.index(b"\n2022-01-03") + 1]  # cut at a line end, years ago
    g = fetcher(httpx.MockTransport(lambda r: httpx.Response(200, content=half)))
    with pytest.raises(SourceError, match="older than"):
        await stooq.fetch_daily(g, "spy.us", date(2026, 2, 10))


async def test_stooq_key_goes_in_the_query_and_never_in_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []

    def echo(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, text=f"Unknown key {request.url.params['apikey']}")  # echo

    monkeypatch.setenv("RISKPULSE_STOOQ_KEY", "k" * 32)
    with pytest.raises(SourceError) as caught:
        await stooq.fetch_daily(fetcher(httpx.MockTransport(echo)), "^spx", date(2026, 2, 10))
    assert "apikey=" + "k" * 32 in seen[0]
    assert "k" * 32 not in str(caught.value) and "***" in str(caught.value)


async def test_cboe_us_quotes_from_the_documented_shape() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/_VIX.json"):
            return httpx.Response(200, json=VIX_SHAPE)
        return httpx.Response(403, text="Forbidden")

    f = fetcher(httpx.MockTransport(handler))
    quotes = await cboe.fetch_us(f, asked=date(2026, 8, 12))
    assert set(quotes) == {"vix"}
    vix = quotes["vix"]
    assert vix.price == 14.55 and vix.day == date(2026, 8, 12) and not vix.stale
    later = await cboe.fetch_us(f, asset_ids=("vix",), asked=date(2026, 8, 13))
    assert later["vix"].stale  # a reading older than the day asked for is never current
    with pytest.raises(SourceError, match=r"refused the request \(403\)"):
        await cboe.fetch_us(f, asset_ids=("sp500",))


def test_cboe_missing_levels_are_no_reading() -> None:
    data = json.loads(json.dumps(VIX_SHAPE))
    data["data"]["current_price"] = None  # 0 or Infinity go on to the reading gate
    with pytest.raises(SourceError, match="no readable quote"):
        cboe.parse_quote(data)
    with pytest.raises(SourceError, match="unexpected response shape"):
        cboe.parse_european({"data": {"not": "a list"}})


def test_stooq_key_in_force_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKPULSE_STOOQ_KEY", "s" * 32)
    assert stooq.key_in_force() == "s" * 32
