"""What every live source shares: base-URL overrides, one HTTP client, retries, a circuit breaker.

Sources never touch widgets: they return parsed data or raise `SourceError` with a one-line reason
that the pane shows next to the age of its last good data. Time, sleeping and jitter are injected
so the retry and breaker logic is tested without waiting.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

MAX_BODY_BYTES = 8 * 1024 * 1024
"""Bodies larger than this are refused: no API riskpulse uses sends that much."""
USER_AGENT = "riskpulse/0.1 (+terminal market monitor)"


class SourceError(Exception):
    """A source failed; `reason` is one line for the pane and the snapshot."""

    def __init__(
        self,
        source_id: str,
        reason: str,
        *,
        retryable: bool = False,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(f"{source_id}: {reason}")
        self.source_id = source_id
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        """Seconds the server asked to wait (Retry-After), when it said."""
        self.status = status
        """The HTTP status behind the failure, when there was one."""

    @property
    def server_healthy(self) -> bool:
        """True for a refusal of one request (404, 400…): the server itself answered fine, so
        the circuit breaker does not count it. Rate limits and geo-blocks do count."""
        return (
            self.status is not None
            and 400 <= self.status < 500
            and self.status
            not in (
                429,
                451,
            )
        )


def env_name(source_id: str, suffix: str) -> str:
    """`RISKPULSE_<ID>_<SUFFIX>` for a source id (`alternative_me` → `ALTERNATIVE_ME`)."""
    return f"RISKPULSE_{source_id.upper()}_{suffix}"


def base_url(
    source_id: str,
    default: str,
    configured: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The base URL in force: env `RISKPULSE_<ID>_URL`, then config, then the API's own."""
    env = os.environ if environ is None else environ
    return env.get(env_name(source_id, "URL")) or configured or default


def rebase(url: str, base: str) -> str:
    """Replace scheme, host and port of `url` with those of `base`; keep path and query.

    Args:
        url: The API's own URL (`https://api.alternative.me/fng/?limit=2`).
        base: Where to send it instead (`http://127.0.0.1:8080`).

    Returns:
        The rebased URL (`http://127.0.0.1:8080/fng/?limit=2`).
    """
    target, origin = urlsplit(url), urlsplit(base)
    if not origin.scheme or not origin.netloc:
        return url
    return urlunsplit((origin.scheme, origin.netloc, target.path, target.query, target.fragment))


