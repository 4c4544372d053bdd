"""alternative.me crypto fear & greed (`/fng/`), parsed as the recorded responses show it.

Quirks (fixtures' PROVENANCE): every field is a string; `timestamp` is unix seconds of 00:00 UTC
unless `date_format` is used (then `MM-DD-YYYY` for `us`), newest first; errors come in
`metadata.error`. riskpulse asks for unix timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from tui.sanitize import clean
from tui.sources.base import SourceError, rebase
from tui.sources.errors import shape_guard
from tui.sources.numbers import required

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "alternative_me"
DEFAULT_BASE = "https://api.alternative.me"


@dataclass(frozen=True, slots=True)
class FngPoint:
    """One day's index."""

    day: date
    value: float
    label: str


def _day(stamp: str) -> date:
    stamp = stamp.strip()
    if stamp.isdigit():
        return datetime.fromtimestamp(int(stamp), tz=UTC).date()
    month, day, year = (int(p) for p in stamp.split("-"))  # date_format=us
    return date(year, month, day)


@shape_guard(SOURCE_ID)
def parse(payload: Any) -> list[FngPoint]:
    """Parse an `/fng/` response into points, oldest first.

    Raises:
        SourceError: On an error envelope or a body of the wrong shape.
    """
    if not isinstance(payload, dict):
        raise SourceError(SOURCE_ID, "unexpected response shape")
    meta = payload.get("metadata") or {}
    if isinstance(meta, dict) and meta.get("error"):
        raise SourceError(SOURCE_ID, f"API error: {clean(meta['error'], 120)}")
    rows = payload.get("data")
    if not isinstance(rows, list):
        raise SourceError(SOURCE_ID, "response has no data list")
    points = []
    for row in rows:
        try:
            points.append(
                FngPoint(
                    _day(str(row["timestamp"])),
                    required(row["value"]),
                    clean(row["value_classification"], 40),
                )
            )
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            continue  # one bad row is skipped, not guessed
    if not points:
        raise SourceError(SOURCE_ID, "response held no readable reading")
    return sorted(points, key=lambda p: p.day)


async def fetch(fetcher: Fetcher, base: str = DEFAULT_BASE, limit: int = 8) -> list[FngPoint]:
    """Fetch the last `limit` days (8 covers the 1-day and 1-week change)."""
    url = rebase(f"{DEFAULT_BASE}/fng/", base)
    return parse(
        await fetcher.get_json(SOURCE_ID, url, params={"limit": str(limit), "format": "json"})
    )
