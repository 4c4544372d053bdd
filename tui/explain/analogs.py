"""Past days whose cross-asset pattern most resembles this one (EXPLAIN_METHOD §6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tui.assets import RISK_ASSETS
from tui.explain.panel import Panel

VECTOR = (*RISK_ASSETS, "gold", "dxy", "ust10y")
MIN_COMMON = 8
EXCLUDE_DAYS = 10

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
    """A past day and how alike it was."""

    date: date
    name: str | None
    similarity: float
    common: int


def _cosine(
    matrix: np.ndarray, mask: np.ndarray, target: np.ndarray, target_mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    both = mask & target_mask
    a = np.where(both, matrix, 0.0)
    b = np.where(both, target, 0.0)
    dot = (a * b).sum(axis=1)
    norm = np.sqrt((a * a).sum(axis=1)) * np.sqrt((b * b).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = np.where(norm > 0, dot / norm, np.nan)
    return sim, both.sum(axis=1)


def find_analogs(
    panel: Panel, day: date, top: int = 3
) -> tuple[tuple[Analog, ...], tuple[Analog, ...], str | None]:
    """The closest past days, and every named episode ranked by likeness.

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
    sim, common = _cosine(values, mask, target, tmask)
    dates = z.index
    far = np.abs((dates - ts).days) > EXCLUDE_DAYS
    past = dates < ts
    ok = far & past & (common >= MIN_COMMON) & ~np.isnan(sim)
    order = np.argsort(-np.where(ok, sim, -np.inf))
    named = dict(EPISODES)
    best = tuple(
        Analog(dates[k].date(), named.get(dates[k].date()), float(sim[k]), int(common[k]))
        for k in order[:top]
        if ok[k]
    )
    named_days = []
    for when, name in EPISODES:
        k = dates.searchsorted(pd.Timestamp(when))
        if k < len(dates) and dates[k] == pd.Timestamp(when) and ok[k]:
            named_days.append(Analog(when, name, float(sim[k]), int(common[k])))
    return best, tuple(sorted(named_days, key=lambda a: -a.similarity)), None
