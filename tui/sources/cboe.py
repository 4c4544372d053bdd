"""Cboe delayed quotes (keyless, about 15 minutes delayed): the fallback after Yahoo for US
indices and VIX, and Cboe's own European indices.

Endpoints and what is known of them (fixtures' PROVENANCE, `cboe/`):

* European indices, `GET /api/global/european_indices/index_quotes/all-indices.json`: checked
  against a full recording (2024-06-27). `{"timestamp": "HH:MM:SS", "data": [row, …]}`, each row
  `{symbol "^BDE40P-SL", current_price, prev_day_close, price_change, price_change_percent,
  last_trade_time (ISO, +00:00), open (0 when there was no opening print), …}`; `timestamp` has
  no date, so a row's date is its `last_trade_time`.
* US quotes, `GET /api/global/delayed_quotes/quotes/_<SYMBOL>.json` (`_SPX`, `_NDX`, `_VIX`):
  **written from the shape only** — no full recording was found. A trimmed `_VIX.json` has
  `{"timestamp": "YYYY-MM-DD HH:MM:SS", "data": {symbol "^VIX", current_price, price_change,
  price_change_percent, close, prev_day_close, last_trade_time "YYYY-MM-DDTHH:MM:SS"}, "symbol":
  "_VIX"}`. `last_trade_time` carries no zone; VIX's last print at 16:15 matches its 4:15 pm New
  York close, so it is read as New York time (unchecked); only its date is used for staleness.

Cboe's European indices are its own (Cboe Germany 40, Cboe Eurozone 50), at levels that are not
the DAX's or the Euro Stoxx 50's (674 against about 18,000 on the recorded day): they are returned
under their own names and may stand in for those assets only as a named proxy, never as their
level. A reading whose date is older than the one asked for is marked stale.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tui.sanitize import clean
from tui.sources.base import SourceError, rebase
from tui.sources.errors import shape_guard
from tui.sources.numbers import number

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "cboe"
DEFAULT_BASE = "https://cdn.cboe.com"
DELAY_NOTE = "Cboe, delayed about 15 min"
"""What a pane says next to a Cboe reading."""
US_SYMBOLS: dict[str, str] = {"sp500": "_SPX", "nasdaq100": "_NDX", "vix": "_VIX"}
"""riskpulse id → Cboe quote symbol (the Dow is not quoted by Cboe: DJX is a hundredth of it)."""
EUROPEAN_PROXIES: dict[str, tuple[str, str]] = {
    "dax": ("^BDE40P-SL", "Cboe Germany 40"),
    "eurostoxx50": ("^BEZ50P-SL", "Cboe Eurozone 50"),
}
"""riskpulse id → (Cboe symbol, name) of the Cboe index that may be shown as a named proxy."""
_NEW_YORK = ZoneInfo("America/New_York")


@dataclass(frozen=True, slots=True)
class CboeQuote:
    """One delayed quote: level, change from the previous close, the trade time and its date.

    Attributes:
        symbol: Cboe's symbol (`^VIX`, `^BDE40P-SL`).
        name: The index's own name when it is a proxy, else None.
        price: Last level (positive, finite).
        change: Points from the previous close.
        change_pct: Percent from the previous close.
        previous_close: The previous close.
        time: Time of the last trade (aware).
        stale: True when the trade's date is older than the date asked for.
    """

    symbol: str
    name: str | None
    price: float
    change: float | None
    change_pct: float | None
    previous_close: float | None
    time: datetime | None
    stale: bool = False

    @property
    def day(self) -> date | None:
        """The date of the last trade in its own zone."""
        return self.time.date() if self.time else None


def _time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=_NEW_YORK)


def _row(row: Any, asked: date | None, name: str | None = None) -> CboeQuote | None:
    if not isinstance(row, dict):
        return None
    level = number(row.get("current_price"))
    if level is None or not isinstance(row.get("symbol"), str):
        return None  # a missing level is no reading; the reading gate judges the rest
    when = _time(row.get("last_trade_time"))
    stale = asked is not None and (when is None or when.date() < asked)
    return CboeQuote(
        clean(row["symbol"], 30),
        name,
        level,
        number(row.get("price_change")),
        number(row.get("price_change_percent")),
        number(row.get("prev_day_close")),
        when,
        stale,
    )


@shape_guard(SOURCE_ID)
def parse_quote(payload: Any, asked: date | None = None) -> CboeQuote:
    """Parse a `delayed_quotes/quotes/_<SYMBOL>.json` reply (shape only, see the module).

    Raises:
        SourceError: When the reply holds no readable level.
    """
    data = payload.get("data") if isinstance(payload, dict) else None
    quote = _row(data, asked)
    if quote is None:
        raise SourceError(SOURCE_ID, "reply held no readable quote")
    return quote


@shape_guard(SOURCE_ID)
def parse_european(payload: Any, asked: date | None = None) -> dict[str, CboeQuote]:
    """Parse `european_indices/index_quotes/all-indices.json`, keyed by Cboe symbol.

    Raises:
        SourceError: On a reply of the wrong shape or with no readable row.
    """
    rows = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(rows, list):
        raise SourceError(SOURCE_ID, "unexpected response shape")
    names = dict(EUROPEAN_PROXIES.values())
    out: dict[str, CboeQuote] = {}
    for row in rows:
        symbol = row.get("symbol") if isinstance(row, dict) else None
        quote = _row(row, asked, names.get(symbol) if isinstance(symbol, str) else None)
        if quote is not None:
            out[quote.symbol] = quote
    if not out:
        raise SourceError(SOURCE_ID, "reply held no readable index")
    return out


async def fetch_us(
    fetcher: Fetcher,
    base: str = DEFAULT_BASE,
    asset_ids: tuple[str, ...] = tuple(US_SYMBOLS),
    asked: date | None = None,
) -> dict[str, CboeQuote]:
    """Delayed quotes of US indices and VIX, keyed by riskpulse id (one request per symbol:
    the batched `all_us_indices.json` has no recording to parse against).

    Args:
        fetcher: The shared fetcher.
        base: Base URL override.
        asset_ids: riskpulse ids among `US_SYMBOLS`.
        asked: The trading day wanted; an older trade is marked stale.

    Raises:
        SourceError: When no symbol could be read (the first failure's reason).
    """

    async def one(asset_id: str) -> tuple[str, CboeQuote]:
        symbol = US_SYMBOLS[asset_id]
        url = rebase(f"{DEFAULT_BASE}/api/global/delayed_quotes/quotes/{symbol}.json", base)
        return asset_id, parse_quote(await fetcher.get_json(SOURCE_ID, url), asked)

    wanted = [a for a in asset_ids if a in US_SYMBOLS]
    results = await asyncio.gather(*(one(a) for a in wanted), return_exceptions=True)
    out = dict(r for r in results if isinstance(r, tuple))
    if wanted and not out:
        errors = [r for r in results if isinstance(r, SourceError)]
        raise errors[0] if errors else SourceError(SOURCE_ID, "no quote could be read")
    return out


async def fetch_european(
    fetcher: Fetcher, base: str = DEFAULT_BASE, asked: date | None = None
) -> dict[str, CboeQuote]:
    """Every Cboe European index in one request, keyed by Cboe symbol."""
    url = rebase(f"{DEFAULT_BASE}/api/global/european_indices/index_quotes/all-indices.json", base)
    return parse_european(await fetcher.get_json(SOURCE_ID, url), asked)
