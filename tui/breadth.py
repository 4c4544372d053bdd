"""Breadth: how many risk markets moved together on a day (EXPLAIN_METHOD §4).

The one definition used by the dashboard header and the drill-down. Pure and dependency-free:
the caller passes, for each risk asset, whether it traded on the day, its change and its move in
σ of its own; this module counts and labels.

- A **mover** moved at least 1σ of its own (|z| ≥ 1) in the day's direction.
- Breadth is **broad** when the movers are at least half of the risk assets that traded and come
  from at least two groups (US, Asia, Europe, crypto); otherwise **narrow**.
- The day's direction is the side with more ≥1σ movers, when the count of markets down or up
  does not point the other way. A tie between the sides (both with movers), or more ≥1σ falls
  on a day most markets rose (or the mirror), is **mixed**, said with both counts: neither
  risk-off nor risk-on describes it.
- On a day only crypto traded (a weekend, a shared holiday) it says so: two of three coins
  falling is not a broad market move.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from tui.explain.move import ewma_sigma
from tui.model import Breadth

GROUPS: dict[str, str] = {
    **{a: "us" for a in ("sp500", "nasdaq100", "dow", "russell2000")},
    **{a: "asia" for a in ("hang_seng", "shanghai", "nikkei225", "kospi")},
    **{a: "europe" for a in ("dax", "eurostoxx50")},
    **{a: "crypto" for a in ("btc", "eth", "sol")},
}
"""The risk assets breadth counts, each in its group."""
MOVER_Z = 1.0
"""|z| at or above this, in the day's direction, makes a mover."""


@dataclass(frozen=True, slots=True)
class BreadthReading:
    """One risk asset on one day.

    Attributes:
        id: Catalogue id (one of `GROUPS`).
        traded: True when its market printed a close on the day.
        change: Its move on the day (percent), None when it could not be measured.
        z: That move in σ of its own daily moves, None when too little history sizes it.
    """

    id: str
    traded: bool
    change: float | None
    z: float | None


def day_z(closes: Sequence[float]) -> float | None:
    """The last close's move in σ of the moves before it (EWMA λ 0.94, EXPLAIN_METHOD §2).

    For a pane composer that holds closes rather than the explain panel: pass a risk asset's
    closes up to and including the day. Percent moves from or to a close at or below zero are
    left out; None with fewer than 61 usable moves or a flat history.
    """
    moves = [(b / a - 1) * 100 for a, b in pairwise(closes) if a > 0 and b > 0]
    if len(closes) < 2 or closes[-2] <= 0 or closes[-1] <= 0:
        return None
    sigma = ewma_sigma(moves[:-1])
    return moves[-1] / sigma if sigma else None


def group_of(asset_id: str) -> str | None:
    """The breadth group of an asset, or None for assets breadth does not count."""
    return GROUPS.get(asset_id)


def breadth(
    readings: Iterable[BreadthReading], direction: int = 0, exclude: str | None = None
) -> Breadth:
    """Count and label the day's risk-asset moves.

    Args:
        readings: One reading per risk asset; other ids are ignored.
        direction: -1 or +1 to count movers in a given direction (the explained move's); 0 to
            take the day's own direction: the side with more ≥1σ movers unless more markets
            moved the other way; with no mover on either side, the side more markets took. A
            tie of movers, or movers and markets on opposite sides, is mixed.
        exclude: An asset left out of the count (the explained one, EXPLAIN_METHOD §4).

    Returns:
        The counts, the movers and their groups, the label and one sentence with the numbers.
    """
    counted = [
        r
        for r in readings
        if r.id in GROUPS and r.id != exclude and r.traded and r.change is not None
    ]
    n = len(counted)
    down = sum(1 for r in counted if (r.change or 0.0) < 0)
    up = sum(1 for r in counted if (r.change or 0.0) > 0)
    if n == 0:
        return Breadth(
            0, 0, 0, "mixed", scope="none", text="breadth: no risk market with a current close"
        )
    sized = [(r.id, r.z) for r in counted if r.z is not None]
    falls = sorted({GROUPS[a] for a, z in sized if z is not None and z <= -MOVER_Z})
    rises = sorted({GROUPS[a] for a, z in sized if z is not None and z >= MOVER_Z})
    fell = sum(1 for _, z in sized if z is not None and z <= -MOVER_Z)
    rose = sum(1 for _, z in sized if z is not None and z >= MOVER_Z)
    if direction == 0:
        direction = _day_direction(fell, rose, down, up)
    movers = tuple(
        sorted(
            ((a, z) for a, z in sized if z is not None and direction and z * direction >= MOVER_Z),
            key=lambda m: -abs(m[1]),
        )
    )
    groups = tuple(sorted({GROUPS[a] for a, _ in movers}))
    traded_groups = {GROUPS[r.id] for r in counted}
    side = "risk-off" if direction < 0 else "risk-on"
    verb = "fell" if direction < 0 else "rose"
    tally = f"{down} of {n} down" if direction <= 0 else f"{up} of {n} up"
    if traded_groups == {"crypto"}:
        scope, label = "crypto only", "crypto only"
        text = (
            f"only crypto traded: {len(movers)} of {n} coins {verb} ≥1σ ({tally}); "
            "no market-wide reading on such a day"
        )
    elif direction == 0 and (fell or rose):
        scope, label = "narrow", "mixed"
        text = (
            f"mixed: {fell} fell ≥1σ{_where(falls)}, {rose} rose ≥1σ{_where(rises)}; "
            f"{down} of {n} down, {up} up"
        )
    elif direction == 0:
        scope, label = "narrow", "mixed"
        text = f"mixed: {down} of {n} risk assets down, {up} up, no side moved ≥1σ more"
    else:
        broad = len(movers) >= n / 2 and len(groups) >= 2
        scope = "broad" if broad else "narrow"
        label = f"{scope} {side}" if movers else "quiet"
        where = _where(groups)
        # Short enough to fit the header beside the mode at 120 columns.
        sided = f"{down} down" if direction < 0 else f"{up} up"
        text = f"{label}: {len(movers)} of {n} {verb} ≥1σ{where}, {sided}"
    return Breadth(
        n,
        down,
        up,
        label,
        same_direction=len(movers),
        movers=movers,
        groups=groups,
        scope=scope,
        text=text,
        fell=fell,
        rose=rose,
    )


def _day_direction(fell: int, rose: int, down: int, up: int) -> int:
    """-1, +1 or 0 (mixed) from the ≥1σ movers each way and the markets down and up."""
    if fell == rose == 0:
        return -1 if down > up else 1 if up > down else 0
    if fell > rose and down >= up:
        return -1
    if rose > fell and up >= down:
        return 1
    return 0


def _where(groups: Sequence[str]) -> str:
    return f" ({', '.join(groups)})" if groups else ""
