"""Binance: spot 24-hour tickers (crypto fallback) and USDT-M perpetual funding.

Quirks (fixtures' PROVENANCE): numbers are strings; errors are `{"code", "msg"}` (−1121 invalid
symbol); a restricted location answers HTTP 451 with a `code: 0` body, which riskpulse reports
as a geo-block rather than retrying.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from tui.assets import ASSETS
from tui.sanitize import clean
from tui.sources.base import SourceError, rebase
from tui.sources.errors import shape_guard
from tui.sources.numbers import finite, present, required

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "binance"
SPOT_BASE = "https://api.binance.com"
FUTURES_BASE = "https://fapi.binance.com"
T = TypeVar("T")
SYMBOLS = {a.id: a.binance for a in ASSETS if a.binance}


@dataclass(frozen=True, slots=True)
class Ticker:
    """A spot 24-hour ticker in USDT."""

    symbol: str
    last: float
    change: float
    change_pct: float
    open: float
    close_time: datetime


@dataclass(frozen=True, slots=True)
class Funding:
    """One funding settlement."""

    time: datetime
    rate: float
    mark_price: float | None


def _check(payload: Any) -> None:
    if isinstance(payload, dict) and "code" in payload and "msg" in payload:
        msg = str(payload["msg"])
        if "restricted location" in msg:
            raise SourceError(SOURCE_ID, "not available from this location (HTTP 451)")
        raise SourceError(SOURCE_ID, f"API error {payload['code']}: {clean(msg, 100)}")


def _stamp(ms: Any) -> datetime:
    return datetime.fromtimestamp(int(ms) / 1000, tz=UTC)


def _price(value: Any) -> float:
    return present(value)  # inf, 0 or below go on to the reading gate, which names them


def _each_row(payload: Any, build: Callable[[Any], T], what: str) -> list[T]:
    """The rows of a list reply, each read by `build`; a row that cannot be read is skipped,
    never guessed.

    Raises:
        SourceError: On an error envelope, a reply that is not a list, or a non-empty list with
            no readable row.
    """
    _check(payload)
    if not isinstance(payload, list):
        raise SourceError(SOURCE_ID, "unexpected response shape")
    out = []
    for row in payload:
        try:
            out.append(build(row))
        except (KeyError, IndexError, TypeError, ValueError, OverflowError, OSError):
            continue
    if payload and not out:
        raise SourceError(SOURCE_ID, f"response held no readable {what}")
    return out


@shape_guard(SOURCE_ID)
def parse_tickers(payload: Any) -> dict[str, Ticker]:
    """Parse `/api/v3/ticker/24hr` (one object, or a list when several symbols are asked)."""
    _check(payload)
    rows = payload if isinstance(payload, list) else [payload]
    out: dict[str, Ticker] = {}
    for row in rows:
        try:
            symbol = clean(row["symbol"], 20)
            out[symbol] = Ticker(
                symbol,
                _price(row["lastPrice"]),
                required(row["priceChange"]),
                required(row["priceChangePercent"]),
                _price(row["openPrice"]),
                _stamp(row["closeTime"]),
            )
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            continue
    if not out:
        raise SourceError(SOURCE_ID, "response held no readable ticker")
    return out


@dataclass(frozen=True, slots=True)
class OpenInterest:
    """Open interest of the BTCUSDT perpetual at one time."""

    time: datetime
    contracts: float
    value_usdt: float


@shape_guard(SOURCE_ID)
def parse_open_interest_hist(payload: Any) -> list[OpenInterest]:
    """Parse `/futures/data/openInterestHist`, oldest first (`timestamp` may be a number or,
    in older replies, a string; the values are strings).

    Raises:
        SourceError: On an error envelope or a reply with no readable point.
    """
    points = _each_row(
        payload,
        lambda row: OpenInterest(
            _stamp(row["timestamp"]),
            _price(row["sumOpenInterest"]),
            _price(row["sumOpenInterestValue"]),
        ),
        "open interest",
    )
    return sorted(points, key=lambda p: p.time)


@shape_guard(SOURCE_ID)
def parse_funding(payload: Any) -> list[Funding]:
    """Parse `/fapi/v1/fundingRate`, oldest first."""

    def funding(row: Any) -> Funding:
        return Funding(
            _stamp(row["fundingTime"]), required(row["fundingRate"]), finite(row.get("markPrice"))
        )

    return sorted(_each_row(payload, funding, "funding print"), key=lambda f: f.time)


async def fetch_tickers(fetcher: Fetcher, base: str = SPOT_BASE) -> dict[str, Ticker]:
    """Every tracked coin's 24-hour spot ticker in one request (`symbols=[…]`)."""
    url = rebase(f"{SPOT_BASE}/api/v3/ticker/24hr", base)
    symbols = "[" + ",".join(f'"{s}"' for s in SYMBOLS.values()) + "]"
    return parse_tickers(await fetcher.get_json(SOURCE_ID, url, params={"symbols": symbols}))


async def fetch_funding(fetcher: Fetcher, base: str = FUTURES_BASE) -> list[Funding]:
    """The last two BTCUSDT funding settlements (the latest and the one it changed from)."""
    url = rebase(f"{FUTURES_BASE}/fapi/v1/fundingRate", base)
    params = {"symbol": "BTCUSDT", "limit": "2"}
    return parse_funding(await fetcher.get_json(SOURCE_ID, url, params=params))


@shape_guard(SOURCE_ID)
def parse_klines(payload: Any) -> list[tuple[date, float]]:
    """Parse `/api/v3/klines` rows (`[openTime, open, high, low, close, …]`, numbers as
    strings) into (UTC day of the open, close), oldest first."""
    return _each_row(payload, lambda row: (_stamp(row[0]).date(), _price(row[4])), "candle")


async def fetch_daily_klines(
    fetcher: Fetcher,
    symbol: str,
    base: str = SPOT_BASE,
    limit: int = 400,
    *,
    breaker: str = "binance-backfill",
) -> list[tuple[date, float]]:
    """Daily candles of one spot pair (the bundled crypto history is these candles); a breaker
    of their own, so a failing backfill never pauses the live tickers."""
    url = rebase(f"{SPOT_BASE}/api/v3/klines", base)
    params = {"symbol": symbol, "interval": "1d", "limit": str(limit)}
    payload = await fetcher.get_json(SOURCE_ID, url, params=params, breaker=breaker)
    return parse_klines(payload)


async def fetch_open_interest(fetcher: Fetcher, base: str = FUTURES_BASE) -> list[OpenInterest]:
    """The last two daily open-interest points of BTCUSDT (the bundled history's series)."""
    url = rebase(f"{FUTURES_BASE}/futures/data/openInterestHist", base)
    params = {"symbol": "BTCUSDT", "period": "1d", "limit": "2"}
    return parse_open_interest_hist(await fetcher.get_json(SOURCE_ID, url, params=params))
