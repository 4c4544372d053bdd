"""A user's own symbols: validated, described from their quote, and registered as assets.

A symbol added with `riskpulse watch add` (or from the app) is checked with one quote request;
what the quote says about it (name, kind, exchange time zone, currency, precision) is kept in the
config under `[symbols."KEY"]`, and at start-up `install` builds an `Asset` from each entry and
registers it in the catalogue (`tui.assets.register`), so panes, live refreshes and `snapshot`
treat it like a built-in asset.

Keys: a Yahoo symbol as Yahoo writes it (`AAPL`, `0700.HK`, `^FTSE`, `EURUSD=X`, `ES=F`), a
CoinGecko coin as `coingecko:ID` (`coingecko:dogecoin`), a Binance USDT pair as `binance:PAIR`
(`binance:DOGEUSDT`). Only the characters each source uses are accepted, with a length limit,
before a symbol reaches a URL; the HTTP client then percent-encodes the query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tui.assets import BY_ID, USER_IDS, Asset, AssetClass, Region, register, resolve

YAHOO_RE = re.compile(r"^[A-Z0-9^][A-Z0-9.\-=^&]{0,19}$")
"""Yahoo symbols: letters, digits and `. - = ^ &`, at most 20 characters."""
COIN_RE = re.compile(r"^[a-z0-9][a-z0-9\-]{0,63}$")
"""CoinGecko coin ids: lower-case letters, digits and dashes, at most 64 characters."""
PAIR_RE = re.compile(r"^[A-Z0-9]{1,16}USDT$")
"""Binance spot pairs against USDT."""

SOURCES = ("yahoo", "coingecko", "binance")
_PREFIXES = {"coingecko": "coingecko", "cg": "coingecko", "binance": "binance", "bn": "binance"}

# Yahoo's `quoteType` (recorded: EQUITY, FUTURE, CURRENCY, CRYPTOCURRENCY, INDEX in the v7
# quotes; ETF and MUTUALFUND appear as chart `instrumentType`, PROVENANCE "API notes").
_CLASSES = {
    "EQUITY": AssetClass.STOCK,
    "ETF": AssetClass.STOCK,
    "MUTUALFUND": AssetClass.STOCK,
    "INDEX": AssetClass.EQUITY_INDEX,
    "FUTURE": AssetClass.FUTURE,
    "CURRENCY": AssetClass.FX,
    "CRYPTOCURRENCY": AssetClass.CRYPTO,
}


class WatchError(Exception):
    """A symbol that cannot be watched, in one line.

    Args:
        message: What is wrong.
        key: The `[symbols]` entry it is about, when it comes from the config.
    """

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class Spec:
    """A parsed symbol: where it is quoted and under what name.

    Attributes:
        source: `yahoo`, `coingecko` or `binance`.
        symbol: The source's own symbol (Yahoo ticker, coin id, pair).
    """

    source: str
    symbol: str

    @property
    def key(self) -> str:
        """How the config names it (`AAPL`, `coingecko:dogecoin`, `binance:DOGEUSDT`)."""
        return self.symbol if self.source == "yahoo" else f"{self.source}:{self.symbol}"

    @property
    def asset_id(self) -> str:
        """The catalogue id of the asset it becomes."""
        if self.source == "yahoo":
            return self.symbol.lower()
        return f"{'cg' if self.source == 'coingecko' else 'bn'}-{self.symbol.lower()}"


def parse_spec(text: str) -> Spec:
    """Validate what the user typed.

    Args:
        text: `AAPL`, `0700.hk`, `coingecko:dogecoin`, `binance:DOGEUSDT`…

    Returns:
        The source and its symbol, normalised.

    Raises:
        WatchError: When the text holds characters or a length the source does not use.
    """
    raw = text.strip()
    prefix, sep, rest = raw.partition(":")
    if sep and prefix.lower() in _PREFIXES:
        source = _PREFIXES[prefix.lower()]
        if source == "coingecko" and COIN_RE.match(rest.strip().lower()):
            return Spec(source, rest.strip().lower())
        if source == "binance" and PAIR_RE.match(rest.strip().upper()):
            return Spec(source, rest.strip().upper())
        what = "a coin id such as dogecoin" if source == "coingecko" else "a pair such as DOGEUSDT"
        raise WatchError(f"not a valid {source} symbol: {_shown(rest)} (want {what})")
    if YAHOO_RE.match(raw.upper()):
        return Spec("yahoo", raw.upper())
    raise WatchError(
        f"not a valid symbol: {_shown(raw)} (letters, digits and . - = ^ &, at most 20; "
        "coins as coingecko:ID or binance:PAIRUSDT)"
    )


def _shown(text: str) -> str:
    """Untrusted text for an error line: quoted, printable, cut short."""
    clean = "".join(c if c.isprintable() else "?" for c in text)
    return repr(clean[:40])


def _region(tz: str) -> Region:
    if tz.startswith("America/"):
        return Region.US
    if tz.startswith(("Asia/", "Australia/", "Pacific/")):
        return Region.ASIA
    if tz.startswith("Europe/"):
        return Region.EUROPE
    return Region.GLOBAL


def _text(row: Mapping[str, Any], *keys: str) -> str | None:
    """The first non-empty text field, printable characters only (an API's text never carries
    terminal escapes into `watch list` or the config), at most 60 characters."""
    for key in keys:
        value = row.get(key)
        if isinstance(value, str):
            clean = "".join(c for c in value if c.isprintable()).strip()
            if clean:
                return clean[:60]
    return None


def describe_yahoo(spec: Spec, row: Mapping[str, Any]) -> dict[str, Any]:
    """The config entry for a Yahoo symbol, from its v7 quote row.

    Reads the recorded v7 fields `quoteType`, `exchangeTimezoneName`, `fullExchangeName`,
    `currency`, `priceHint`, `longName`/`shortName`/`displayName` (quote_v7_AAPL,BABA.json).

    Args:
        spec: The symbol.
        row: Its `quoteResponse.result` row.

    Returns:
        The table kept under `[symbols."KEY"]`.
    """
    kind = _CLASSES.get(str(row.get("quoteType")), AssetClass.STOCK)
    tz = _text(row, "exchangeTimezoneName") or "America/New_York"
    hint = row.get("priceHint")
    decimals = hint if isinstance(hint, int) and 0 <= hint <= 8 else 2
    region = Region.GLOBAL if kind in (AssetClass.FX, AssetClass.CRYPTO) else _region(tz)
    return {
        "source": "yahoo",
        "name": _text(row, "longName", "shortName", "displayName") or spec.symbol,
        "class": kind.value,
        "region": region.value,
        "tz": tz,
        "exchange": _text(row, "fullExchangeName", "exchange") or "",
        "currency": _text(row, "currency") or "USD",
        "decimals": decimals,
    }


def _decimals_for(price: float | None) -> int:
    """Digits for a coin price: neither CoinGecko's markets nor Binance's ticker carries the
    precision, so it follows the size of the price (two digits from 1, more below)."""
    if price is None or price >= 1:
        return 2
    digits = 2
    while price < 10 ** -(digits - 2) and digits < 10:
        digits += 1
    return digits + 2


def describe_coin(spec: Spec, row: Mapping[str, Any]) -> dict[str, Any]:
    """The config entry for a CoinGecko coin (a `/coins/markets` row) or a Binance pair (a
    `/ticker/24hr` object).

    Args:
        spec: The coin.
        row: Its row in the reply.

    Returns:
        The table kept under `[symbols."KEY"]`.
    """
    if spec.source == "coingecko":
        ticker = (_text(row, "symbol") or spec.symbol).upper()
        price = row.get("current_price")
        name = _text(row, "name") or spec.symbol
        currency = "USD"
    else:
        ticker = spec.symbol.removesuffix("USDT")
        try:
            price = float(row.get("lastPrice", ""))
        except (TypeError, ValueError):
            price = None
        name, currency = ticker, "USDT"
    return {
        "source": spec.source,
        "name": name,
        "ticker": ticker[:12],
        "class": AssetClass.CRYPTO.value,
        "region": Region.GLOBAL.value,
        "tz": "UTC",
        "currency": currency,
        "decimals": _decimals_for(price if isinstance(price, int | float) else None),
    }


def build(key: str, entry: Mapping[str, Any]) -> Asset:
    """The asset a `[symbols."KEY"]` entry describes.

    Args:
        key: The entry's key (validated again: the config is user-edited).
        entry: Its table.

    Raises:
        WatchError: When the key or a field is not valid.
    """
    spec = parse_spec(key)
    if spec.key != key:
        raise WatchError(f"write the symbol as {spec.key!r}")
    try:
        kind = AssetClass(str(entry.get("class", "single stock")))
        region = Region(str(entry.get("region", "global")))
    except ValueError as exc:
        raise WatchError(str(exc)) from None
    decimals = entry.get("decimals", 2)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 10:
        raise WatchError("decimals must be a whole number from 0 to 10")
    name = "".join(c for c in str(entry.get("name") or spec.symbol) if c.isprintable())[:60]
    crypto = spec.source != "yahoo"
    ticker = str(entry.get("ticker") or spec.symbol).upper()[:12]
    return Asset(
        spec.asset_id,
        f"{ticker}/{entry.get('currency', 'USD')}" if crypto else spec.symbol,
        name,
        kind,
        region,
        str(entry.get("tz") or "UTC"),
        aliases=(spec.key,) if crypto else (),
        quote_currency=str(entry.get("currency") or "USD")[:8],
        weekends=crypto or kind is AssetClass.CRYPTO,
        short=(ticker if crypto else spec.symbol)[:11],
        decimals=decimals,
        yahoo=spec.symbol if spec.source == "yahoo" else None,
        coingecko=spec.symbol if spec.source == "coingecko" else None,
        binance=spec.symbol if spec.source == "binance" else f"{ticker}USDT" if crypto else None,
    )


def install(symbols: Mapping[str, Mapping[str, Any]]) -> list[Asset]:
    """Build every configured symbol and register it in the catalogue (`BY_ID`, `resolve`).

    Args:
        symbols: The config's `[symbols]` table.

    Returns:
        The assets, in config order.

    Raises:
        WatchError: Naming the first entry that is not valid.
    """
    assets = []
    for key, entry in symbols.items():
        try:
            assets.append(build(key, entry))
        except WatchError as exc:
            raise WatchError(str(exc), key) from None
    register(assets)
    return assets


def known(text: str) -> Asset | None:
    """The built-in or registered asset `text` names, if any."""
    return resolve(text)


def is_user(asset_id: str) -> bool:
    """True for an asset registered from the config."""
    return asset_id in USER_IDS and asset_id in BY_ID


def completions() -> list[str]:
    """Every symbol the add prompt completes over: built-in symbols, then the user's."""
    return sorted({a.symbol if not a.weekends else a.short for a in BY_ID.values()})
