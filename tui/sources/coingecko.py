"""CoinGecko crypto prices (`/api/v3/coins/markets`), one batched request for every coin, and
the daily history of a coin the user added (`/api/v3/coins/{id}/market_chart`).

Prices are in USD here (the bundled history is Binance USDT): the pane labels which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from tui.assets import ASSETS
from tui.sanitize import clean, clean_optional
from tui.sources.base import SourceError, rebase
from tui.sources.errors import shape_guard
from tui.sources.numbers import number

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "coingecko"
DEFAULT_BASE = "https://api.coingecko.com"
COIN_IDS = {a.id: a.coingecko for a in ASSETS if a.coingecko}


@dataclass(frozen=True, slots=True)
class CoinQuote:
    """One coin's price and 24-hour change."""

    asset_id: str
    price: float
    change_24h: float | None
    change_pct_24h: float | None
    ath: float | None
    ath_date: str | None
    updated: datetime | None


def _error_envelope(payload: Any) -> None:
    """Raise CoinGecko's error bodies as one line: the rate-limit envelope, `coin not found`."""
    if isinstance(payload, dict) and isinstance(payload.get("status"), dict):
        status = payload["status"]
        raise SourceError(
            SOURCE_ID,
            f"API error {status.get('error_code')}: {clean(status.get('error_message', ''), 80)}",
            retryable=status.get("error_code") == 429,
        )
    if isinstance(payload, dict) and isinstance(payload.get("error"), str):
        raise SourceError(SOURCE_ID, clean(payload["error"], 80))


@shape_guard(SOURCE_ID)
def parse_markets(payload: Any) -> dict[str, CoinQuote]:
    """Parse a `/coins/markets` reply, keyed by riskpulse asset id.

    Raises:
        SourceError: On CoinGecko's error envelope (rate limit) or a body of the wrong shape.
    """
    _error_envelope(payload)
    if not isinstance(payload, list):
        raise SourceError(SOURCE_ID, "unexpected response shape")
    by_coin = {v: k for k, v in COIN_IDS.items()}
    out: dict[str, CoinQuote] = {}
    for row in payload:
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            continue
        if row["id"] not in by_coin:
            continue
        last = number(row.get("current_price"))
        if last is None:
            continue  # a null price is missing, not zero; the reading gate judges the rest
        updated = None
        if isinstance(row.get("last_updated"), str):
            try:
                updated = datetime.fromisoformat(row["last_updated"].replace("Z", "+00:00"))
            except ValueError:
                updated = None
        out[by_coin[row["id"]]] = CoinQuote(
            by_coin[row["id"]],
            last,
            number(row.get("price_change_24h")),
            number(row.get("price_change_percentage_24h")),
            number(row.get("ath")),
            clean_optional(row.get("ath_date"), 40),
            updated,
        )
    if not out:
        raise SourceError(SOURCE_ID, "response held none of the requested coins")
    return out


async def fetch(fetcher: Fetcher, base: str = DEFAULT_BASE) -> dict[str, CoinQuote]:
    """All tracked coins in one request."""
    url = rebase(f"{DEFAULT_BASE}/api/v3/coins/markets", base)
    params = {"vs_currency": "usd", "ids": ",".join(COIN_IDS.values())}
    return parse_markets(await fetcher.get_json(SOURCE_ID, url, params=params))


_CLOSE_SHIFT = timedelta(milliseconds=1)
"""A daily point stamped 00:00 UTC is the price the UTC day before closed at."""


@shape_guard(SOURCE_ID)
def parse_market_chart(payload: Any) -> list[tuple[date, float]]:
    """Parse `/coins/{id}/market_chart` prices into (UTC day, that day's last price).

    Past 90 days CoinGecko answers one point a day stamped 00:00 UTC (the previous day's
    close), up to 90 days one an hour, and always ends with "now" off the grid (PROVENANCE
    "API notes"). Each stamp is moved back a millisecond and the last price of each UTC day
    kept, so either granularity gives the UTC candle's close the bundled crypto history uses;
    the last day is the one still running.

    Raises:
        SourceError: On CoinGecko's error envelope or a body of the wrong shape.
    """
    _error_envelope(payload)
    if not isinstance(payload, dict) or not isinstance(payload.get("prices"), list):
        raise SourceError(SOURCE_ID, "unexpected response shape")
    by_day: dict[date, tuple[float, float]] = {}
    for row in payload["prices"]:
        if not isinstance(row, list) or len(row) < 2:
            continue
        stamp, price = number(row[0]), number(row[1])
        if stamp is None or price is None or not abs(stamp) < 1e14:
            continue
        day = (datetime.fromtimestamp(stamp / 1000, tz=UTC) - _CLOSE_SHIFT).date()
        if day not in by_day or stamp >= by_day[day][0]:
            by_day[day] = (stamp, price)
    return [(d, by_day[d][1]) for d in sorted(by_day)]


async def fetch_market_chart(
    fetcher: Fetcher,
    coin: str,
    base: str = DEFAULT_BASE,
    days: int = 365,
    *,
    breaker: str = "coingecko-backfill",
) -> list[tuple[date, float]]:
    """A coin's daily closes in USD over `days` (the public API's limit is 365); a breaker of
    its own, so a failing backfill never pauses the live prices."""
    url = rebase(f"{DEFAULT_BASE}/api/v3/coins/{quote(coin, safe='')}/market_chart", base)
    params = {"vs_currency": "usd", "days": str(days), "interval": "daily"}
    payload = await fetcher.get_json(SOURCE_ID, url, params=params, breaker=breaker)
    return parse_market_chart(payload)
