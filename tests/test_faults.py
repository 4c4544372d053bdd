"""The fault matrix: every source × every hostile network fault, at the adapter + fetcher level.

Each case runs the source's real fetch against the loopback server (or, for a refused connection
and a DNS failure, a closed port and an httpx transport that fails the way an unresolvable
`.invalid` host does — no real lookup), with a short deadline and an injected sleep, and checks:
no exception but `SourceError`, the error names the source, its reason is the right one. Retyped
values leave nothing non-finite; non-finite numbers (`NaN` is missing; `Infinity`, `1e999`) are
passed on as read to the reading gate, which decides per instrument and names the fault. A last
case shows the live source recovering on the next refresh.
"""

from __future__ import annotations

import math
import re
import socket
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from tests.hostile import HOSTILE_FAULTS
from tests.loopback import Server, serving
from tui.sources import (
    alternative_me,
    binance,
    cboe,
    cnn,
    coingecko,
    fred,
    news,
    prediction_markets,
    stooq,
    yahoo,
)
from tui.sources.base import Fetcher, SourceError, make_client

DEADLINE = 0.6
"""Seconds per request in the matrix: hangs and trickles end here."""
STOOQ_DAY = date(2026, 2, 10)
"""A day the recorded Stooq CSV covers."""

Call = Callable[[Fetcher, str], Awaitable[Any]]
SOURCES: dict[str, Call] = {
    "yahoo": lambda f, b: yahoo.YahooSession(f, b).quotes(["GC=F"]),
    "stooq": lambda f, b: stooq.fetch_daily(f, "spy.us", STOOQ_DAY, b),
    "cboe": lambda f, b: cboe.fetch_european(f, b),
    "coingecko": lambda f, b: coingecko.fetch(f, b),
    "binance": lambda f, b: binance.fetch_tickers(f, b),
    "alternative_me": lambda f, b: alternative_me.fetch(f, b),
    "cnn": lambda f, b: cnn.fetch(f, b),
    "fred": lambda f, b: fred.fetch_graph(f, b, series=("SOFR", "DGS10")),
    "kalshi": lambda f, b: prediction_markets.fetch_kalshi(f, b),
    "polymarket": lambda f, b: prediction_markets.fetch_polymarket(f, b),
    "news": lambda f, b: news.fetch_feed(f, news.FED_PRESS, "Federal Reserve", b),
}
SHAPE = (
    r"shape|no readable|none of|no valid|instead of|not an RSS|without a date|no fear"
    r"|no data|no series|held no|no .*score|malformed|readable"
)
REASONS: dict[str, str] = {
    "refused": r"connection refused",
    "dns": r"host not found \(DNS lookup failed\)",
    "hang": r"no complete answer within its 0\.6 s deadline",
    "trickle": r"no complete answer within its 0\.6 s deadline",
    "429": r"rate-limited \(429\)",
    "429-retry-after": r"rate-limited \(429\).*asked to wait 2 s",
    "429-retry-date": r"rate-limited \(429\).*asked to wait over a day",
    "429-retry-huge": r"rate-limited \(429\).*asked to wait over a day",
    "500": r"server error 500",
    "502": r"server error 502",
    "503": r"server error 503",
    "html": r"HTML page",
    "truncated": r"malformed JSON|truncated|older than",
    "cut": r"connection closed mid-answer \(truncated body\)",
    "empty": r"empty body",
    "wrong-types": SHAPE,
    "non-finite": SHAPE + r"|outside 0–100",
    "50mb": r"sent a body over the \d+ [MK]B cap",
    "redirect-loop": r"redirect loop",
    "redirect-off-host": r"redirected off-host to elsewhere\.invalid; not followed",
    "bad-gzip": r"bad gzip body",
    "bad-utf8": r"invalid UTF-8|not valid utf-8|malformed JSON",
    "proof-of-work": r"HTML page",
}
"""The right reason per fault; a source may word it more precisely (below)."""
PRECISE: dict[tuple[str, str], str] = {
    ("stooq", "proof-of-work"): r"proof-of-work page \(a browser check\), not data",
    ("stooq", "truncated"): r"truncated CSV",
    ("fred", "truncated"): r"truncated CSV",
    ("news", "truncated"): r"truncated feed",
}
FAULTS = ("refused", "dns", *(f for f in HOSTILE_FAULTS if f != "inject"))


