"""The asset catalogue: every series riskpulse knows, with its class, home and aliases.

This module is imported at start-up, so it holds plain data only (no pandas, no I/O).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AssetClass(StrEnum):
    """What kind of market an asset is; decides units, factors and peers."""

    EQUITY_INDEX = "equity index"
    STOCK = "single stock"
    CRYPTO = "crypto"
    PRECIOUS_METAL = "precious metal"
    ENERGY = "energy"
    FX = "fx"
    RATES = "rates"
    CREDIT = "credit"
    VOLATILITY = "volatility"
    FUTURE = "future"
    """A user's futures contract (Yahoo `quoteType` FUTURE) outside the metals and energy."""


class Unit(StrEnum):
    """How a series' level and change are read."""

    PRICE = "price"
    """A price or index level: changes in percent."""
    RATE = "rate"
    """A yield or spread in percent: changes in basis points."""
    BP = "bp"
    """A spread already in basis points: changes in basis points."""
    FUNDING = "funding"
    """A perpetual's funding rate in percent per 8 hours."""


class Region(StrEnum):
    """Where a market trades; Asia closes before New York opens."""

    US = "us"
    ASIA = "asia"
    EUROPE = "europe"
    GLOBAL = "global"


@dataclass(frozen=True, slots=True)
class Asset:
    """One tracked series, with every name it goes by.

    The catalogue is the one place that maps an asset to each source's symbol: adapters, panes
    and the drill-down read these fields instead of keeping tables of their own.

    Attributes:
        id: Canonical id, the stem of its bundled CSV.
        symbol: The display symbol (the ticker users know).
        name: Human name.
        asset_class: What kind of market it is.
        region: Where it trades.
        tz: Home time zone of its close.
        unit: How its level and changes are read.
        file: Bundled CSV stem, or "" for derived series.
        column: CSV column holding the level.
        aliases: Other names accepted on the command line and in the palette.
        quote_currency: What the price is quoted in (crypto on Binance is USDT).
        weekends: True when it trades seven days a week (crypto).
        short: Row label that fits a pane (at most 11 characters).
        decimals: Digits a price is rounded to in JSON (the instrument's precision).
        yahoo: Yahoo Finance symbol, when Yahoo quotes it live.
        stooq: Stooq symbol, when Stooq stands in for Yahoo.
        coingecko: CoinGecko coin id.
        binance: Binance USDT pair.
        fred: FRED series id.
    """

    id: str
    symbol: str
    name: str
    asset_class: AssetClass
    region: Region
    tz: str
    unit: Unit = Unit.PRICE
    file: str = ""
    column: str = "close"
    aliases: tuple[str, ...] = field(default_factory=tuple)
    quote_currency: str = "USD"
    weekends: bool = False
    short: str = ""
    decimals: int = 2
    yahoo: str | None = None
    stooq: str | None = None
    coingecko: str | None = None
    binance: str | None = None
    fred: str | None = None

    @property
    def is_risk_asset(self) -> bool:
        """Equity indices and crypto: the assets breadth counts (EXPLAIN_METHOD §4)."""
        return self.id in RISK_ASSETS

    @property
    def label(self) -> str:
        """The short row label (the name when no short one is set)."""
        return self.short or self.name

    @property
    def positive_only(self) -> bool:
        """True when a price at or below zero cannot be a real print (indices, stocks, crypto,
        metals, the dollar index, VIX). Oil futures went below zero on 2020-04-20; rates and
        spreads may be negative."""
        return self.unit is Unit.PRICE and self.asset_class is not AssetClass.ENERGY


def _idx(
    id: str,
    symbol: str,
    name: str,
    region: Region,
    tz: str,
    short: str,
    *aliases: str,
    stooq: str | None = None,
) -> Asset:
    return Asset(
        id,
        symbol,
        name,
        AssetClass.EQUITY_INDEX,
        region,
        tz,
        file=id,
        aliases=aliases,
        short=short,
        yahoo=symbol,
        stooq=stooq,
    )


_NY = "America/New_York"
_US, _ASIA, _EU, _GLOBAL = Region.US, Region.ASIA, Region.EUROPE, Region.GLOBAL
_RATES = AssetClass.RATES


