"""Channels that carry a move between markets, each with a status (EXPLAIN_METHOD §9).

A channel's z is its change against the standard deviation of its own daily changes over the
past year (§9), written "σ, 1y" so it is not mistaken for the EWMA σ that sizes the move (§2).

Every channel is checked for every asset; the asset's class decides which get a line of their
own (`RELEVANT`), the others are listed under "also checked". A channel **moved** when one of
its readings changed by |z| ≥ 1.5 against its own daily changes of the past year, or sits in its
extreme decile; **quiet** when checked and not; **no data** with the reason otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tui.assets import BY_ID, AssetClass, Region, Unit
from tui.explain.attribution import Attribution
from tui.explain.panel import Panel, move_between
from tui.history import History
from tui.numtext import plain, signed

MOVED_Z = 1.5
"""|z| at or above this: the channel moved."""
YEAR = 252
"""Past daily changes a channel's move is sized against."""
MIN_CHANGES = 20
"""Fewer past changes than this: the move is reported but not sized."""

MOVED, QUIET, NO_DATA = "moved", "quiet", "no data"
LABELS = {
    "equities": "Equities",
    "rates": "Rates",
    "dollar": "Dollar",
    "fed_odds": "Fed odds",
    "liquidity": "Liquidity",
    "credit": "Credit",
    "volatility": "Volatility",
    "stock_sentiment": "Stock sentiment",
    "crypto_sentiment": "Crypto sentiment",
    "risk_appetite": "Risk appetite (crypto)",
    "crypto_leverage": "Crypto leverage",
    "flows": "ETF flows",
    "headlines": "Headlines",
    "fed_decision": "FOMC decision",
}
_EQUITY = ("equities", "rates", "dollar", "fed_odds", "liquidity", "credit", "volatility")
RELEVANT: dict[str, tuple[str, ...]] = {
    "crypto": tuple(c for c in LABELS if c not in ("risk_appetite", "fed_decision")),
    "equity": (*_EQUITY, "stock_sentiment", "risk_appetite", "headlines"),
    "metal": ("dollar", "rates", "fed_odds", "equities", "volatility", "headlines"),
    "oil": ("dollar", "equities", "headlines"),
    "macro": (*_EQUITY, "stock_sentiment", "fed_decision", "headlines"),
}
"""Channels with a line of their own, per kind of asset (§9)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One reading inside a channel.

    Attributes:
        id: What was read (`ust10y`, `btc_funding`…).
        value: Its level at the end of the window, when it has one.
        change: Its change over the window, in `unit`.
        unit: `%`, `bp`, `pts`, `pp`, `USD m`.
        z: The change (or level) against its own past year, when sizable.
        text: One clause with the numbers.
        extreme: True when the level sits in its extreme decile.
        label: The provider's label for the level.
    """

    id: str
    value: float | None
    change: float | None
    unit: str
    z: float | None
    text: str
    extreme: bool = False
    label: str | None = None
    """The provider's word for the level (fear & greed's "Extreme Fear"), when it has one."""

    @property
    def score(self) -> float:
        """How strongly it moved, in σ-like units (an extreme level counts as 1.5)."""
        z = abs(self.z) if self.z is not None and math.isfinite(self.z) else 0.0
        return max(z, MOVED_Z if self.extreme else 0.0)


@dataclass(frozen=True, slots=True)
class Channel:
    """One channel's verdict."""

    id: str
    status: str
    items: tuple[Item, ...]
    text: str
    relevant: bool
    score: float

    @property
    def label(self) -> str:
        """Human name."""
        return LABELS[self.id]


def asset_kind(asset_id: str) -> str:
    """Which relevance list an asset uses."""
    cls = BY_ID[asset_id].asset_class
    if cls is AssetClass.CRYPTO:
        return "crypto"
    if cls in (AssetClass.EQUITY_INDEX, AssetClass.STOCK):
        return "equity"
    if cls is AssetClass.PRECIOUS_METAL:
        return "metal"
    return "oil" if cls is AssetClass.ENERGY else "macro"


def channel(cid: str, items: list[Item], relevant: bool, missing: str | None = None) -> Channel:
    """Judge a channel from its items."""
    present = [i for i in items if i.change is not None or i.value is not None]
    if not present:
        text = missing or "; ".join(i.text for i in items) or "nothing recorded"
        return Channel(cid, NO_DATA, tuple(items), text, relevant, 0.0)
    score = max(i.score for i in present)
    status = MOVED if score >= MOVED_Z else QUIET
    return Channel(cid, status, tuple(items), "; ".join(i.text for i in items), relevant, score)


def _fmt(value: float, unit: str) -> str:
    if unit == "bp":
        return f"{signed(value, 0)} bp"
    if unit == "pts":
        return f"{signed(value, 2)} pts"
    return f"{signed(value, 2)}%"


