"""Channels that carry a move between markets, each with a status (EXPLAIN_METHOD §9).

Two kinds of z, never sharing an unlabelled "σ":

- A series that is an asset's move with a σ in its pane (prices, index levels, VIX, yields,
  spreads) is sized exactly as its pane and its own drill-down size it: the move over the window
  against σ_h = σ_1·√h, σ_1 the EWMA volatility (λ 0.94, seeded on 60 moves) of its daily moves
  from the closes strictly before the window's last close, h its own sessions in the window
  (`tui.explain.panel`, the same numbers as `tui.measures`). Written "(-2.4σ)", as in the pane.
  EXPLAIN_METHOD §9 words this as "z against its own daily changes over the past year"; a plain
  past-year standard deviation gave the same asset a second σ (Bitcoin -2.7σ here, -2.4σ in its
  pane and its drill-down on 2025-11-20), so riskpulse uses the one σ an asset has on every
  screen.
- A reading that is no asset move (fear & greed, ETF flows, funding, open interest, reserves)
  has no pane σ: it keeps a z against its own past year, always labelled ("(-2.6σ, 1y)").

Every channel is checked for every asset; the asset's class decides which get a line of their
own (`RELEVANT`), the others are listed under "also checked". A channel **moved** when

1. one of its readings moved |z| ≥ 1.5 (Fed odds: 10 pp over the window or 20 pp over the
   month, scored 1.5 at the threshold), or
2. a level sits in its extreme decile (fear & greed ≤ 10 or ≥ 90), or
3. its shown factors carried at least half of the asset's move: Σ contributions / move ≥ 0.5
   with R² ≥ 0.10 — the share and the R² floor at which EXPLAIN_METHOD §5 says the move came
   with them (`market_wide`, `asset_class`), so a channel the attribution names as the carrier
   is never "quiet";

**quiet** when it was checked and none holds; **no data**, with the reason, when none of its
readings could be checked over the window (no session in it, not recorded, not bundled).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from tui.assets import BY_ID, AssetClass, Region, Unit
from tui.explain.attribution import WEAK_R2, Attribution, factors_for
from tui.explain.move import Move
from tui.explain.panel import Panel, move_between
from tui.history import History
from tui.numtext import plain, share_text, signed

MOVED_Z = 1.5
"""|z| at or above this: the channel moved."""
CARRIED_SHARE = 0.5
"""Shown factors of a channel whose contributions reach this share of the asset's move carried
it: the channel moved (EXPLAIN_METHOD §5's threshold for a move that came with its factors)."""
QUIET_SIGMA = 1.0
"""A move under this many σ is quiet (EXPLAIN_METHOD §5): no channel carried it."""
MIN_CHANGES = 20
"""Fewer past changes than this: a reading's past-year z is not computed."""

EWMA, YEAR_Z, LEVEL_Z, THRESHOLD, EVENT = "ewma", "1y", "1y level", "threshold", "event"
"""What an item's z is (`Item.basis`): the move in σ_h of the series' own EWMA volatility (the
pane's σ); a change against its own past year; a level against its own past year; a score
against a fixed threshold (Fed odds, 1.5 at the threshold); an event (an FOMC decision)."""

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
        z: How far it moved, as `basis` says (None when it cannot be sized).
        text: One clause with the numbers.
        extreme: True when the level sits in its extreme decile.
        label: The provider's label for the level.
        basis: What `z` is: `EWMA` (an asset's move in its pane's σ), `YEAR_Z` (a change
            against its own past year), `LEVEL_Z`, `THRESHOLD` or `EVENT`.
        level: True when the reading is judged by its level (fear & greed's decile, funding
            against its past prints, an FOMC decision): a level with no change is still checked.
        contribution: What it accounts for of the explained asset's move (beta × its move, in
            the asset's unit), when it is a shown factor of a regression with R² ≥ 0.10.
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
    basis: str = ""
    level: bool = False
    contribution: float | None = None

    @property
    def checked(self) -> bool:
        """True when the window could be judged by it: a change over the window, or a level
        reading with a level. A level with no session in the window is no data."""
        return self.change is not None or (self.level and self.value is not None)

    @property
    def score(self) -> float:
        """How strongly it moved, in σ-like units (an extreme level counts as 1.5)."""
        z = abs(self.z) if self.z is not None and math.isfinite(self.z) else 0.0
        return max(z, MOVED_Z if self.extreme else 0.0)


@dataclass(frozen=True, slots=True)
class Channel:
    """One channel's verdict.

    Attributes:
        id: The channel (`equities`, `rates`…; `LABELS`).
        status: `MOVED`, `QUIET` or `NO_DATA`.
        items: Its readings.
        text: Its readings' clauses; a moved channel's ends with what made it moved.
        relevant: True when the asset's class gives it a line of its own (§9).
        score: How strongly it moved, in σ-like units (an extreme level or a carried move
            counts as 1.5).
        reason: Why it has its status: the rules that held for a moved channel, the reasons
            for no data, empty for a quiet one.
    """

    id: str
    status: str
    items: tuple[Item, ...]
    text: str
    relevant: bool
    score: float
    reason: str = ""

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


@dataclass(frozen=True, slots=True)
class Carried:
    """The explained asset's move, for the rule "its shown factors carried half of it"."""

    size: float
    """The asset's move over the window, in its unit (percent, or bp)."""
    name: str
    """The asset's name."""


def carried_of(move: Move) -> Carried | None:
    """The move a channel may have carried: None for a move under 1σ or not sized in σ.

    A quiet move (|σ| < 1) is quiet before any share counts (EXPLAIN_METHOD §5, rule 1): the
    S&P 500 "carrying" most of a 0.2σ day of the Nasdaq 100 is no move of the equities channel.
    """
    if not move.size or move.sigma is None or abs(move.sigma) < QUIET_SIGMA:
        return None
    return Carried(move.size, BY_ID[move.asset_id].name)


_SIZED = {
    EWMA: "a reading ≥1.5σ",
    YEAR_Z: "a reading ≥1.5σ against its past year",
    LEVEL_Z: "a reading ≥1.5σ from its past year's",
    THRESHOLD: "odds ≥10 pp in the window or ≥20 pp in the month",
    EVENT: "an FOMC decision in the window",
}
"""The rule a reading met, by what its z is, as the channel's text says it."""


def channel(
    cid: str,
    items: list[Item],
    relevant: bool,
    missing: str | None = None,
    carried: Carried | None = None,
) -> Channel:
    """Judge a channel from its items (the rules in the module docstring).

    Args:
        cid: The channel id.
        items: Its readings, checked or not.
        relevant: Whether the asset's class gives it a line of its own.
        missing: The reason to give when it has no reading at all.
        carried: The asset's move, to judge whether the items' contributions carried it.

    Returns:
        The verdict: `NO_DATA` when no item could be checked over the window (the items' own
        reasons, or `missing`), else `MOVED` with the rules that held, or `QUIET`.
    """
    checked = [i for i in items if i.checked]
    if not checked:
        read = "; ".join(i.text for i in items)
        # A reading from before the window says why better than a generic reason.
        stale = any(i.value is not None for i in items)
        text = (read if stale else missing or read) or "nothing recorded"
        return Channel(cid, NO_DATA, tuple(items), text, relevant, 0.0, text)
    score = max(i.score for i in checked)
    reasons: list[str] = []
    for basis in dict.fromkeys(
        i.basis for i in checked if i.z is not None and math.isfinite(i.z) and abs(i.z) >= MOVED_Z
    ):
        reasons.append(_SIZED.get(basis, "a reading ≥1.5σ"))
    extreme = [i for i in checked if i.extreme]
    decile = "a level in its extreme decile"
    if extreme:
        reasons.append(decile)
    share = _carried_share(checked, carried)
    if share is not None and carried is not None and share >= CARRIED_SHARE:
        whole = f"{carried.name}'s move"
        reasons.append(f"it carried {share_text(share, whole)} (≥ half)")
        score = max(score, MOVED_Z)
    text = "; ".join(i.text for i in items)
    if not reasons:
        return Channel(cid, QUIET, tuple(items), text, relevant, score)
    # A reading that already says it sits in its extreme decile needs no second saying.
    said = all("extreme decile" in i.text for i in extreme)
    shown = [r for r in reasons if not (said and r == decile)]
    if shown:
        text = f"{text} — {' and '.join(shown)}"
    return Channel(cid, MOVED, tuple(items), text, relevant, score, " and ".join(reasons))


def _carried_share(items: list[Item], carried: Carried | None) -> float | None:
    """Σ of the items' contributions as a share of the asset's move (None without any)."""
    parts = [i.contribution for i in items if i.contribution is not None]
    if carried is None or not parts or not carried.size:
        return None
    return sum(parts) / carried.size


def _fmt(value: float, unit: str) -> str:
    if unit == "bp":
        return f"{signed(value, 0)} bp"
    if unit == "pts":
        return f"{signed(value, 2)} pts"
    return f"{signed(value, 2)}%"


def series_item(
    panel: Panel, asset_id: str, start: date, end: date, lagged: bool = False, label: str = ""
) -> Item:
    """A tracked series' move over the window, in σ of its own as its pane sizes it.

    σ_h = σ_1·√h: σ_1 is the EWMA volatility of the series' daily moves up to the close before
    its last one in the window (the pane's σ for that close's day, `Panel.sigma`), h its own
    sessions in the window. Over one session the z is the pane's σ column for that day.

    Args:
        panel: The panel of the bundled (and cached) daily closes.
        asset_id: The series, a catalogue id.
        start: Window start (the explained asset's start close).
        end: Window end (the explained asset's day).
        lagged: Use the last session strictly before each end (a US series for an Asian day).
        label: Name to use; the catalogue's by default.

    Returns:
        The item: its change over the window (percent for prices, bp for yields and spreads,
        points for VIX, whose z sizes its percent move as its pane does) and z with basis
        `EWMA`; no change, with the reason, when it had no session in the window.
    """
    name = label or BY_ID[asset_id].name
    closes = panel.clean(asset_id)
    side = "left" if lagged else "right"
    i = int(closes.index.searchsorted(pd.Timestamp(end), side=side)) - 1
    j = int(closes.index.searchsorted(pd.Timestamp(start), side=side)) - 1
    points = asset_id == "vix"  # a volatility index reads in points; its σ sizes percent
    unit = "pts" if points else "%" if BY_ID[asset_id].unit is Unit.PRICE else "bp"
    if i < 0 or j < 0:
        return Item(asset_id, None, None, unit, None, f"{name}: no data before {end}", basis=EWMA)
    value = float(closes.iloc[i])
    last = closes.index[i].date()
    if i == j:
        held = "its closes end" if i == len(closes) - 1 else "last close"
        why = f"{name}: no session in the window ({held} {last})"
        return Item(asset_id, value, None, unit, None, why, basis=EWMA)
    start_level = float(closes.iloc[j])
    move = move_between(asset_id, start_level, value)
    if math.isnan(move):
        return Item(asset_id, value, None, unit, None, f"{name}: move undefined", basis=EWMA)
    change = value - start_level if points else move
    sigma_1 = panel.clean(asset_id, "sigma").get(closes.index[i])
    z = None
    if sigma_1 is not None and math.isfinite(sigma_1) and sigma_1 > 0:
        z = move / (float(sigma_1) * math.sqrt(i - j))
    when = f" ({last}, previous US session)" if lagged else ""
    shown = f"{_fmt(change, unit)}, {signed(move, 2)}%" if points else _fmt(change, unit)
    sized = f" ({signed(z, 1)}σ)" if z is not None else " (too little history to size it in σ)"
    text = f"{name} {shown}{sized}{when}"
    return Item(asset_id, value, change, unit, z, text, basis=EWMA)


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
    sized = f" ({signed(z, 1)}σ, 1y of weekly changes)" if z is not None else ""
    return Item(
        "reserves",
        value,
        change,
        "%",
        z,
        f"reserves ${value / 1e6:.2f}tn, {signed(change, 2)}% since {s.dates[j]}{sized}",
        basis=YEAR_Z,
    )


def with_contribution(item: Item, att: Attribution | None, unit: str, name: str) -> Item:
    """Add what the item's move means for the asset, when it is a shown factor.

    A regression with R² under 0.10 claims no driver (EXPLAIN_METHOD §3): the item is left as is.
    """
    if att is None or att.r2 is None or att.r2 < WEAK_R2:
        return item
    d = next((d for d in att.drivers if d.factor.id == item.id and d.shown), None)
    if d is None or d.contribution is None:
        return item
    text = (
        f"{item.text}; with beta {plain(d.beta, 2)} that is {signed(d.contribution, 2)}{unit} "
        f"of {name}'s move"
    )
    return replace(item, text=text, contribution=d.contribution)


def market_channels(
    panel: Panel,
    history: History,
    asset_id: str,
    start: date,
    end: date,
    att: Attribution | None,
    relevant: tuple[str, ...],
    carried: Carried | None = None,
) -> list[Channel]:
    """The channels read from the daily closes: equities, rates, dollar, liquidity, credit,
    volatility and (for equities) risk appetite.

    Args:
        panel: The panel of daily closes.
        history: The daily history (for the weekly reserves).
        asset_id: The explained asset.
        start: Its window's start close.
        end: Its day.
        att: Its attribution, for what each factor's move accounts for.
        relevant: The channels its class gives a line of their own.
        carried: Its move (`carried_of`), to judge which channel carried it.

    Returns:
        One channel per kind of reading, less those that are only the asset itself. Equities
        holds the S&P 500 (the Nasdaq 100 and Russell 2000 for the S&P 500 itself) and every
        equity index among the asset's factors (the Nasdaq 100 for crypto, the Nikkei 225 for
        other Asian indices…), so the channel that carried a move can say so.
    """
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
            out.append(channel(cid, kept, cid in relevant, carried=carried))

    out: list[Channel] = []
    indices = [("sp500", lag)] if asset_id not in ("sp500", "spy") else []
    indices += [("nasdaq100", False), ("russell2000", False)] if not indices else []
    indices += [
        (f.id, f.lagged)
        for f in factors_for(asset_id)
        if BY_ID[f.id].asset_class is AssetClass.EQUITY_INDEX and f.id not in dict(indices)
    ]
    add("equities", [item(a, lagged) for a, lagged in indices])
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