def _crypto(id: str, name: str, coin: str, *aliases: str) -> Asset:
    ticker = id.upper()
    return Asset(
        id,
        f"{ticker}/USDT",
        name,
        AssetClass.CRYPTO,
        _GLOBAL,
        "UTC",
        file=id,
        aliases=(f"{id}-usd", f"{id}usdt", *aliases),
        quote_currency="USDT",
        weekends=True,
        short=ticker,
        coingecko=coin,
        binance=f"{ticker}USDT",
    )


def _rate(
    id: str,
    symbol: str,
    name: str,
    short: str,
    *aliases: str,
    column: str = "value",
    decimals: int = 3,
    yahoo: str | None = None,
) -> Asset:
    return Asset(
        id,
        symbol,
        name,
        _RATES,
        _US,
        _NY,
        Unit.RATE,
        file=id,
        column=column,
        aliases=aliases,
        short=short,
        decimals=decimals,
        yahoo=yahoo,
        fred=symbol,
    )


ASSETS: tuple[Asset, ...] = (
    _idx(
        "sp500",
        "^GSPC",
        "S&P 500",
        _US,
        _NY,
        "S&P 500",
        "spx",
        "^spx",
        "s&p",
        "gspc",
        "es=f",
        stooq="^spx",
    ),
    _idx(
        "nasdaq100",
        "^NDX",
        "Nasdaq 100",
        _US,
        _NY,
        "Nasdaq 100",
        "ndx",
        "nq=f",
        "nasdaq",
        stooq="^ndx",
    ),
    _idx(
        "dow",
        "^DJI",
        "Dow Jones",
        _US,
        _NY,
        "Dow",
        "dji",
        "djia",
        "dow jones",
        "dow30",
        stooq="^dji",
    ),
    _idx(
        "russell2000",
        "^RUT",
        "Russell 2000",
        _US,
        _NY,
        "Russell 2k",
        "rut",
        "russell",
        "russell 2k",
    ),
    _idx(
        "hang_seng",
        "^HSI",
        "Hang Seng",
        _ASIA,
        "Asia/Hong_Kong",
        "Hang Seng",
        "hsi",
        "hangseng",
        stooq="^hsi",
    ),
    _idx(
        "shanghai",
        "000001.SS",
        "Shanghai Comp.",
        _ASIA,
        "Asia/Shanghai",
        "Shanghai",
        "sse",
        "ssec",
        "shanghai composite",
        "sse composite",
    ),
    _idx(
        "nikkei225",
        "^N225",
        "Nikkei 225",
        _ASIA,
        "Asia/Tokyo",
        "Nikkei 225",
        "n225",
        "nikkei",
        stooq="^nkx",
    ),
    _idx("kospi", "^KS11", "KOSPI", _ASIA, "Asia/Seoul", "KOSPI", "ks11"),
    _idx("dax", "^GDAXI", "DAX", _EU, "Europe/Berlin", "DAX", "gdaxi", "dax40", stooq="^dax"),
    _idx(
        "eurostoxx50",
        "^STOXX50E",
        "Euro Stoxx 50",
        _EU,
        "Europe/Berlin",
        "EuroStoxx",
        "sx5e",
        "eurostoxx",
        "stoxx50",
        "estx50",
        "stoxx",
    ),
    _idx(
        "nasdaq_composite",
        "^IXIC",
        "Nasdaq Comp.",
        _US,
        _NY,
        "Nasdaq Cmp",
        "ixic",
        "comp",
        "nasdaq composite",
    ),
    Asset(
        "nvda",
        "NVDA",
        "Nvidia (adj.)",
        AssetClass.STOCK,
        _US,
        _NY,
        file="nvda",
        column="adj_close",
        aliases=("nvidia",),
        short="NVDA",
        yahoo="NVDA",
        stooq="nvda.us",
    ),
    Asset(
        "spy",
        "SPY",
        "SPDR S&P 500 (adj.)",
        AssetClass.STOCK,
        _US,
        _NY,
        file="spy",
        column="adj_close",
        short="SPY",
        yahoo="SPY",
        stooq="spy.us",
    ),
    Asset(
        "qqq",
        "QQQ",
        "Invesco QQQ (adj.)",
        AssetClass.STOCK,
        _US,
        _NY,
        file="qqq",
        column="adj_close",
        short="QQQ",
        yahoo="QQQ",
        stooq="qqq.us",
    ),
    _crypto("btc", "Bitcoin", "bitcoin", "bitcoin", "xbt"),
    _crypto("eth", "Ether", "ethereum", "ethereum"),
    _crypto("sol", "Solana", "solana", "solana"),
    Asset(
        "gold",
        "GC=F",
        "Gold",
        AssetClass.PRECIOUS_METAL,
        _GLOBAL,
        _NY,
        file="gold",
        aliases=("xau", "xauusd", "gc"),
        short="Gold",
        yahoo="GC=F",
        stooq="xauusd",
    ),
    Asset(
        "silver",
        "SI=F",
        "Silver",
        AssetClass.PRECIOUS_METAL,
        _GLOBAL,
        _NY,
        file="silver",
        aliases=("xag", "xagusd", "si"),
        short="Silver",
        decimals=3,
        yahoo="SI=F",
        stooq="xagusd",
    ),
    Asset(
        "wti",
        "CL=F",
        "WTI crude",
        AssetClass.ENERGY,
        _GLOBAL,
        _NY,
        file="wti",
        aliases=("oil", "crude", "cl", "wti crude", "wti oil"),
        short="WTI oil",
        yahoo="CL=F",
    ),
    Asset(
        "dxy",
        "DX-Y.NYB",
        "Dollar index",
        AssetClass.FX,
        _GLOBAL,
        _NY,
        file="dxy",
        aliases=("dollar", "usdx", "dx", "us dollar", "dollar index"),
        short="Dollar",
        decimals=3,
        yahoo="DX-Y.NYB",
    ),
    Asset(
        "vix", "^VIX", "VIX", AssetClass.VOLATILITY, _US, _NY, file="vix", short="VIX", yahoo="^VIX"
    ),
    _rate("ust2y", "DGS2", "US 2Y yield", "US 2Y", "2y", "us2y", "2-year"),
    _rate(
        "ust10y",
        "DGS10",
        "US 10Y yield",
        "US 10Y",
        "10y",
        "us10y",
        "tnx",
        "^tnx",
        "10-year",
        yahoo="^TNX",
    ),
    Asset(
        "sofr_iorb",
        "SOFR-IORB",
        "SOFR − IORB",
        _RATES,
        _US,
        _NY,
        Unit.BP,
        aliases=("sofr-iorb", "funding spread"),
        short="SOFR−IORB",
        decimals=1,
    ),
    Asset(
        "hy_spread",
        "HY OAS",
        "HY credit spread",
        AssetClass.CREDIT,
        _US,
        _NY,
        Unit.RATE,
        file="hy_spread",
        column="value",
        aliases=("bamlh0a0hym2", "hy", "credit spread"),
        short="HY spread",
        fred="BAMLH0A0HYM2",
    ),
    _rate(
        "fed_target",
        "DFEDTARU",
        "Fed target (upper)",
        "Fed target",
        "target",
        "fed funds target",
        column="upper",
        decimals=2,
    ),
    _rate("effr", "EFFR", "Effective fed funds", "EFFR", "fed funds", decimals=2),
    _rate("sofr", "SOFR", "SOFR", "SOFR", decimals=2),
    _rate("iorb", "IORB", "Interest on reserves", "IORB", decimals=2),
)

