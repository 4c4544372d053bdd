"""`SourceError`: how every source reports a failure, as one clean line naming the source."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from tui.sanitize import clean


class SourceError(Exception):
    """A source failed; `reason` is one line for the pane and the snapshot.

    The reason is sanitised and redacted on the way in (a server's error text may carry escape
    sequences or echo the request's key), so every consumer can print it as it is.
    """

    def __init__(
        self,
        source_id: str,
        reason: str,
        *,
        retryable: bool = False,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        reason = clean(reason, 240)
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
            self.status is not None and 400 <= self.status < 500 and self.status not in (429, 451)
        )


P = ParamSpec("P")
R = TypeVar("R")


def shape_guard(source_id: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn a parser's surprise at a reply's shape into a `SourceError` naming the source.

    A list where an object was expected, a string where a number was, a huge timestamp: each
    is "unexpected response shape", never a traceback or an "unexpected TypeError".
    """

    def wrap(parser: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(parser)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return parser(*args, **kwargs)
            except SourceError:
                raise
            except (
                AttributeError,
                KeyError,
                IndexError,
                TypeError,
                ValueError,
                OverflowError,
                OSError,
                RecursionError,
            ) as exc:
                raise SourceError(
                    source_id, f"unexpected response shape ({type(exc).__name__})"
                ) from None

        return guarded

    return wrap
