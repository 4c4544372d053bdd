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
    """One tracked series.

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
        quote_currency: What the price is quoted in, when it matters (crypto is USDT).
        weekends: True when it trades seven days a week (crypto).
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

    @property
    def is_risk_asset(self) -> bool:
        """Equity indices and crypto: the assets breadth counts (EXPLAIN_METHOD §4)."""
        return self.id in RISK_ASSETS


def _idx(id: str, symbol: str, name: str, region: Region, tz: str, *aliases: str) -> Asset:
    return Asset(id, symbol, name, AssetClass.EQUITY_INDEX, region, tz, file=id, aliases=aliases)


_NY = "America/New_York"

ASSETS: tuple[Asset, ...] = (
    _idx("sp500", "^GSPC", "S&P 500", Region.US, _NY, "spx", "^spx", "s&p", "gspc", "es=f"),
    _idx("nasdaq100", "^NDX", "Nasdaq 100", Region.US, _NY, "ndx", "nq=f", "nasdaq"),
    _idx("dow", "^DJI", "Dow Jones", Region.US, _NY, "dji", "djia", "dow jones", "dow30"),
    _idx("russell2000", "^RUT", "Russell 2000", Region.US, _NY, "rut", "russell", "russell 2k"),
    _idx("hang_seng", "^HSI", "Hang Seng", Region.ASIA, "Asia/Hong_Kong", "hsi", "hangseng"),
    _idx(
        "shanghai",
        "000001.SS",
        "Shanghai Comp.",
        Region.ASIA,
        "Asia/Shanghai",
        "sse",
        "ssec",
        "shanghai composite",
        "sse composite",
    ),
    _idx("nikkei225", "^N225", "Nikkei 225", Region.ASIA, "Asia/Tokyo", "n225", "nikkei"),
    _idx("kospi", "^KS11", "KOSPI", Region.ASIA, "Asia/Seoul", "ks11"),
    _idx("dax", "^GDAXI", "DAX", Region.EUROPE, "Europe/Berlin", "gdaxi", "dax40"),
    _idx(
        "eurostoxx50",
        "^STOXX50E",
        "Euro Stoxx 50",
        Region.EUROPE,
        "Europe/Berlin",
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
        Region.US,
        _NY,
        "ixic",
        "comp",
        "nasdaq composite",
    ),
    Asset(
        "nvda",
        "NVDA",
        "Nvidia (adj.)",
        AssetClass.STOCK,
        Region.US,
        _NY,
        file="nvda",
        column="adj_close",
        aliases=("nvidia",),
    ),
    Asset(
        "spy",
        "SPY",
        "SPDR S&P 500 (adj.)",
        AssetClass.STOCK,
        Region.US,
        _NY,
        file="spy",
        column="adj_close",
    ),
    Asset(
        "qqq",
        "QQQ",
        "Invesco QQQ (adj.)",
        AssetClass.STOCK,
        Region.US,
        _NY,
        file="qqq",
        column="adj_close",
    ),
    Asset(
        "btc",
        "BTC/USDT",
        "Bitcoin",
        AssetClass.CRYPTO,
        Region.GLOBAL,
        "UTC",
        file="btc",
        aliases=("bitcoin", "btc-usd", "btcusdt", "xbt"),
        quote_currency="USDT",
        weekends=True,
    ),
    Asset(
        "eth",
        "ETH/USDT",
        "Ether",
        AssetClass.CRYPTO,
        Region.GLOBAL,
        "UTC",
        file="eth",
        aliases=("ethereum", "eth-usd", "ethusdt"),
        quote_currency="USDT",
        weekends=True,
    ),
    Asset(
        "sol",
        "SOL/USDT",
        "Solana",
        AssetClass.CRYPTO,
        Region.GLOBAL,
        "UTC",
        file="sol",
        aliases=("solana", "sol-usd", "solusdt"),
        quote_currency="USDT",
        weekends=True,
    ),
    Asset(
        "gold",
        "GC=F",
        "Gold",
        AssetClass.PRECIOUS_METAL,
        Region.GLOBAL,
        _NY,
        file="gold",
        aliases=("xau", "xauusd", "gc"),
    ),
    Asset(
        "silver",
        "SI=F",
        "Silver",
        AssetClass.PRECIOUS_METAL,
        Region.GLOBAL,
        _NY,
        file="silver",
        aliases=("xag", "xagusd", "si"),
    ),
    Asset(
        "wti",
        "CL=F",
        "WTI crude",
        AssetClass.ENERGY,
        Region.GLOBAL,
        _NY,
        file="wti",
        aliases=("oil", "crude", "cl", "wti crude", "wti oil"),
    ),
    Asset(
        "dxy",
        "DX-Y.NYB",
        "Dollar index",
        AssetClass.FX,
        Region.GLOBAL,
        _NY,
        file="dxy",
        aliases=("dollar", "usdx", "dx", "us dollar", "dollar index"),
    ),
    Asset("vix", "^VIX", "VIX", AssetClass.VOLATILITY, Region.US, _NY, file="vix"),
    Asset(
        "ust2y",
        "DGS2",
        "US 2Y yield",
        AssetClass.RATES,
        Region.US,
        _NY,
        Unit.RATE,
        file="ust2y",
        column="value",
        aliases=("2y", "us2y", "2-year"),
    ),
    Asset(
        "ust10y",
        "DGS10",
        "US 10Y yield",
        AssetClass.RATES,
        Region.US,
        _NY,
        Unit.RATE,
        file="ust10y",
        column="value",
        aliases=("10y", "us10y", "tnx", "^tnx", "10-year"),
    ),
    Asset(
        "sofr_iorb",
        "SOFR-IORB",
        "SOFR − IORB",
        AssetClass.RATES,
        Region.US,
        _NY,
        Unit.BP,
        aliases=("sofr-iorb", "funding spread"),
    ),
    Asset(
        "hy_spread",
        "HY OAS",
        "HY credit spread",
        AssetClass.CREDIT,
        Region.US,
        _NY,
        Unit.RATE,
        file="hy_spread",
        column="value",
        aliases=("bamlh0a0hym2", "hy", "credit spread"),
    ),
    Asset(
        "fed_target",
        "DFEDTARU",
        "Fed target (upper)",
        AssetClass.RATES,
        Region.US,
        _NY,
        Unit.RATE,
        file="fed_target",
        column="upper",
        aliases=("target", "fed funds target"),
    ),
    Asset(
        "effr",
        "EFFR",
        "Effective fed funds",
        AssetClass.RATES,
        Region.US,
        _NY,
        Unit.RATE,
        file="effr",
        column="value",
        aliases=("fed funds",),
    ),
    Asset(
        "sofr",
        "SOFR",
        "SOFR",
        AssetClass.RATES,
        Region.US,
        _NY,
        Unit.RATE,
        file="sofr",
        column="value",
    ),
    Asset(
        "iorb",
        "IORB",
        "Interest on reserves",
        AssetClass.RATES,
        Region.US,
        _NY,
        Unit.RATE,
        file="iorb",
        column="value",
    ),
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
    for _key in (_a.id, _a.symbol, _a.name, *_a.aliases):
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
    """A pane row that is not a catalogue asset (no daily close of its own to explain)."""

    id: str
    symbol: str
    name: str
    unit: Unit


EXTRA_ROWS: dict[str, ExtraRow] = {
    "btc_funding": ExtraRow("btc_funding", "BTCUSDT perp", "BTC funding /8h", Unit.FUNDING),
    "btc_oi": ExtraRow("btc_oi", "BTCUSDT perp", "BTC open interest, bn USDT", Unit.PRICE),
}
"""The crypto pane's derivatives rows: funding per 8 hours and open interest."""
