"""CNN's stock-market fear & greed with its seven components (`/index/fearandgreed/graphdata`).

Quirks (fixtures' PROVENANCE): without a browser User-Agent the server answers HTTP 418
("I'm a teapot. You're a bot."); each component is `{timestamp, score, rating, data[{x, y}]}`
with `x` in epoch milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.sanitize import clean, clean_optional
from tui.sources.base import SourceError, rebase
from tui.sources.errors import shape_guard
from tui.sources.numbers import finite, number

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "cnn"
DEFAULT_BASE = "https://production.dataviz.cnn.io"
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Accept": "application/json",
}
COMPONENTS = (
    "market_momentum_sp500",
    "stock_price_strength",
    "stock_price_breadth",
    "put_call_options",
    "market_volatility_vix",
    "junk_bond_demand",
    "safe_haven_demand",
)


@dataclass(frozen=True, slots=True)
class StockFearGreed:
    """The index now, its history markers and each component's latest raw value and rating."""

    score: float
    rating: str
    time: datetime
    previous_close: float | None
    previous_1_week: float | None
    components: dict[str, tuple[float | None, str | None]]


@shape_guard(SOURCE_ID)
def parse(payload: Any) -> StockFearGreed:
    """Parse a graphdata reply.

    Raises:
        SourceError: When the headline index is missing or malformed.
    """
    head = payload.get("fear_and_greed") if isinstance(payload, dict) else None
    raw = number(head.get("score")) if isinstance(head, dict) else None
    if not isinstance(head, dict) or raw is None:
        raise SourceError(SOURCE_ID, "response has no fear & greed score")
    score = finite(raw)
    if score is None or not 0 <= score <= 100:
        raise SourceError(SOURCE_ID, "sent a fear & greed score outside 0–100")
    try:
        stamp = datetime.fromisoformat(str(head["timestamp"]))
    except (KeyError, ValueError):
        raise SourceError(SOURCE_ID, "response has no readable timestamp") from None
    components: dict[str, tuple[float | None, str | None]] = {}
    for key in COMPONENTS:
        part = payload.get(key)
        if not isinstance(part, dict):
            continue
        data = part.get("data")
        last = (
            finite(data[-1].get("y"))
            if isinstance(data, list) and data and isinstance(data[-1], dict)
            else None
        )
        components[key] = (last, clean_optional(part.get("rating"), 40))
    return StockFearGreed(
        score,
        clean(head.get("rating", ""), 40),
        stamp,
        finite(head.get("previous_close")),
        finite(head.get("previous_1_week")),
        components,
    )


async def fetch(fetcher: Fetcher, base: str = DEFAULT_BASE) -> StockFearGreed:
    """The index and its components now (browser headers: CNN answers 418 to bots)."""
    url = rebase(f"{DEFAULT_BASE}/index/fearandgreed/graphdata", base)
    headers = {**BROWSER_HEADERS, "Referer": "https://edition.cnn.com/"}
    return parse(await fetcher.get_json(SOURCE_ID, url, headers=headers))
