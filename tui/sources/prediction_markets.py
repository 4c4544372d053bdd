"""Kalshi and Polymarket odds for FOMC decisions, the cross-check beside the futures method.

Quirks (fixtures' PROVENANCE): Kalshi prices are strings in dollars (`yes_bid_dollars`), one
market per outcome under an event per meeting (`-C26` cut >25, `-C25`, `-H0` hold, `-H25`,
`-H26` hike >25). Polymarket's `outcomes` and `outcomePrices` are JSON encoded inside JSON,
read by label (index 0 is usually "Yes", never assumed); one market per bracket named in
`groupItemTitle`. Probabilities are reported as each market prices them, not rescaled to sum to
one.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tui.bundled import fomc_decision_days
from tui.fed_odds import Basis, OddsMethod, OddsReading, OddsSource, is_complete
from tui.sources.base import SourceError, rebase

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

KALSHI_ID, POLYMARKET_ID = "kalshi", "polymarket"
KALSHI_BASE = "https://api.elections.kalshi.com"
POLYMARKET_BASE = "https://gamma-api.polymarket.com"
KALSHI_SUFFIX: dict[str, int] = {"C26": -50, "C25": -25, "H0": 0, "H25": 25, "H26": 50}
"""Outcome ticker suffix → move in bp (">25" is filed under 50)."""
_POLY_BRACKET = re.compile(r"(\d+)\+?\s*bps?\s+(decrease|increase)", re.I)


@dataclass(frozen=True, slots=True)
class MeetingMarket:
    """One meeting's market-implied odds.

    Attributes:
        meeting: Decision day.
        probabilities: Move decided at that meeting, in bp → price of "Yes" (0–1), by label.
        source: `kalshi` or `polymarket`.
    """

    meeting: date
    probabilities: dict[int, float]
    source: str

    def reading(self, day: date) -> OddsReading:
        """The composer's input: the move at the meeting; complete when the prices sum to one."""
        return OddsReading(
            self.meeting,
            day,
            OddsSource(self.source),
            OddsMethod.MARKET,
            dict(self.probabilities),
            Basis.AT_MEETING,
            complete=is_complete(self.probabilities),
        )


def _dollars(text: Any) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if 0.0 <= value <= 1.0 else None


def parse_kalshi_events(payload: Any) -> list[MeetingMarket]:
    """Parse `/events?series_ticker=KXFEDDECISION&with_nested_markets=true`.

    Raises:
        SourceError: On Kalshi's error envelope or a body of the wrong shape.
    """
    if isinstance(payload, dict) and "error" in payload:
        raise SourceError(KALSHI_ID, f"API error: {str(payload['error'])[:120]}")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        raise SourceError(KALSHI_ID, "unexpected response shape")
    out = []
    for event in events:
        try:
            meeting = datetime.fromisoformat(str(event["strike_date"]).replace("Z", "+00:00"))
        except (KeyError, ValueError):
            continue
        probs: dict[int, float] = {}
        for market in event.get("markets") or []:
            move = KALSHI_SUFFIX.get(str(market.get("ticker", "")).rsplit("-", 1)[-1])
            bid = _dollars(market.get("yes_bid_dollars"))
            ask = _dollars(market.get("yes_ask_dollars"))
            if move is None or bid is None or ask is None:
                continue
            probs[move] = (bid + ask) / 2
        if probs:
            out.append(MeetingMarket(meeting.date(), dict(sorted(probs.items())), KALSHI_ID))
    return sorted(out, key=lambda m: m.meeting)


def _poly_move(title: str) -> int | None:
    if title.strip().lower() == "no change":
        return 0
    match = _POLY_BRACKET.search(title)
    if not match:
        return None
    size = int(match.group(1))
    return -size if match.group(2).lower() == "decrease" else size


def _yes_price(market: dict[str, Any]) -> float | None:
    """The "Yes" price of a binary market, found by its label in `outcomes` (never by position:
    a market listing "No" first would otherwise turn 80.5% into 19.5%)."""
    try:
        # Both are JSON strings inside the JSON.
        labels = json.loads(market["outcomes"])
        prices = json.loads(market["outcomePrices"])
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(labels, list) or not isinstance(prices, list) or len(labels) != len(prices):
        return None
    named = [i for i, label in enumerate(labels) if str(label).strip().lower() == "yes"]
    return _dollars(prices[named[0]]) if len(named) == 1 else None


def parse_polymarket_event(payload: Any) -> MeetingMarket:
    """Parse a Gamma `/events?slug=…` reply (an array) or `/events/slug/…` (an object).

    Raises:
        SourceError: When the event or its prices cannot be read.
    """
    event = payload[0] if isinstance(payload, list) and payload else payload
    if not isinstance(event, dict) or not isinstance(event.get("markets"), list):
        raise SourceError(POLYMARKET_ID, "unexpected response shape")
    try:
        ends = datetime.fromisoformat(str(event["endDate"]).replace("Z", "+00:00")).date()
    except (KeyError, ValueError):
        raise SourceError(POLYMARKET_ID, "event has no end date") from None
    days = fomc_decision_days()
    i = bisect_right(days, ends) - 1
    if i < 0 or (ends - days[i]).days > 2:
        raise SourceError(POLYMARKET_ID, f"no FOMC meeting in the calendar ends by {ends}")
    probs: dict[int, float] = {}
    for market in event["markets"]:
        move = _poly_move(str(market.get("groupItemTitle", "")))
        yes = _yes_price(market)
        if move is not None and yes is not None:
            probs[move] = yes
    if not probs:
        raise SourceError(POLYMARKET_ID, "event held no readable prices")
    return MeetingMarket(days[i], dict(sorted(probs.items())), POLYMARKET_ID)


def parse_polymarket_events(payload: Any) -> list[MeetingMarket]:
    """Parse a Gamma `/events` list, keeping the FOMC decision events the calendar knows.

    Raises:
        SourceError: When the reply is not a list or holds no readable decision event.
    """
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        raise SourceError(POLYMARKET_ID, "unexpected response shape")
    out: dict[date, MeetingMarket] = {}
    for event in payload:
        if not isinstance(event, dict) or not str(event.get("title", "")).startswith(
            "Fed Decision"
        ):
            continue
        try:
            market = parse_polymarket_event(event)
        except SourceError:
            continue
        out.setdefault(market.meeting, market)
    if not out:
        raise SourceError(POLYMARKET_ID, "no open FOMC decision event in the reply")
    return [out[d] for d in sorted(out)]


async def fetch_kalshi(fetcher: Fetcher, base: str = KALSHI_BASE) -> list[MeetingMarket]:
    """Open KXFEDDECISION events with their outcome markets, one request."""
    url = rebase(f"{KALSHI_BASE}/trade-api/v2/events", base)
    params = {
        "series_ticker": "KXFEDDECISION",
        "status": "open",
        "with_nested_markets": "true",
        "limit": "20",
    }
    markets = parse_kalshi_events(await fetcher.get_json(KALSHI_ID, url, params=params))
    if not markets:
        raise SourceError(KALSHI_ID, "no open decision event with readable prices")
    return markets


async def fetch_polymarket(fetcher: Fetcher, base: str = POLYMARKET_BASE) -> list[MeetingMarket]:
    """Open events of the `fomc` tag (slugs carry a numeric suffix: never guess them)."""
    url = rebase(f"{POLYMARKET_BASE}/events", base)
    params = {"tag_slug": "fomc", "closed": "false", "limit": "20"}
    return parse_polymarket_events(await fetcher.get_json(POLYMARKET_ID, url, params=params))
