"""Past days whose cross-asset pattern most resembles this one (EXPLAIN_METHOD §6, §10).

A past day qualifies only when the explained asset itself traded then and at least 10 assets of
the vector are present on both days, from at least three of US, Asia, Europe, crypto and macro:
so a holiday of the asset's own market can never be an analog. For each analog, what followed
for this asset over the next 5 and 21 of its trading days is reported, when that was already
known on the explained day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tui.assets import RISK_ASSETS
from tui.breadth import GROUPS
from tui.explain.panel import Panel, move_between

VECTOR = (*RISK_ASSETS, "gold", "dxy", "ust10y")
VECTOR_GROUPS = np.array([GROUPS.get(a, "macro") for a in VECTOR])
MIN_COMMON = 10
"""Assets of the vector present on both days."""
MIN_REGIONS = 3
"""Of US, Asia, Europe, crypto and macro."""
EXCLUDE_DAYS = 10
AFTER = (5, 21)
"""Trading days after an analog whose move is reported: a week and a month."""

EPISODES: tuple[tuple[date, str], ...] = (
    (date(2020, 3, 12), "312 liquidity crash"),
    (date(2021, 5, 19), "519 crypto crash"),
    (date(2022, 6, 13), "June 2022 crypto and CPI sell-off"),
    (date(2024, 8, 5), "August 2024 yen carry unwind"),
    (date(2025, 4, 4), "April 2025 tariff shock"),
    (date(2025, 10, 10), "October 2025 crypto liquidation cascade"),
)
"""Named episodes; each date is the day of the fall in the bundled closes."""


@dataclass(frozen=True, slots=True)
class Analog:
    """A past day, how alike it was, and what followed for the asset (a fact, not a forecast).

    Attributes:
        date: The day.
        name: The named episode, if it is one.
        similarity: Cosine of the z vectors over the assets present on both days.
        common: How many assets that is.
        after_5d: The asset's move over its next 5 trading days (None when not yet known).
        after_1m: The same over 21 trading days.
    """

    date: date
    name: str | None
    similarity: float
    common: int
    after_5d: float | None = None
    after_1m: float | None = None


def _cosine(
    matrix: np.ndarray, mask: np.ndarray, target: np.ndarray, target_mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    both = mask & target_mask
    a = np.where(both, matrix, 0.0)
    b = np.where(both, target, 0.0)
    dot = (a * b).sum(axis=1)
    norm = np.sqrt((a * a).sum(axis=1)) * np.sqrt((b * b).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = np.where(norm > 0, dot / norm, np.nan)
    regions = np.zeros(len(matrix), dtype=int)
    for g in np.unique(VECTOR_GROUPS):
        regions += both[:, g == VECTOR_GROUPS].any(axis=1)
    return sim, both.sum(axis=1), regions


def after(panel: Panel, asset_id: str, when: date, known: date, steps: int) -> float | None:
    """The asset's move over its `steps` trading days after `when`, if it ended by `known`."""
    closes = panel.clean(asset_id)
    k = int(closes.index.searchsorted(pd.Timestamp(when)))
    if k >= len(closes) or closes.index[k] != pd.Timestamp(when) or k + steps >= len(closes):
        return None
    if closes.index[k + steps] > pd.Timestamp(known):
        return None
    value = move_between(asset_id, float(closes.iloc[k]), float(closes.iloc[k + steps]))
    return None if np.isnan(value) else float(value)


def find_analogs(
    panel: Panel, asset_id: str, day: date, top: int = 3
) -> tuple[tuple[Analog, ...], tuple[Analog, ...], str | None]:
    """The closest past days, and every named episode ranked by likeness.

    Args:
        panel: The history's panel.
        asset_id: The explained asset: an analog day needs its own return.
        day: The explained day.
        top: How many analogs to keep.

    Returns:
        Top analogs, the named episodes (most alike first), and a note when the day itself
        cannot be compared.
    """
    z = panel.z.reindex(columns=list(VECTOR))
    ts = pd.Timestamp(day)
    if ts not in z.index:
        return (), (), f"no market printed on {day}"
    target = z.loc[ts].to_numpy(dtype=float)
    tmask = ~np.isnan(target)
    if tmask.sum() < MIN_COMMON:
        return (
            (),
            (),
            (
                f"only {int(tmask.sum())} of the {len(VECTOR)} tracked markets moved "
                f"on {day}; {MIN_COMMON} are needed to compare days"
            ),
        )
    values = z.to_numpy(dtype=float)
    mask = ~np.isnan(values)
    sim, common, regions = _cosine(values, mask, target, tmask)
    dates = z.index
    own = panel.returns[asset_id].reindex(dates).notna().to_numpy()
    far = np.abs((dates - ts).days) > EXCLUDE_DAYS
    past = dates < ts
    ok = far & past & own & (common >= MIN_COMMON) & (regions >= MIN_REGIONS) & ~np.isnan(sim)
    order = np.argsort(-np.where(ok, sim, -np.inf))
    named = dict(EPISODES)

    def analog(k: int) -> Analog:
        when = dates[k].date()
        a5, a21 = (after(panel, asset_id, when, day, n) for n in AFTER)
        return Analog(when, named.get(when), float(sim[k]), int(common[k]), a5, a21)

    best = tuple(analog(int(k)) for k in order[:top] if ok[k])
    named_days = []
    for when, _ in EPISODES:
        k = int(dates.searchsorted(pd.Timestamp(when)))
        if k < len(dates) and dates[k] == pd.Timestamp(when) and ok[k]:
            named_days.append(analog(k))
    return best, tuple(sorted(named_days, key=lambda a: -a.similarity)), None