class NoSleep:
    """Injected sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def unresolvable(request: httpx.Request) -> httpx.Response:
    """What httpx raises for a host that does not resolve (`riskpulse.invalid`)."""
    raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def numbers(value: Any) -> Iterator[float]:
    if isinstance(value, float):
        yield value
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from numbers(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from numbers(item)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serving() as srv:
        yield srv


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("source", sorted(SOURCES))
async def test_fault_is_named_with_its_reason(server: Server, source: str, fault: str) -> None:
    transport: httpx.AsyncBaseTransport | None = None
    base = server.url
    if fault == "refused":
        base = closed_port()
    elif fault == "dns":
        base, transport = "http://riskpulse.invalid", httpx.MockTransport(unresolvable)
    else:
        server.faults[source] = fault
    sleep = NoSleep()
    async with make_client(timeout=5.0, transport=transport) as client:
        fetcher = Fetcher(client, retries=1, sleep=sleep, default_deadline=DEADLINE)
        error: SourceError | None = None
        try:
            result = await SOURCES[source](fetcher, base)
        except SourceError as exc:
            result, error = None, exc
        finally:
            server.faults.pop(source, None)
    if fault != "non-finite":  # non-finite values go on to the reading gate, which names them
        assert all(math.isfinite(n) for n in numbers(result))
    if error is None:
        assert fault in ("non-finite", "wrong-types"), f"{source}/{fault} was taken as data"
        return
    assert error.source_id == source and str(error).startswith(f"{source}: ")
    wanted = PRECISE.get((source, fault), REASONS[fault])
    assert re.search(wanted, error.reason), f"{source}/{fault}: {error.reason!r}"
    assert "\n" not in error.reason and "unexpected" not in error.reason
    assert all(wait <= 30 for wait in sleep.waits)  # a huge Retry-After is never slept


async def test_the_live_source_names_the_fault_and_recovers(server: Server) -> None:
    from tui.sources import SOURCE_IDS
    from tui.sources.live import LiveSource

    async with make_client(timeout=5.0) as client:
        fetcher = Fetcher(client, retries=0, sleep=NoSleep(), default_deadline=DEADLINE)
        live = LiveSource(fetcher, urls={s: server.url for s in SOURCE_IDS})
        server.faults["coingecko"] = "trickle"
        server.faults["binance"] = "trickle"
        assert not await live.refresh("coingecko")
        health = {h.id: h for h in live.snapshot().sources}
        assert health["coingecko"].error is not None and "deadline" in health["coingecko"].error
        btc = live.quote("btc")
        assert btc.price is None or (math.isfinite(btc.price) and btc.price > 0)
        server.faults.clear()
        assert await live.refresh("coingecko")
        assert live.snapshot().sources and live.quote("btc").price == pytest.approx(
            live.quote("btc").price
        )
        assert {h.id: h for h in live.snapshot().sources}["coingecko"].error is None


async def test_a_failed_backfill_never_pauses_live_quotes(server: Server, tmp_path: Any) -> None:
    """The cause of the once-flaky `test_live_faults_are_shown_and_the_next_refresh_recovers`:
    a backfill failing on every chart used to open Yahoo's breaker for a minute."""
    from tui.sources import SOURCE_IDS
    from tui.sources.live import LiveSource
    from tui.store import Store

    store = Store(tmp_path / "c.sqlite3")
    async with make_client(timeout=5.0) as client:
        fetcher = Fetcher(client, retries=0, sleep=NoSleep(), default_deadline=DEADLINE)
        live = LiveSource(fetcher, urls={s: server.url for s in SOURCE_IDS}, store=store)
        server.faults["yahoo"] = "500"
        server.faults["binance"] = "500"
        assert await live.backfill() is not None  # it says what it could not fill
        server.faults.clear()
        assert fetcher.breaker("yahoo").allow() and fetcher.breaker("yahoo").failures == 0
        assert fetcher.breaker("binance").allow()
        assert not fetcher.breaker("yahoo-backfill").allow()  # the backfill's own breaker
        assert await live.refresh("yahoo")
    store.close()


async def test_a_refresh_of_every_source_ends_within_four_deadlines(server: Server) -> None:
    """The README's bound: whatever the servers do, a full refresh ends within four deadlines."""
    import time

    from tui.sources import SOURCE_IDS
    from tui.sources.live import LiveSource

    for sid in (*SOURCE_IDS, "cboe"):
        server.faults[sid] = "trickle"
    async with make_client(timeout=5.0) as client:
        fetcher = Fetcher(client, retries=2, sleep=NoSleep(), default_deadline=DEADLINE)
        live = LiveSource(fetcher, urls={s: server.url for s in SOURCE_IDS})
        start = time.monotonic()
        results = await live.refresh_all()
        took = time.monotonic() - start
    server.faults.clear()
    assert not any(results.values())
    assert took < 4 * DEADLINE + 0.5, took
    errors = {h.id: h.error for h in live.snapshot().sources if h.error}
    assert all("deadline" in e for e in errors.values()), errors
