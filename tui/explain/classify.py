"""Breadth and kind: did the whole market move, the asset's class, or the asset alone?

EXPLAIN_METHOD §4–5, in the order and with the thresholds written there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Any

import pandas as pd

from tui.assets import BY_ID, RISK_ASSETS, AssetClass, Region
from tui.breadth import GROUPS, BreadthReading, breadth, group_of
from tui.model import Breadth
from tui.numtext import share_text, signed

FUNDS = {"spy": "sp500", "qqq": "nasdaq100"}
"""Index funds and the index each holds."""


def class_peers(asset_id: str) -> tuple[str, ...]:
    """Assets of the same class that move with it: other crypto, the other precious metal,
    indices of the same region (for an index fund, those of its index's region, less the index
    it holds). A single stock has no tracked peers."""
    asset = BY_ID[asset_id]
    if asset_id in FUNDS:  # an index fund's peers are its region's indices
        return tuple(a for a in RISK_ASSETS if GROUPS.get(a) == "us" and a != FUNDS[asset_id])
    if asset.asset_class is AssetClass.CRYPTO:
        return tuple(a for a in ("btc", "eth", "sol") if a != asset_id)
    if asset.asset_class is AssetClass.PRECIOUS_METAL:
        return tuple(a for a in ("gold", "silver") if a != asset_id)
    if asset.asset_class is AssetClass.EQUITY_INDEX and asset.region in (
        Region.US,
        Region.ASIA,
        Region.EUROPE,
    ):
        return tuple(
            a
            for a in RISK_ASSETS
            if a != asset_id
            and BY_ID[a].asset_class is AssetClass.EQUITY_INDEX
            and BY_ID[a].region is asset.region
        )
    return ()


def breadth_on(z: pd.DataFrame, changes: pd.DataFrame, day: date, **kw: Any) -> Breadth:
    """The day's breadth from the panel (EXPLAIN_METHOD §4, `tui.breadth`).

    Args:
        z: Moves in σ per date and asset.
        changes: Moves per date and asset.
        day: The day.
        **kw: `direction` and `exclude`, passed to `tui.breadth.breadth`.
    """
    ts = pd.Timestamp(day)
    zrow = z.loc[ts] if ts in z.index else pd.Series(dtype=float)
    crow = changes.loc[ts] if ts in changes.index else pd.Series(dtype=float)
    readings = []
    for a in RISK_ASSETS:
        change = float(crow[a]) if a in crow and not math.isnan(float(crow[a])) else None
        zv = float(zrow[a]) if a in zrow and not math.isnan(float(zrow[a])) else None
        readings.append(BreadthReading(a, change is not None, change, zv))
    return breadth(readings, **kw)


@dataclass(frozen=True, slots=True)
class Kind:
    """The verdict and the rule that decided it, with its numbers."""

    kind: str
    reason: str


def decide_kind(
    asset_id: str,
    sigma: float | None,
    move: float,
    market_share: float,
    class_share: float,
    breadth: Breadth,
    peer_z: dict[str, float],
) -> Kind:
    """Apply EXPLAIN_METHOD §5: the first rule that holds wins.

    Args:
        asset_id: The explained asset.
        sigma: The move in σ (None when it could not be sized).
        move: The move, for its direction.
        market_share: m, Σ macro-factor contributions / move (a single stock's market counts
            here too: a stock that moved with its whole index moved with the market).
        class_share: c, its market factor's contribution / move.
        breadth: Who moved with it.
        peer_z: z of each class peer that traded on the day.

    Returns:
        The kind with a sentence naming the rule and its numbers.
    """
    if sigma is None:
        return Kind("mixed", "the move could not be sized in σ, so no rule applies")
    z = sigma
    if abs(z) < 1:
        return Kind("quiet", f"the move was {signed(z, 1)}σ, under 1σ of its usual size")
    own = group_of(asset_id)
    outside = [abs(v) for a, v in breadth.movers if GROUPS[a] != own]
    s = median(outside) if outside else None
    if market_share >= 0.5:
        return Kind("market_wide", f"cross-market factors account for {share_text(market_share)}")
    if breadth.scope == "broad" and s is not None and abs(z) <= 2 * s:
        return Kind(
            "market_wide",
            f"breadth was broad ({breadth.same_direction} of {breadth.risk_assets} risk "
            f"assets moved ≥1σ the same way) and its {signed(z, 1)}σ is within twice their "
            f"typical {s:.1f}σ",
        )
    sign = 1.0 if move > 0 else -1.0
    peer_med = median(peer_z.values()) if peer_z else None
    if class_share >= 0.5:
        return Kind("asset_class", f"its own market accounts for {share_text(class_share)}")
    if peer_med is not None and peer_med * sign >= 1:
        return Kind("asset_class", f"its class peers moved with it (median {signed(peer_med, 1)}σ)")
    peers_with = [a for a, v in peer_z.items() if v * sign >= 1]
    if market_share + class_share < 0.5 and not peers_with:
        peers = (
            "no tracked class peer moved ≥1σ with it"
            if peer_z or class_peers(asset_id)
            else "it has no tracked class peers"
        )
        return Kind(
            "idiosyncratic",
            f"cross-asset factors account for {share_text(market_share + class_share)} and {peers}",
        )
    return Kind("mixed", "no single rule holds: part market, part its own")
