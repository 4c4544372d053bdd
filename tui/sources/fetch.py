"""The HTTP side of every source: a total deadline per request, retries, breakers, redirects.

One `httpx.AsyncClient` is shared. Each request has a total deadline (connect, headers, body,
retries and their waits together) per source, so a server that trickles one byte a second is cut
off at the deadline, which httpx's per-read timeout never does. Redirects are followed by hand:
at most `max_redirects` hops, on the same site only (a redirect elsewhere could carry a key in the
query away), and a loop is named as one. Time, sleeping and jitter are injected so the retry and
breaker logic is tested without waiting.
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from tui.sanitize import register_secret
from tui.sources.errors import SourceError
from tui.sources.policy import (
    CircuitBreaker,
    Retry,
    check_status,
    retry_after_seconds,
    same_site,
    size_text,
    transport_reason,
)

__all__ = ["CircuitBreaker", "Fetcher", "make_client", "retry_after_seconds"]

MAX_BODY_BYTES = 8 * 1024 * 1024
"""Bodies larger than this are refused: no API riskpulse uses sends that much."""
DEFAULT_DEADLINE = 10.0
"""Seconds a request may take in all (connect, headers, body, retries) unless configured."""
USER_AGENT = "riskpulse/0.1 (+terminal market monitor)"
SECRET_PARAMS = frozenset({"api_key", "apikey", "key", "token", "x_cg_demo_api_key"})
"""Query parameters whose values are keys: registered for redaction before any request."""


@dataclass
class Fetcher:
    """GETs with a total deadline, retries (exponential backoff, full jitter, Retry-After) and a
    breaker per source, on one shared `httpx.AsyncClient`.

    Attributes:
        client: The shared client.
        retries: Attempts after the first.
        base_delay: First backoff in seconds; doubles each attempt.
        max_delay: Cap on any wait, Retry-After included.
        sleep: Awaitable sleep (injected in tests).
        jitter: Returns a float in [0, 1) (injected in tests).
        clock: Monotonic seconds for the breakers.
        deadlines: Seconds per source id (config `[sources.<id>] deadline`).
        default_deadline: Seconds for a source without its own deadline.
        max_body: Largest body accepted, in bytes.
        max_redirects: Redirect hops followed before the request is called a loop.
    """

    client: httpx.AsyncClient
    retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: Callable[[], float] = random.random
    clock: Callable[[], float] = time.monotonic
    breakers: dict[str, CircuitBreaker] = field(default_factory=dict)
    deadlines: dict[str, float] = field(default_factory=dict)
    default_deadline: float = DEFAULT_DEADLINE
    max_body: int = MAX_BODY_BYTES
    max_redirects: int = 5

    def breaker(self, key: str) -> CircuitBreaker:
        """The breaker under `key` (a source id, or e.g. `yahoo-backfill`)."""
        if key not in self.breakers:
            self.breakers[key] = CircuitBreaker(clock=self.clock)
        return self.breakers[key]

    def deadline_for(self, source_id: str) -> float:
        """Seconds one request of `source_id` may take in all."""
        return self.deadlines.get(source_id, self.default_deadline)

    @asynccontextmanager
    async def within(self, source_id: str, deadline: float | None = None) -> AsyncIterator[None]:
        """Bound a block of raw client calls by the source's deadline.

        Raises:
            SourceError: When the block is still running at the deadline.
        """
        budget = self.deadline_for(source_id) if deadline is None else deadline
        try:
            async with asyncio.timeout(budget):
                yield
        except TimeoutError:
            raise SourceError(
                source_id, f"no complete answer within its {budget:g} s deadline", retryable=True
            ) from None

    async def get_json(
        self,
        source_id: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        breaker: str | None = None,
        deadline: float | None = None,
    ) -> Any:
        """GET and decode JSON; an HTML page, invalid UTF-8 or a truncated body is a SourceError.

        `NaN`, `Infinity` and numbers that overflow (`1e999`) decode to floats that every parser
        drops through `json_number`; they never reach a pane.
        """
        body, content_type = await self.get_bytes(
            source_id, url, params=params, headers=headers, breaker=breaker, deadline=deadline
        )
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(source_id, f"sent invalid UTF-8 (byte {exc.start})") from None
        if "html" in content_type or text.lstrip()[:1] == "<":
            raise SourceError(source_id, "answered with an HTML page instead of data")
        if not text.strip():
            raise SourceError(source_id, "answered with an empty body")
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(source_id, f"sent malformed JSON ({exc.msg} at {exc.pos})") from None
        except RecursionError:
            raise SourceError(source_id, "sent JSON nested too deeply") from None

    async def get_text(
        self,
        source_id: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        breaker: str | None = None,
        deadline: float | None = None,
    ) -> str:
        """GET a UTF-8 text body (CSV); invalid UTF-8 or an empty body is a SourceError."""
        body, _ = await self.get_bytes(
            source_id, url, params=params, headers=headers, breaker=breaker, deadline=deadline
        )
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(source_id, f"sent invalid UTF-8 (byte {exc.start})") from None
        if not text.strip():
            raise SourceError(source_id, "answered with an empty body")
        return text

    async def get_bytes(
        self,
        source_id: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        breaker: str | None = None,
        deadline: float | None = None,
    ) -> tuple[bytes, str]:
        """GET with retries inside the source's deadline; returns the body and its content type.

        Args:
            source_id: The source named in every error.
            url: The full URL (already rebased).
            params: Query parameters; values of key-like names are registered as secrets.
            headers: Extra request headers.
            breaker: Breaker key when it is not the source's own (backfill uses its own, so a
                failed history fetch never pauses live quotes).
            deadline: Seconds in all, instead of the source's configured deadline.

        Raises:
            SourceError: Naming the source and the reason (deadline, status, redirect, body).
        """
        for name, value in (params or {}).items():
            if name.lower() in SECRET_PARAMS:
                register_secret(value)
        for name, value in (headers or {}).items():
            if any(word in name.lower() for word in ("key", "token", "authorization")):
                register_secret(value)
        circuit = self.breaker(breaker or source_id)
        if not circuit.allow():
            raise SourceError(
                source_id,
                f"paused after {circuit.failures} failures; retrying in {circuit.retry_in():.0f} s",
            )
        budget = self.deadline_for(source_id) if deadline is None else deadline
        loop = asyncio.get_running_loop()
        end = loop.time() + budget
        try:
            async with asyncio.timeout_at(end):
                return await self._attempts(source_id, url, params, headers, circuit, end)
        except TimeoutError:
            circuit.failed()
            raise SourceError(
                source_id, f"no complete answer within its {budget:g} s deadline", retryable=True
            ) from None

    async def _attempts(
        self,
        source_id: str,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        circuit: CircuitBreaker,
        end: float,
    ) -> tuple[bytes, str]:
        loop = asyncio.get_running_loop()
        last: SourceError | None = None
        for attempt in range(self.retries + 1):
            wait: float | None = None
            try:
                body, ctype = await self._once(source_id, url, params, headers)
            except Retry as exc:
                last, wait = exc.error, exc.after
            except SourceError as exc:
                if exc.server_healthy:
                    circuit.succeeded()
                else:
                    circuit.failed()
                raise exc from None
            else:
                circuit.succeeded()
                return body, ctype
            if attempt == self.retries:
                break
            if wait is not None and wait > end - loop.time():
                break  # the server asks for longer than the deadline leaves: say so now
            backoff = min(self.max_delay, self.base_delay * 2**attempt) * self.jitter()
            await self.sleep(min(self.max_delay, wait) if wait is not None else backoff)
        circuit.failed()
        assert last is not None
        raise last

    @asynccontextmanager
    async def _final(
        self,
        source_id: str,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
    ) -> AsyncIterator[httpx.Response]:
        """The response after same-site redirects, its body not read yet.

        Raises:
            Retry: On a timeout or a transport failure.
            SourceError: On a redirect loop, an off-host redirect or an undecodable body.
        """
        hdrs = {"User-Agent": USER_AGENT, **(headers or {})}
        target = httpx.URL(url)
        origin, query = target.host, params
        try:
            for _hop in range(self.max_redirects + 1):
                async with self.client.stream(
                    "GET", target, params=query, headers=hdrs, follow_redirects=False
                ) as resp:
                    if not resp.is_redirect:
                        yield resp
                        return
                    target = resp.url.join(resp.headers["location"])
                    if not same_site(target.host, origin):
                        raise SourceError(
                            source_id, f"redirected off-host to {target.host}; not followed"
                        )
                    query = None
        except httpx.TimeoutException:
            raise Retry(SourceError(source_id, "timed out", retryable=True), None) from None
        except httpx.TooManyRedirects:
            raise SourceError(source_id, "redirect loop") from None
        except httpx.DecodingError:
            raise SourceError(source_id, "bad body encoding (could not decode it)") from None
        except httpx.InvalidURL:
            raise SourceError(source_id, "redirected to an invalid URL") from None
        except httpx.TransportError as exc:
            error = SourceError(source_id, transport_reason(exc), retryable=True)
            raise Retry(error, None) from None
        raise SourceError(source_id, f"redirect loop (more than {self.max_redirects} redirects)")

    async def _once(
        self,
        source_id: str,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
    ) -> tuple[bytes, str]:
        async with self._final(source_id, url, params, headers) as resp:
            check_status(source_id, resp)
            return await self._read(source_id, resp, self.max_body)

    async def get_page(
        self,
        source_id: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        cap: int = 64 * 1024,
    ) -> tuple[int, str, httpx.Headers]:
        """One GET, any status, inside the source's deadline: for handshakes such as Yahoo's
        cookie and crumb, where the status is part of the answer. No retries, no breaker.

        Returns:
            The status, the body as strict UTF-8 text (at most `cap` bytes), and the headers.

        Raises:
            SourceError: On the deadline, a transport failure, a redirect loop or off-host
                redirect, a body over `cap`, a bad gzip body or invalid UTF-8.
        """
        try:
            async with self.within(source_id), self._final(source_id, url, None, headers) as resp:
                body, _ = await self._read(source_id, resp, cap)
                status, got = resp.status_code, resp.headers
        except Retry as exc:
            raise exc.error from None
        try:
            return status, body.decode("utf-8"), got
        except UnicodeDecodeError as exc:
            raise SourceError(source_id, f"sent invalid UTF-8 (byte {exc.start})") from None

    @staticmethod
    async def _read(source_id: str, resp: httpx.Response, cap: int) -> tuple[bytes, str]:
        length = resp.headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            raise SourceError(source_id, f"sent a body over the {size_text(cap)} cap")
        chunks, size = [], 0
        try:
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    raise SourceError(source_id, f"sent a body over the {size_text(cap)} cap")
                chunks.append(chunk)
        except httpx.DecodingError:
            encoding = resp.headers.get("content-encoding", "compressed")
            raise SourceError(source_id, f"bad {encoding} body (could not decode it)") from None
        return b"".join(chunks), resp.headers.get("content-type", "")


@functools.cache
def _tls() -> ssl.SSLContext:
    """One verifying TLS context (certifi's roots, as httpx's default): building one costs about
    0.1 s, so every client shares it."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def make_client(
    timeout: float = 10.0, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The one client all sources share: bounded timeouts and connection pool."""
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        follow_redirects=True,
        verify=_tls(),
    )
