"""CoinGecko crypto prices (`/api/v3/coins/markets`), one batched request for every coin.

Prices are in USD here (the bundled history is Binance USDT): the pane labels which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

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


@shape_guard(SOURCE_ID)
def parse_markets(payload: Any) -> dict[str, CoinQuote]:
    """Parse a `/coins/markets` reply, keyed by riskpulse asset id.

    Raises:
        SourceError: On CoinGecko's error envelope (rate limit) or a body of the wrong shape.
    """
    if isinstance(payload, dict) and isinstance(payload.get("status"), dict):
        status = payload["status"]
        raise SourceError(
            SOURCE_ID,
            f"API error {status.get('error_code')}: {clean(status.get('error_message', ''), 80)}",
            retryable=status.get("error_code") == 429,
        )
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
