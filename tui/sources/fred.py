"""FRED: SOFR, IORB, EFFR, the target range, 2Y/10Y yields, the HY spread and reserves.

Keyless by default (the fredgraph CSV, one request for every series); the keyed JSON API when a
key is set. Quirks (fixtures' PROVENANCE): the CSV header is `observation_date,<ID>` (older files:
`DATE`); a missing value is an empty field or `.`, never filled; an unknown id answers 404 with an
HTML page; the JSON API's `value` is a string and its errors come as
`{"error_code", "error_message"}`. The key never appears in an error line.
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from typing import TYPE_CHECKING, Any

from tui.assets import ASSETS
from tui.sanitize import clean
from tui.sources.base import SourceError, rebase
from tui.sources.errors import shape_guard
from tui.sources.numbers import number

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "fred"
GRAPH_BASE = "https://fred.stlouisfed.org"
API_BASE = "https://api.stlouisfed.org"
SERIES: dict[str, str] = {a.fred: a.id for a in ASSETS if a.fred} | {
    "DFEDTARL": "fed_target_lower",
    "WRESBAL": "reserves",
}
"""FRED series id → riskpulse id."""

Observations = list[tuple[date, float]]


@shape_guard(SOURCE_ID)
def parse_fredgraph(text: str) -> dict[str, Observations]:
    """Parse a fredgraph CSV (one or more series) into observations per series id.

    Raises:
        SourceError: On an HTML page or a header without a date column.
    """
    if text.lstrip()[:1] == "<":
        raise SourceError(SOURCE_ID, "answered with an HTML page (unknown series?)")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or not header[0].strip().lower().endswith("date"):
        raise SourceError(SOURCE_ID, "CSV without a date column")
    if not text.endswith("\n"):
        raise SourceError(SOURCE_ID, "sent a truncated CSV (its last line is cut)")
    ids = [h.strip() for h in header[1:]]
    out: dict[str, Observations] = {i: [] for i in ids}
    for row in reader:
        if not row:
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            continue
        for series_id, cell in zip(ids, row[1:], strict=False):
            value = number(cell)  # empty and "." cells are missing, never 0
            if value is not None:
                out[series_id].append((day, value))
    return out


@shape_guard(SOURCE_ID)
def parse_api(payload: Any) -> Observations:
    """Parse a `series/observations` JSON reply.

    Raises:
        SourceError: On FRED's error envelope or a body of the wrong shape.
    """
    if isinstance(payload, dict) and "error_code" in payload:
        message = clean(payload.get("error_message", ""), 160)
        raise SourceError(SOURCE_ID, f"API error {payload['error_code']}: {message}")
    if not isinstance(payload, dict) or not isinstance(payload.get("observations"), list):
        raise SourceError(SOURCE_ID, "unexpected response shape")
    out: Observations = []
    for row in payload["observations"]:
        if not isinstance(row, dict):
            continue
        value = number(row.get("value"))
        try:
            day = date.fromisoformat(str(row.get("date")))
        except ValueError:
            continue
        if value is not None:
            out.append((day, value))
    return out


async def fetch_graph(
    fetcher: Fetcher,
    base: str = GRAPH_BASE,
    series: tuple[str, ...] = tuple(SERIES),
    since: date | None = None,
) -> dict[str, Observations]:
    """Every series in one keyless fredgraph request (`cosd` trims the history to `since`)."""
    url = rebase(f"{GRAPH_BASE}/graph/fredgraph.csv", base)
    params = {"id": ",".join(series)}
    if since is not None:
        params["cosd"] = since.isoformat()
    return parse_fredgraph(await fetcher.get_text(SOURCE_ID, url, params=params))


async def fetch_api(
    fetcher: Fetcher,
    key: str,
    base: str = API_BASE,
    series: tuple[str, ...] = tuple(SERIES),
    since: date | None = None,
) -> dict[str, Observations]:
    """Every series through the keyed JSON API (one request per series, concurrently).

    Raises:
        SourceError: When no series could be read; the key never appears in the reason.
    """
    url = rebase(f"{API_BASE}/fred/series/observations", base)

    async def one(series_id: str) -> tuple[str, Observations]:
        params = {"series_id": series_id, "api_key": key, "file_type": "json"}
        if since is not None:
            params["observation_start"] = since.isoformat()
        return series_id, parse_api(await fetcher.get_json(SOURCE_ID, url, params=params))

    results = await asyncio.gather(*(one(s) for s in series), return_exceptions=True)
    out = dict(r for r in results if isinstance(r, tuple))
    if not out:
        errors = [r for r in results if isinstance(r, SourceError)]
        raise errors[0] if errors else SourceError(SOURCE_ID, "no series could be read")
    return out
