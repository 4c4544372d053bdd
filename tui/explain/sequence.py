"""Where the move started and what led it (EXPLAIN_METHOD §8).

Regions in the order their sessions end on day D: Asia, Europe, New York, then crypto's UTC
day. For an Asian asset the previous New York session comes first, since Asia's day D trades on
New York's D − 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from statistics import median

import pandas as pd

from tui.assets import BY_ID, AssetClass, Region
from tui.breadth import GROUPS
from tui.explain.panel import Panel
from tui.numtext import signed

START_Z = 1.0
"""A region whose median |z| reaches this in the move's direction is where it started."""
LEADER_Z = 1.5
"""A tracked single name moving at least this many σ with its index led it."""
REGION_NAMES = {
    "us_prev": "New York the session before",
    "asia": "Asia",
    "europe": "Europe",
    "us": "New York",
    "crypto": "crypto's UTC day",
}
SINGLE_NAMES: dict[str, tuple[str, ...]] = {"us": ("nvda",)}
"""Tracked single stocks per market (the ETFs SPY and QQQ are the indices themselves)."""


@dataclass(frozen=True, slots=True)
class RegionMove:
    """One region's move on the day: the median z of its risk assets that traded."""

    region: str
    day: date
    median_z: float | None
    traded: tuple[tuple[str, float], ...]
    """(asset id, z) of each of its risk assets that traded."""

    @property
    def name(self) -> str:
        """Human name of the region."""
        return REGION_NAMES[self.region]


@dataclass(frozen=True, slots=True)
class Sequence:
    """The day across time zones."""

    regions: tuple[RegionMove, ...]
    started: str | None
    """The first region that moved ≥1σ the asset's way, or None."""
    text: str


@dataclass(frozen=True, slots=True)
class Leader:
    """A tracked single name of the asset's market and its move that day."""

    id: str
    move_pct: float
    z: float
    led: bool
    """True when it moved ≥1.5σ with the index (EXPLAIN_METHOD §8)."""
    open_pct: float | None = None
    """Where it opened against its previous close, when the data have it."""


def _row(panel: Panel, day: date) -> pd.Series:
    ts = pd.Timestamp(day)
    return panel.z.loc[ts] if ts in panel.z.index else pd.Series(dtype=float)


def _region(panel: Panel, region: str, group: str, day: date) -> RegionMove:
    row = _row(panel, day)
    traded = tuple(
        (a, float(row[a]))
        for a, g in GROUPS.items()
        if g == group and a in row and not math.isnan(float(row[a]))
    )
    med = median(v for _, v in traded) if traded else None
    return RegionMove(region, day, med, traded)


def previous_us_session(panel: Panel, day: date) -> date | None:
    """The last New York session strictly before `day`."""
    us = panel.clean("sp500").index
    k = int(us.searchsorted(pd.Timestamp(day), side="left")) - 1
    return us[k].date() if k >= 0 else None


def sequence_of(panel: Panel, asset_id: str, day: date, direction: float) -> Sequence:
    """The regions' moves on `day` in session order, and where the move started.

    Args:
        panel: The history's panel.
        asset_id: The explained asset.
        day: Its day.
        direction: The sign of its move.
    """
    regions: list[RegionMove] = []
    if BY_ID[asset_id].region is Region.ASIA:
        prev = previous_us_session(panel, day)
        if prev is not None:
            regions.append(_region(panel, "us_prev", "us", prev))
    for region in ("asia", "europe", "us", "crypto"):
        regions.append(_region(panel, region, region, day))
    sign = 1.0 if direction > 0 else -1.0
    started = next(
        (r for r in regions if r.median_z is not None and r.median_z * sign >= START_Z), None
    )
    parts = []
    for r in regions:
        if r.median_z is None:
            parts.append(f"{r.name} closed")
        else:
            parts.append(f"{r.name} {signed(r.median_z, 1)}σ")
    moved = [r for r in regions if r.median_z is not None and r.median_z * sign >= START_Z]
    if not moved:
        where = "no region moved ≥1σ its way (median z)"
    elif len(moved) == 1:
        where = f"{moved[0].name} alone moved ≥1σ its way"
    else:
        where = f"it started in {moved[0].name}, then " + ", ".join(r.name for r in moved[1:])
    text = f"on {day} {where}: " + " → ".join(parts)
    return Sequence(tuple(regions), started.region if started else None, text)


def leaders_of(panel: Panel, asset_id: str, day: date, direction: float) -> tuple[Leader, ...]:
    """Tracked single names of the asset's market that moved its way, largest z first.

    Only for an index (or its fund): a single stock is not led by another.
    """
    asset = BY_ID[asset_id]
    if asset.asset_class is not AssetClass.EQUITY_INDEX and asset_id not in ("spy", "qqq"):
        return ()
    names = SINGLE_NAMES.get(asset.region.value, ())
    ts = pd.Timestamp(day)
    sign = 1.0 if direction > 0 else -1.0
    out = []
    for name in names:
        if ts not in panel.z.index:
            break
        z, move = panel.z.at[ts, name], panel.returns.at[ts, name]
        if pd.isna(z) or pd.isna(move) or z * sign <= 0:
            continue
        out.append(Leader(name, float(move), float(z), abs(float(z)) >= LEADER_Z))
    return tuple(sorted(out, key=lambda x: -abs(x.z)))
