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
import json
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.sanitize import register_secret
from tui.sources.errors import SourceError
from tui.sources.policy import (
    CircuitBreaker,
    Retry,
    check_status,
    retry_after_seconds,
)
from tui.sources.transport import (
    DEFAULT_DEADLINE,
    MAX_BODY_BYTES,
    SECRET_PARAMS,
    USER_AGENT,
    Transport,
    make_client,
)

__all__ = [
    "DEFAULT_DEADLINE",
    "MAX_BODY_BYTES",
    "USER_AGENT",
    "CircuitBreaker",
    "Fetcher",
    "make_client",
    "retry_after_seconds",
]


@dataclass
class Fetcher(Transport):
    """GETs with a total deadline, retries (exponential backoff, full jitter, Retry-After) and a
    breaker per source, on one shared `httpx.AsyncClient`.

    Attributes:
        retries: Attempts after the first.
        base_delay: First backoff in seconds; doubles each attempt.
        max_delay: Cap on any wait, Retry-After included.
        sleep: Awaitable sleep (injected in tests).
        jitter: Returns a float in [0, 1) (injected in tests).
        clock: Monotonic seconds for the breakers.

    The deadline, redirect and size settings are `Transport`'s (keyword-only).
    """

    retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: Callable[[], float] = random.random
    clock: Callable[[], float] = time.monotonic
    breakers: dict[str, CircuitBreaker] = field(default_factory=dict)

    def breaker(self, key: str) -> CircuitBreaker:
        """The breaker under `key` (a source id, or e.g. `yahoo-backfill`)."""
        if key not in self.breakers:
            self.breakers[key] = CircuitBreaker(clock=self.clock)
        return self.breakers[key]

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
        drops (`tui.sources.numbers`); they never reach a pane.
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