BY_ID: dict[str, Asset] = {a.id: a for a in ASSETS}

RISK_ASSETS: tuple[str, ...] = (
    "sp500",
    "nasdaq100",
    "dow",
    "russell2000",
    "hang_seng",
    "shanghai",
    "nikkei225",
    "kospi",
    "dax",
    "eurostoxx50",
    "btc",
    "eth",
    "sol",
)
"""Breadth's universe (EXPLAIN_METHOD §4): equity indices of three regions and crypto."""

PANE_ASSETS: dict[str, tuple[str, ...]] = {
    "indices": (
        "sp500",
        "nasdaq100",
        "dow",
        "russell2000",
        "hang_seng",
        "shanghai",
        "nikkei225",
        "kospi",
        "dax",
        "eurostoxx50",
        "nvda",
    ),
    "crypto": ("btc", "eth", "sol"),
    "macro": (
        "gold",
        "silver",
        "wti",
        "dxy",
        "vix",
        "ust2y",
        "ust10y",
        "sofr_iorb",
        "hy_spread",
        "fed_target",
        "effr",
    ),
}
"""Which quotes each dashboard pane shows, in order."""


def _norm(text: str) -> str:
    return text.strip().lower().replace("_", "").replace(" ", "")


_LOOKUP: dict[str, str] = {}
for _a in ASSETS:
    for _key in (_a.id, _a.symbol, _a.name, _a.short, *_a.aliases):
        _LOOKUP.setdefault(_norm(_key), _a.id)
    if _a.weekends:
        _LOOKUP.setdefault(_norm(_a.symbol.split("/")[0]), _a.id)


