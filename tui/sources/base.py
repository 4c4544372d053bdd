"""What every live source shares: base-URL overrides, and (re-exported) the fetcher.

Sources never touch widgets: they return parsed data or raise `SourceError` with a one-line reason
that the pane shows next to the age of its last good data. The HTTP side (deadlines, retries,
breakers, redirects) lives in `tui.sources.fetch`; this module keeps the names every adapter
imports. The fetcher's names load `tui.sources.fetch` (and httpx) on first use only, so reading
the cache and composing a snapshot never import httpx.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from tui.sources.errors import SourceError

if TYPE_CHECKING:
    from tui.sources.fetch import (
        DEFAULT_DEADLINE,
        MAX_BODY_BYTES,
        USER_AGENT,
        CircuitBreaker,
        Fetcher,
        make_client,
        retry_after_seconds,
    )

_FROM_FETCH = frozenset(
    {
        "DEFAULT_DEADLINE",
        "MAX_BODY_BYTES",
        "USER_AGENT",
        "CircuitBreaker",
        "Fetcher",
        "make_client",
        "retry_after_seconds",
    }
)
"""Names re-exported from `tui.sources.fetch`, imported when first asked for (PEP 562)."""

__all__ = [
    "DEFAULT_DEADLINE",
    "MAX_BODY_BYTES",
    "USER_AGENT",
    "CircuitBreaker",
    "Fetcher",
    "SourceError",
    "base_url",
    "env_name",
    "make_client",
    "rebase",
    "retry_after_seconds",
]


def __getattr__(name: str) -> Any:
    if name in _FROM_FETCH:
        from tui.sources import fetch

        value = getattr(fetch, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
