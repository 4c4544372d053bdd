"""A total deadline per request: a server that trickles a byte a second is cut off in time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.loopback import Server, serving
from tui.sources import coingecko
from tui.sources.base import Fetcher, SourceError, make_client


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as srv:
        yield srv


async def test_trickle_ends_at_the_deadline_naming_the_source(server: Server) -> None:
    server.faults["coingecko"] = "trickle"
    async with make_client(timeout=5.0) as client:
        fetcher = Fetcher(client, deadlines={"coingecko": 0.6})
        start = time.monotonic()
        with pytest.raises(SourceError) as caught:
            await coingecko.fetch(fetcher, server.url)
        took = time.monotonic() - start
    assert caught.value.source_id == "coingecko"
    assert "0.6 s deadline" in caught.value.reason
    assert took < 1.5  # the per-read timeout (5 s) never fired: the deadline did


async def test_retries_and_waits_stay_inside_the_deadline(server: Server) -> None:
    server.faults["coingecko"] = "hang"
    async with make_client(timeout=0.2) as client:
        fetcher = Fetcher(client, retries=5, base_delay=0.2, default_deadline=0.5)
        start = time.monotonic()
        with pytest.raises(SourceError, match=r"deadline|timed out"):
            await coingecko.fetch(fetcher, server.url)
        assert time.monotonic() - start < 1.2


async def test_retry_after_longer_than_the_deadline_is_reported_at_once() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "99999999999"})

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    fetcher = Fetcher(client, sleep=sleep, default_deadline=5.0)
    with pytest.raises(SourceError, match=r"rate-limited \(429\), asked to wait over a day"):
        await fetcher.get_bytes("cnn", "http://x.test/")
    assert slept == []
    await client.aclose()


async def test_backfill_breaker_is_apart_from_the_live_one() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500)

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    fetcher = Fetcher(client, retries=0, sleep=sleep)
    from tui.sources import yahoo

    for _ in range(5):
        with pytest.raises(SourceError):
            await yahoo.fetch_chart(fetcher, "GC=F", "http://x.test")
    assert not fetcher.breaker("yahoo-backfill").allow()
    assert fetcher.breaker("yahoo").allow()  # live quotes are not paused by a failed backfill
    await client.aclose()