def resolve(name: str) -> Asset | None:
    """Find an asset by id, display symbol or alias, case-insensitively.

    Args:
        name: What the user typed: `btc`, `BTC-USD`, `^NDX`, `gold`, `GC=F`…

    Returns:
        The asset, or None when nothing matches.
    """
    asset_id = _LOOKUP.get(_norm(name))
    if asset_id is None and _norm(name).startswith("^"):
        asset_id = _LOOKUP.get(_norm(name)[1:])
    return BY_ID.get(asset_id) if asset_id else None


@dataclass(frozen=True, slots=True)
class ExtraRow:
    """A pane row that is not a catalogue asset (no daily close of its own to explain).

    Attributes:
        id: Row id.
        symbol: Display symbol.
        name: Human name.
        unit: How its level and change are read.
        short: Row label that fits a pane.
        decimals: Digits its level is rounded to in JSON.
        positive_only: True when a level at or below zero is no reading (open interest).
    """

    id: str
    symbol: str
    name: str
    unit: Unit
    short: str = ""
    decimals: int = 2
    positive_only: bool = False

    @property
    def label(self) -> str:
        """The short row label."""
        return self.short or self.name


EXTRA_ROWS: dict[str, ExtraRow] = {
    "btc_funding": ExtraRow(
        "btc_funding", "BTCUSDT perp", "BTC funding /8h", Unit.FUNDING, "Funding 8h", 6
    ),
    "btc_oi": ExtraRow(
        "btc_oi", "BTCUSDT perp", "BTC open interest, bn USDT", Unit.PRICE, "OI bn USDT", 3, True
    ),
}
"""The crypto pane's derivatives rows: funding per 8 hours and open interest."""

Row = Asset | ExtraRow
"""Anything a quote pane can show."""


def row(row_id: str) -> Row | None:
    """The catalogue asset or derivatives row with this id."""
    return BY_ID.get(row_id) or EXTRA_ROWS.get(row_id)


def register(assets: tuple[Asset, ...] | list[Asset]) -> None:
    """Add assets that are not built in (a user's symbols) to `BY_ID` and the name lookup.

    Built-in entries always win: an id, symbol or alias the catalogue already knows keeps
    pointing at the built-in asset. Registering the same asset again changes nothing.

    Args:
        assets: Assets built from the config (`tui.watchlist.build`).
    """
    for asset in assets:
        if asset.id in BY_ID and asset.id not in USER_IDS:
            continue
        BY_ID[asset.id] = asset
        USER_IDS.add(asset.id)
        for key in (asset.id, asset.symbol, *asset.aliases):
            _LOOKUP.setdefault(_norm(key), asset.id)


def unregister_users() -> None:
    """Forget every registered user asset (the catalogue as shipped; tests use it)."""
    for asset_id in list(USER_IDS):
        BY_ID.pop(asset_id, None)
    for key, asset_id in list(_LOOKUP.items()):
        if asset_id in USER_IDS:
            del _LOOKUP[key]
    USER_IDS.clear()


USER_IDS: set[str] = set()
"""Ids of the assets `register` added (not shipped in `ASSETS`)."""