@dataclass
class CircuitBreaker:
    """Stops calling a source after repeated failures, then lets one trial call through.

    Attributes:
        threshold: Consecutive failures that open the circuit.
        cooldown: Seconds the circuit stays open before a trial call.
        clock: Monotonic seconds (injected in tests).
    """

    threshold: int = 3
    cooldown: float = 60.0
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    opened_at: float | None = None

    def allow(self) -> bool:
        """May a call go out now?"""
        if self.opened_at is None:
            return True
        return self.clock() - self.opened_at >= self.cooldown

    def succeeded(self) -> None:
        """A call worked: close the circuit."""
        self.failures = 0
        self.opened_at = None

    def failed(self) -> None:
        """A call failed: count it, and open (or re-open) the circuit at the threshold."""
        self.failures += 1
        if self.failures >= self.threshold:
            self.opened_at = self.clock()

    def retry_in(self) -> float:
        """Seconds until the next trial call (0 when closed)."""
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.cooldown - (self.clock() - self.opened_at))


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header: delta seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class Fetcher:
    """GETs with timeouts, retries (exponential backoff, full jitter, Retry-After) and a
    breaker per source, on one shared `httpx.AsyncClient`.

    Attributes:
        client: The shared client.
        retries: Attempts after the first.
        base_delay: First backoff in seconds; doubles each attempt.
        max_delay: Cap on any wait, Retry-After included.
        sleep: Awaitable sleep (injected in tests).
        jitter: Returns a float in [0, 1) (injected in tests).
        clock: Monotonic seconds for the breakers.
    """

    client: httpx.AsyncClient
    retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: Callable[[], float] = random.random
    clock: Callable[[], float] = time.monotonic
    breakers: dict[str, CircuitBreaker] = field(default_factory=dict)

    def breaker(self, source_id: str) -> CircuitBreaker:
        """The breaker of one source."""
        if source_id not in self.breakers:
            self.breakers[source_id] = CircuitBreaker(clock=self.clock)
        return self.breakers[source_id]

    async def get_json(
        self,
        source_id: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """GET and decode JSON; an HTML page or a truncated body is a SourceError."""
        body, content_type = await self.get_bytes(source_id, url, params=params, headers=headers)
        text = body.decode("utf-8", errors="replace")
        if "html" in content_type or text.lstrip()[:1] == "<":
            raise SourceError(source_id, "answered with an HTML page instead of data")
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(source_id, f"sent malformed JSON ({exc.msg} at {exc.pos})") from None

    async def get_bytes(
        self,
        source_id: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[bytes, str]:
        """GET with retries; returns the body and its content type."""
        breaker = self.breaker(source_id)
        if not breaker.allow():
            raise SourceError(
                source_id,
                f"paused after {breaker.failures} failures; retrying in {breaker.retry_in():.0f} s",
            )
        last: SourceError | None = None
        for attempt in range(self.retries + 1):
            wait: float | None = None
            try:
                body, ctype = await self._once(source_id, url, params, headers)
            except _Retry as exc:
                last, wait = exc.error, exc.after
            except SourceError as exc:
                if exc.server_healthy:
                    breaker.succeeded()
                else:
                    breaker.failed()
                raise exc from None
            else:
                breaker.succeeded()
                return body, ctype
            if attempt == self.retries:
                break
            backoff = min(self.max_delay, self.base_delay * 2**attempt) * self.jitter()
            await self.sleep(min(self.max_delay, wait) if wait is not None else backoff)
        breaker.failed()
        assert last is not None
        raise last

    async def _once(
        self,
        source_id: str,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
    ) -> tuple[bytes, str]:
        hdrs = {"User-Agent": USER_AGENT, **(headers or {})}
        try:
            async with self.client.stream("GET", url, params=params, headers=hdrs) as resp:
                if resp.status_code == 429 or resp.status_code >= 500:
                    after = retry_after_seconds(resp.headers.get("Retry-After"))
                    reason = (
                        "rate-limited (429)"
                        if resp.status_code == 429
                        else f"server error {resp.status_code}"
                    )
                    if after is not None:
                        reason += f", asked to wait {after:.0f} s"
                    error = SourceError(source_id, reason, retryable=True, retry_after=after)
                    raise _Retry(error, after)
                if resp.status_code == 451:
                    raise SourceError(
                        source_id, "not available from this location (HTTP 451)", status=451
                    )
                if resp.status_code >= 400:
                    raise SourceError(
                        source_id,
                        f"refused the request ({resp.status_code})",
                        status=resp.status_code,
                    )
                chunks, size = [], 0
                async for chunk in resp.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_BODY_BYTES:
                        raise SourceError(source_id, f"sent more than {MAX_BODY_BYTES} bytes")
                    chunks.append(chunk)
                return b"".join(chunks), resp.headers.get("content-type", "")
        except httpx.TimeoutException:
            raise _Retry(SourceError(source_id, "timed out", retryable=True), None) from None
        except httpx.TransportError as exc:
            kind = type(exc).__name__
            raise _Retry(
                SourceError(source_id, f"network error ({kind})", retryable=True), None
            ) from None


class _Retry(Exception):
    def __init__(self, error: SourceError, after: float | None) -> None:
        super().__init__(error.reason)
        self.error = error
        self.after = after


def make_client(
    timeout: float = 10.0, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The one client all sources share: bounded timeouts and connection pool."""
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        follow_redirects=True,
    )
