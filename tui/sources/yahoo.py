"""Yahoo Finance: v7 quotes (batched, cookie + crumb) and v8 daily charts.

Quirks (fixtures' PROVENANCE): v7 needs cookies from `fc.yahoo.com` and a crumb from
`/v1/test/getcrumb`, refreshed on 401 "Invalid Crumb"; a 429 body is the text
`Edge: Too Many Requests`, which must never be taken for a crumb; unknown symbols are silently
left out of v7 results; v8 arrays may hold `null` bars and have no `timestamp` when empty; an
unknown chart symbol answers 404 with `error.code "Not Found"`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from tui.sanitize import clean, clean_optional
from tui.sources.base import SourceError, rebase
from tui.sources.errors import shape_guard
from tui.sources.numbers import number
from tui.sources.policy import retry_after_seconds, wait_text

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "yahoo"
QUERY_BASE = "https://query1.finance.yahoo.com"
COOKIE_URL = "https://fc.yahoo.com"
MAX_SYMBOLS = 50
"""Symbols per v7 request."""
BROWSER_UA = "Mozilla/5.0 (compatible; riskpulse/0.1; +terminal market monitor)"
_CRUMB = re.compile(r"^[A-Za-z0-9./_-]{5,32}$")


@dataclass(frozen=True, slots=True)
class YahooQuote:
    """One v7 quote."""

    symbol: str
    price: float
    change: float | None
    change_pct: float | None
    previous_close: float | None
    time: datetime | None
    market_state: str | None
    high_52w: float | None


def valid_crumb(text: str) -> bool:
    """A crumb is a short token: a rate-limit page or an HTML body is not one."""
    return bool(_CRUMB.match(text.strip()))


def _error(envelope: Any) -> None:
    if isinstance(envelope, dict) and isinstance(envelope.get("error"), dict):
        err = envelope["error"]
        raise SourceError(SOURCE_ID, f"{err.get('code')}: {clean(err.get('description'), 100)}")


def _time(stamp: object, zone: Any = UTC) -> datetime | None:
    if isinstance(stamp, bool) or not isinstance(stamp, int):
        return None
    try:
        return datetime.fromtimestamp(stamp, tz=zone)
    except (OverflowError, OSError, ValueError):
        return None


@shape_guard(SOURCE_ID)
def parse_quotes(payload: Any) -> dict[str, YahooQuote]:
    """Parse `/v7/finance/quote`, keyed by symbol (missing symbols are simply absent)."""
    if isinstance(payload, dict) and "finance" in payload:
        _error(payload["finance"])
    body = payload.get("quoteResponse") if isinstance(payload, dict) else None
    if not isinstance(body, dict):
        raise SourceError(SOURCE_ID, "unexpected response shape")
    _error(body)
    out: dict[str, YahooQuote] = {}
    rows = body.get("result") or []
    for row in rows:
        last = number(row.get("regularMarketPrice"))
        if not isinstance(row.get("symbol"), str) or last is None:
            continue
        symbol = clean(row["symbol"], 40)
        out[symbol] = YahooQuote(
            symbol,
            last,
            number(row.get("regularMarketChange")),
            number(row.get("regularMarketChangePercent")),
            number(row.get("regularMarketPreviousClose")),
            _time(row.get("regularMarketTime")),
            clean_optional(row.get("marketState"), 20),
            number(row.get("fiftyTwoWeekHigh")),
        )
    if rows and not out:
        raise SourceError(SOURCE_ID, "response held no readable quote")
    return out


@shape_guard(SOURCE_ID)
def parse_chart(payload: Any) -> list[tuple[date, float]]:
    """Parse `/v8/finance/chart` daily bars into (exchange-local date, close); null bars are
    dropped."""
    chart = payload.get("chart") if isinstance(payload, dict) else None
    if not isinstance(chart, dict):
        raise SourceError(SOURCE_ID, "unexpected response shape")
    _error(chart)
    results = chart.get("result") or []
    if not results:
        return []
    result = results[0]
    zone_name = (result.get("meta") or {}).get("exchangeTimezoneName")
    try:
        zone = ZoneInfo(zone_name) if isinstance(zone_name, str) else UTC
    except (ValueError, KeyError):
        zone = UTC
    stamps = result.get("timestamp") or []
    quotes = (result.get("indicators") or {}).get("quote") or [{}]
    closes = quotes[0].get("close") or []
    out = []
    for stamp, close in zip(stamps, closes, strict=False):
        value, when = number(close), _time(stamp, zone)
        if value is not None and when is not None:
            out.append((when.date(), value))
    return out


class YahooSession:
    """Cookie + crumb, fetched once and refreshed when Yahoo answers 401.

    Args:
        fetcher: The shared fetcher.
        base: Base URL override for the query host.
        cookie_url: Where the consent cookies come from (overridable with the base).
    """

    def __init__(
        self, fetcher: Fetcher, base: str = QUERY_BASE, cookie_url: str = COOKIE_URL
    ) -> None:
        self.fetcher = fetcher
        self.base = base
        self.cookie_url = cookie_url if base == QUERY_BASE else rebase(cookie_url, base)
        self.crumb: str | None = None

    async def _refresh_crumb(self) -> str:
        """Cookies from the consent host, then a crumb; both inside Yahoo's deadline.

        Raises:
            SourceError: On any failure, worded like every other fetch ("rate-limited (429)
                while getting a crumb, asked to wait 2 s", "redirect loop", an HTML page…).
        """
        headers = {"User-Agent": BROWSER_UA}
        await self.fetcher.get_page(SOURCE_ID, self.cookie_url, headers=headers)  # any status
        crumb_url = rebase(f"{QUERY_BASE}/v1/test/getcrumb", self.base)
        status, text, got = await self.fetcher.get_page(SOURCE_ID, crumb_url, headers=headers)
        if status == 429 or status >= 500:
            after = retry_after_seconds(got.get("Retry-After"))
            what = "rate-limited (429)" if status == 429 else f"server error {status}"
            wait = f", asked to wait {wait_text(after)}" if after is not None else ""
            raise SourceError(
                SOURCE_ID, f"{what} while getting a crumb{wait}", retryable=True, retry_after=after
            )
        if status == 200 and not text.strip():
            raise SourceError(SOURCE_ID, "answered with an empty body instead of a crumb")
        if status == 200 and text.lstrip().startswith("<"):
            raise SourceError(SOURCE_ID, "answered with an HTML page instead of a crumb")
        if status != 200 or not valid_crumb(text):
            raise SourceError(SOURCE_ID, f"no valid crumb (HTTP {status})")
        self.crumb = text.strip()
        return self.crumb

    async def quotes(self, symbols: list[str]) -> dict[str, YahooQuote]:
        """Quotes for all symbols, at most 50 per request."""
        out: dict[str, YahooQuote] = {}
        for i in range(0, len(symbols), MAX_SYMBOLS):
            out.update(await self._quote_batch(symbols[i : i + MAX_SYMBOLS]))
        return out

    async def _quote_batch(self, symbols: list[str]) -> dict[str, YahooQuote]:
        url = rebase(f"{QUERY_BASE}/v7/finance/quote", self.base)
        for attempt in range(2):
            crumb = self.crumb or await self._refresh_crumb()
            try:
                payload = await self.fetcher.get_json(
                    SOURCE_ID,
                    url,
                    params={"symbols": ",".join(symbols), "crumb": crumb},
                    headers={"User-Agent": BROWSER_UA},
                )
            except SourceError as exc:
                if "(401)" in exc.reason and attempt == 0:
                    self.crumb = None  # stale crumb: fetch a new one and try once more
                    continue
                raise
            return parse_quotes(payload)
        raise SourceError(SOURCE_ID, "crumb refused twice")


async def fetch_chart(
    fetcher: Fetcher,
    symbol: str,
    base: str = QUERY_BASE,
    span: str = "1y",
    *,
    breaker: str = "yahoo-backfill",
) -> list[tuple[date, float]]:
    """Daily closes of one symbol over `span` (the chart endpoint needs no crumb).

    Charts are history (the drill-down's backfill), so by default they trip a breaker of their
    own: a failing backfill never pauses live quotes.
    """
    url = rebase(f"{QUERY_BASE}/v8/finance/chart/{quote(symbol, safe='')}", base)
    payload = await fetcher.get_json(
        SOURCE_ID,
        url,
        params={"range": span, "interval": "1d"},
        headers={"User-Agent": BROWSER_UA},
        breaker=breaker,
    )
    return parse_chart(payload)
