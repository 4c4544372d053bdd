"""Stooq daily CSV, the last fallback for indices and metals (after Yahoo and Cboe).

Stooq answers HTTP 200 to almost everything, so the body must start with the CSV header to be
data (fixtures' PROVENANCE, `stooq/`): an unknown symbol answers the text `No data`, the quota
answers `Exceeded the daily hits limit`; since about March 2026 a request without a key answers
a text page asking to "Get your apikey", and since late July 2026 non-browser clients may get an
HTML proof-of-work page (a form posting to `/__verify`, "This site requires JavaScript to verify
your browser"). None of those pages was recorded in full: they are recognised by the phrases
quoted in the provenance, and each is an error named as such. A key is optional (keyring or
`RISKPULSE_STOOQ_KEY`, like every source) and goes in the `apikey` query parameter; a reply whose
newest row is older than the range asked for, or whose last line is cut, is an error, never a
current close.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tui.assets import ASSETS
from tui.sanitize import clean
from tui.sources.base import SourceError, env_name, rebase
from tui.sources.errors import shape_guard
from tui.sources.numbers import number

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "stooq"
DEFAULT_BASE = "https://stooq.com"
SYMBOLS: dict[str, str] = {a.id: a.stooq for a in ASSETS if a.stooq}
"""riskpulse id → Stooq symbol, for the assets Stooq stands in for when Yahoo fails."""


def _not_csv(text: str, keyed: bool = False) -> SourceError:
    """The error for a 200 reply that is not the CSV."""
    lowered = text[:4096].lower()
    if "exceeded the daily hits limit" in lowered:
        return SourceError(SOURCE_ID, "daily request limit reached")
    if "__verify" in lowered or "verify your browser" in lowered:
        return SourceError(
            SOURCE_ID, "answered with a proof-of-work page (a browser check), not data"
        )
    if ("apikey" in lowered or "api key" in lowered) and keyed:
        return SourceError(SOURCE_ID, "did not accept the API key (`riskpulse keys set stooq`)")
    if "apikey" in lowered or "api key" in lowered:
        return SourceError(
            SOURCE_ID, "asks for an API key (set one with `riskpulse keys set stooq`)"
        )
    if lowered.lstrip().startswith("<"):
        return SourceError(SOURCE_ID, "answered with an HTML page instead of CSV")
    if lowered.strip() == "no data":
        return SourceError(SOURCE_ID, "has no data for this symbol")
    first = clean(text.strip().splitlines()[0], 40) if text.strip() else "an empty body"
    return SourceError(SOURCE_ID, f"answered {first!r} instead of CSV")


def key_in_force() -> str | None:
    """Stooq's key from `RISKPULSE_STOOQ_KEY` or the keyring (None when unset or when no
    keyring backend is usable); registered for redaction by `tui.secrets`."""
    from tui.secrets import get_key

    try:
        return get_key(SOURCE_ID)
    except Exception:  # no usable keyring backend: the environment was already read
        return None


@shape_guard(SOURCE_ID)
def parse_stooq_daily(body: str, *, keyed: bool = False) -> list[tuple[str, float]]:
    """Parse Stooq's daily CSV (`q/d/l/?s=…&i=d`) into (date, close) pairs, oldest first.

    Raises:
        SourceError: On `No data`, the daily-limit text, a key demand, a proof-of-work or other
            HTML page, or a body whose last line is cut.
    """
    text = body.lstrip("\ufeff")
    if not text.startswith("Date,"):
        raise _not_csv(text, keyed)
    if not text.endswith("\n"):
        raise SourceError(SOURCE_ID, "sent a truncated CSV (its last line is cut)")
    out = []
    lines = text.splitlines()[1:]
    for line in lines:
        parts = line.strip().split(",")
        if len(parts) < 5 or parts[4] in ("", "N/D"):
            continue
        close = number(parts[4])
        if close is not None and len(parts[0]) == 10:
            out.append((parts[0], close))
    if any(line.strip() for line in lines) and not out:
        raise SourceError(SOURCE_ID, "CSV held no readable close")
    return out


async def fetch_daily(
    fetcher: Fetcher,
    symbol: str,
    today: date,
    base: str = DEFAULT_BASE,
    *,
    key: str | None = None,
) -> list[tuple[str, float]]:
    """The last two weeks of daily closes of one symbol (Stooq has no batched history).

    Args:
        fetcher: The shared fetcher.
        symbol: Stooq's symbol (`^spx`).
        today: The last day asked for; the range starts 14 days earlier.
        base: Base URL override.
        key: Stooq API key; when None, `RISKPULSE_STOOQ_KEY` if set (the keyring is read by the
            caller, as for FRED).

    Raises:
        SourceError: On any non-CSV answer, or when the newest row is older than the range.
    """
    url = rebase(f"{DEFAULT_BASE}/q/d/l/", base)
    start = today - timedelta(days=14)
    params = {"s": symbol, "i": "d", "d1": start.strftime("%Y%m%d"), "d2": today.strftime("%Y%m%d")}
    key = key or os.environ.get(env_name(SOURCE_ID, "KEY"))
    if key:
        params["apikey"] = key
    text = await fetcher.get_text(SOURCE_ID, url, params=params)
    rows = parse_stooq_daily(text, keyed=bool(key))
    recent = [(day, close) for day, close in rows if start.isoformat() <= day <= today.isoformat()]
    if rows and not recent:
        raise SourceError(
            SOURCE_ID,
            f"newest close is from {rows[-1][0]}, older than the {start} it was asked from",
        )
    return recent
