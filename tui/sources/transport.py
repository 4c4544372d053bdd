"""The plain HTTP layer under `Fetcher`: a deadline per source, same-site redirects followed by
hand, a body-size cap, and every failure worded as a `SourceError` (or a `Retry` for the fetcher).

`Transport.get_page` serves handshakes where the status is part of the answer (Yahoo's cookie and
crumb); `Fetcher` adds retries, backoff and breakers for data requests.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

from tui.sources.errors import SourceError
from tui.sources.policy import Retry, same_site, size_text, transport_reason

MAX_BODY_BYTES = 8 * 1024 * 1024
"""Bodies larger than this are refused: no API riskpulse uses sends that much."""
DEFAULT_DEADLINE = 10.0
"""Seconds a request may take in all (connect, headers, body, retries) unless configured."""
USER_AGENT = "riskpulse/0.1 (+terminal market monitor)"
SECRET_PARAMS = frozenset({"api_key", "apikey", "key", "token", "x_cg_demo_api_key"})
"""Query parameters whose values are keys: registered for redaction before any request."""


@dataclass
class Transport:
    """One shared `httpx.AsyncClient` with riskpulse's limits.

    Attributes:
        client: The shared client.
        deadlines: Seconds per source id (config `[sources.<id>] deadline`).
        default_deadline: Seconds for a source without its own deadline.
        max_body: Largest body accepted, in bytes.
        max_redirects: Redirect hops followed before the request is called a loop.
    """

    client: httpx.AsyncClient
    deadlines: dict[str, float] = field(default_factory=dict, kw_only=True)
    default_deadline: float = field(default=DEFAULT_DEADLINE, kw_only=True)
    max_body: int = field(default=MAX_BODY_BYTES, kw_only=True)
    max_redirects: int = field(default=5, kw_only=True)

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
