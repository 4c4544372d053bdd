"""Stooq daily CSV, the fallback for indices and metals when Yahoo fails.

Quirks (fixtures' PROVENANCE): an unknown symbol answers the text `No data`, the quota answers
`Exceeded the daily hits limit`, and since mid-2026 non-browser clients may get an HTML
verification page, all with HTTP 200: the body must start with the CSV header to be data.
"""

from __future__ import annotations

from datetime import date, timedelta

from tui.assets import ASSETS
from tui.sources.base import Fetcher, SourceError, rebase

SOURCE_ID = "stooq"
DEFAULT_BASE = "https://stooq.com"
SYMBOLS: dict[str, str] = {a.id: a.stooq for a in ASSETS if a.stooq}
"""riskpulse id → Stooq symbol, for the assets Stooq stands in for when Yahoo fails."""


def parse_stooq_daily(body: str) -> list[tuple[str, float]]:
    """Parse Stooq's daily CSV (`q/d/l/?s=…&i=d`) into (date, close) pairs.

    Raises:
        SourceError: On `No data`, the daily-limit text, or an HTML verification page.
    """
    text = body.lstrip("\ufeff")
    if "Exceeded the daily hits limit" in text:
        raise SourceError("stooq", "daily request limit reached")
    if not text.startswith("Date,"):
        first = text.strip().splitlines()[0][:40] if text.strip() else "an empty body"
        if text.lstrip().startswith("<"):
            raise SourceError("stooq", "answered with a browser check page instead of data")
        raise SourceError("stooq", f"answered {first!r} instead of CSV")
    out = []
    for line in text.splitlines()[1:]:
        parts = line.strip().split(",")
        if len(parts) < 5 or parts[4] in ("", "N/D"):
            continue
        try:
            out.append((parts[0], float(parts[4])))
        except ValueError:
            continue
    return out


async def fetch_daily(
    fetcher: Fetcher, symbol: str, today: date, base: str = DEFAULT_BASE
) -> list[tuple[str, float]]:
    """The last two weeks of daily closes of one symbol (Stooq has no batched history)."""
    url = rebase(f"{DEFAULT_BASE}/q/d/l/", base)
    start = (today - timedelta(days=14)).strftime("%Y%m%d")
    params = {"s": symbol, "i": "d", "d1": start, "d2": today.strftime("%Y%m%d")}
    body, _ = await fetcher.get_bytes(SOURCE_ID, url, params=params)
    return parse_stooq_daily(body.decode("utf-8", errors="replace"))
