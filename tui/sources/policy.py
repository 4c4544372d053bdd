"""What the fetcher decides without doing I/O: the breaker, Retry-After, which redirects to
follow, and how each HTTP status and transport failure is worded.

Every wording names the failure the way a user would look for it: "connection refused", "host
not found (DNS lookup failed)", "redirect loop", "bad gzip body", "rate-limited (429), asked to
wait 2 s" — never an exception's class name alone.

httpx is imported only where a transport failure is classified: the retry and wait helpers serve
parsers (Yahoo's) that load before any client exists.
"""

from __future__ import annotations

import email.utils
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import ip_address
from typing import TYPE_CHECKING

from tui.sources.errors import SourceError

if TYPE_CHECKING:
    import httpx

_DNS_HINTS = (
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "getaddrinfo failed",
    "no address associated",
)


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


class Retry(Exception):
    """An attempt failed in a way worth another attempt (after `after` seconds, if said)."""

    def __init__(self, error: SourceError, after: float | None) -> None:
        super().__init__(error.reason)
        self.error = error
        self.after = after


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header: delta seconds or an HTTP date (None when unreadable)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def wait_text(seconds: float) -> str:
    """`2 s`, or `over a day` for a Retry-After no one should honour."""
    return "over a day" if seconds > 86_400 else f"{seconds:.0f} s"


def size_text(size: int) -> str:
    """`8 MB` or `64 KB`."""
    return f"{size // 2**20} MB" if size >= 2**20 else f"{size // 1024} KB"


def same_site(host: str, origin: str) -> bool:
    """Same host, or the same registrable-looking domain (`www.x.com` ↔ `x.com`); IPs exactly."""
    if host == origin:
        return True
    try:
        ip_address(host)
        return False
    except ValueError:
        pass
    return "." in origin and host.split(".")[-2:] == origin.split(".")[-2:]


def transport_reason(exc: httpx.TransportError) -> str:
    """One line for a failure below HTTP (connect, DNS, a connection closed mid-answer)."""
    import httpx  # loaded already: the failure came from it

    causes: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(causes) < 8:  # httpx wraps the OS error; look underneath
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    text = " ".join(str(c) for c in causes).lower()
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(c, socket.gaierror) for c in causes) or any(
            hint in text for hint in _DNS_HINTS
        ):
            return "host not found (DNS lookup failed)"
        if any(isinstance(c, ConnectionRefusedError) for c in causes) or "refused" in text:
            return "connection refused"
        return "could not connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "connection closed mid-answer (truncated body)"
    return f"network error ({type(exc).__name__})"


def check_status(source_id: str, resp: httpx.Response) -> None:
    """Raise for a status that is not data: `Retry` for 429 and 5xx, `SourceError` otherwise.

    Raises:
        Retry: On 429 or 5xx, with the server's Retry-After when it gave one.
        SourceError: On 451 (a geo-block), other 4xx, or a 3xx that is not a usable redirect.
    """
    status = resp.status_code
    if status == 429 or status >= 500:
        after = retry_after_seconds(resp.headers.get("Retry-After"))
        reason = "rate-limited (429)" if status == 429 else f"server error {status}"
        if after is not None:
            reason += f", asked to wait {wait_text(after)}"
        raise Retry(SourceError(source_id, reason, retryable=True, retry_after=after), after)
    if status == 451:
        raise SourceError(source_id, "not available from this location (HTTP 451)", status=451)
    if status >= 400:
        raise SourceError(source_id, f"refused the request ({status})", status=status)
    if status >= 300:
        raise SourceError(source_id, f"answered HTTP {status} without a usable redirect")
