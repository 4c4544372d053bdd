"""Breadth and kind: did the whole market move, the asset's class, or the asset alone?

EXPLAIN_METHOD §4–5, in the order and with the thresholds written there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from statistics import median

import pandas as pd

from tui.assets import BY_ID, RISK_ASSETS, AssetClass, Region

GROUPS: dict[str, str] = {
    **{a: "us" for a in ("sp500", "nasdaq100", "dow", "russell2000")},
    **{a: "asia" for a in ("hang_seng", "shanghai", "nikkei225", "kospi")},
    **{a: "europe" for a in ("dax", "eurostoxx50")},
    **{a: "crypto" for a in ("btc", "eth", "sol")},
}
"""Breadth's groups of risk assets."""


def group_of(asset_id: str) -> str | None:
    """The breadth group of an asset, or None for assets outside breadth."""
    return GROUPS.get(asset_id)


def class_peers(asset_id: str) -> tuple[str, ...]:
    """Assets of the same class that move with it: other crypto, the other precious metal,
    indices of the same region. A single stock has no tracked peers."""
    asset = BY_ID[asset_id]
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


@dataclass(frozen=True, slots=True)
class Breadth:
    """Who moved with the asset on the day."""

    risk_assets: int
    """Risk assets other than this one that traded on the day."""
    movers: tuple[tuple[str, float], ...]
    """Those with |z| ≥ 1 in the move's direction, with their z."""
    label: str
    """`broad` or `narrow`."""

    @property
    def same_direction(self) -> int:
        """How many moved at least 1σ the same way."""
        return len(self.movers)


def breadth_on(z: pd.DataFrame, asset_id: str, day: date, direction: float) -> Breadth:
    """Count the risk assets that moved ≥1σ the same way on `day` (EXPLAIN_METHOD §4)."""
    ts = pd.Timestamp(day)
    row = z.loc[ts] if ts in z.index else pd.Series(dtype=float)
    traded = {
        a: float(row[a])
        for a in RISK_ASSETS
        if a != asset_id and a in row and not math.isnan(float(row[a]))
    }
    sign = 1.0 if direction > 0 else -1.0
    movers = tuple((a, v) for a, v in traded.items() if v * sign >= 1)
    groups = {GROUPS[a] for a, _ in movers}
    broad = bool(traded) and len(movers) >= len(traded) / 2 and len(groups) >= 2
    return Breadth(len(traded), movers, "broad" if broad else "narrow")


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
        market_share: Σ market-factor contributions / move.
        class_share: Class-factor contribution / move.
        breadth: Who moved with it.
        peer_z: z of each class peer that traded on the day.

    Returns:
        The kind with a sentence naming the rule and its numbers.
    """
    if sigma is None:
        return Kind("mixed", "the move could not be sized in σ, so no rule applies")
    z = sigma
    if abs(z) < 1:
        return Kind("quiet", f"the move was {z:+.1f}σ, under 1σ of its usual size")
    own = group_of(asset_id)
    outside = [abs(v) for a, v in breadth.movers if GROUPS[a] != own]
    s = median(outside) if outside else None
    if market_share >= 0.5:
        return Kind("market_wide", f"market factors account for {market_share:.0%} of the move")
    if breadth.label == "broad" and s is not None and abs(z) <= 2 * s:
        return Kind(
            "market_wide",
            f"breadth was broad ({breadth.same_direction} of {breadth.risk_assets} risk "
            f"assets moved ≥1σ the same way) and its {z:+.1f}σ is within twice their "
            f"typical {s:.1f}σ",
        )
    sign = 1.0 if move > 0 else -1.0
    peer_med = median(peer_z.values()) if peer_z else None
    if class_share >= 0.5:
        return Kind("asset_class", f"its class leader accounts for {class_share:.0%} of the move")
    if peer_med is not None and peer_med * sign >= 1:
        return Kind("asset_class", f"its class peers moved with it (median {peer_med:+.1f}σ)")
    peers_with = [a for a, v in peer_z.items() if v * sign >= 1]
    if market_share + class_share < 0.5 and not peers_with:
        peers = (
            "no tracked class peer moved ≥1σ with it"
            if peer_z or class_peers(asset_id)
            else "it has no tracked class peers"
        )
        return Kind(
            "idiosyncratic",
            f"cross-asset factors account for {market_share + class_share:.0%} of the "
            f"move and {peers}",
        )
    return Kind("mixed", "no single rule holds: part market, part its own")