def series_item(
    panel: Panel, asset_id: str, start: date, end: date, lagged: bool = False, label: str = ""
) -> Item:
    """A tracked series' move over the window, sized against its past year of daily moves.

    Args:
        panel: The panel.
        asset_id: The series.
        start: Window start (the asset's start close).
        end: Window end (the asset's day).
        lagged: Use the last session strictly before each end (a US series for an Asian day).
        label: Name to use; the catalogue's by default.
    """
    name = label or BY_ID[asset_id].name
    closes = panel.clean(asset_id)
    side = "left" if lagged else "right"
    i = int(closes.index.searchsorted(pd.Timestamp(end), side=side)) - 1
    j = int(closes.index.searchsorted(pd.Timestamp(start), side=side)) - 1
    unit = "pts" if asset_id == "vix" else "%" if BY_ID[asset_id].unit is Unit.PRICE else "bp"
    if i < 0 or j < 0:
        return Item(asset_id, None, None, unit, None, f"{name}: no data before {end}")
    value = float(closes.iloc[i])
    if i == j:
        return Item(asset_id, value, None, unit, None, f"{name}: no session in the window")
    change = move_between(asset_id, float(closes.iloc[j]), value)
    if math.isnan(change):
        return Item(asset_id, value, None, unit, None, f"{name}: move undefined")
    returns = panel.clean(asset_id, "returns")
    k = int(returns.index.searchsorted(closes.index[i], side="left"))
    past = returns.to_numpy()[max(0, k - YEAR) : k]
    z = None
    if len(past) >= MIN_CHANGES:
        sd = float(past.std())
        z = change / (sd * math.sqrt(i - j)) if sd > 0 else None
    when = f" ({closes.index[i].date()}, previous US session)" if lagged else ""
    sized = f" ({signed(z, 1)}σ, 1y)" if z is not None else " (too short a record to size)"
    return Item(asset_id, value, change, unit, z, f"{name} {_fmt(change, unit)}{sized}{when}")


def reserves_item(history: History, start: date, end: date) -> Item:
    """Bank reserves (weekly, USD millions): the change of the latest reading in the window."""
    s = history.column("reserves", "value")
    i, j = s.index_at(end), s.index_at(start)
    if i < 0:
        return Item("reserves", None, None, "%", None, "reserves: no data before the day")
    value = s.values[i]
    if i == j or j < 0:
        return Item(
            "reserves",
            value,
            None,
            "%",
            None,
            f"reserves ${value / 1e6:.2f}tn (weekly; no new reading in the window)",
        )
    change = (value / s.values[j] - 1) * 100
    past = [(s.values[k] / s.values[k - 1] - 1) * 100 for k in range(max(1, i - 52), i)]
    sd = float(np.std(past)) if len(past) >= 10 else 0.0
    z = change / sd if sd > 0 else None
    sized = f" ({signed(z, 1)}σ of weekly changes)" if z is not None else ""
    return Item(
        "reserves",
        value,
        change,
        "%",
        z,
        f"reserves ${value / 1e6:.2f}tn, {signed(change, 2)}% since {s.dates[j]}{sized}",
    )


def with_contribution(item: Item, att: Attribution | None, unit: str, name: str) -> Item:
    """Add what the item's move means for the asset, when it is a shown factor."""
    if att is None:
        return item
    d = next((d for d in att.drivers if d.factor.id == item.id and d.shown), None)
    if d is None or d.contribution is None:
        return item
    text = (
        f"{item.text}; with beta {plain(d.beta, 2)} that is {signed(d.contribution, 2)}{unit} "
        f"of {name}'s move"
    )
    return Item(item.id, item.value, item.change, item.unit, item.z, text, item.extreme)


def market_channels(
    panel: Panel,
    history: History,
    asset_id: str,
    start: date,
    end: date,
    att: Attribution | None,
    relevant: tuple[str, ...],
) -> list[Channel]:
    """The channels read from the daily closes: equities, rates, dollar, liquidity, credit,
    volatility and (for equities) risk appetite."""
    asset = BY_ID[asset_id]
    lag = asset.region is Region.ASIA
    unit = "%" if asset.unit is Unit.PRICE else " bp"

    def item(a: str, lagged: bool = False) -> Item:
        return with_contribution(series_item(panel, a, start, end, lagged), att, unit, asset.name)

    own = measures_of(asset_id)

    def keep(items: list[Item]) -> list[Item]:
        return [i for i in items if i.id not in own]

    def add(cid: str, items: list[Item]) -> None:
        kept = keep(items)
        if kept:  # a channel that is only the asset itself is not a channel for it
            out.append(channel(cid, kept, cid in relevant))

    out: list[Channel] = []
    if asset_id not in ("sp500", "spy"):
        add("equities", [item("sp500", lag)])
    else:
        add("equities", [item("nasdaq100"), item("russell2000")])
    add("rates", [item("ust2y", lag), item("ust10y", lag)])
    add("dollar", [item("dxy", lag)])
    add(
        "liquidity",
        [series_item(panel, "sofr_iorb", start, end, lag), reserves_item(history, start, end)],
    )
    add("credit", [series_item(panel, "hy_spread", start, end, lag)])
    add("volatility", [series_item(panel, "vix", start, end, lag)])
    if "risk_appetite" in relevant:
        add("risk_appetite", [series_item(panel, "btc", start, end)])
    return out


def measures_of(asset_id: str) -> frozenset[str]:
    """Readings that are the asset itself, or computed from it: never a channel for it."""
    own = {asset_id}
    if asset_id in ("sofr", "iorb", "sofr_iorb"):
        own |= {"sofr_iorb"}
    if asset_id in ("spy",):
        own |= {"sp500"}
    if asset_id in ("qqq",):
        own |= {"nasdaq100"}
    return frozenset(own)
