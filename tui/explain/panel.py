"""Daily returns, EWMA volatility and z-scores of every tracked series, as pandas frames.

Built once per History and reused by every explanation (EXPLAIN_METHOD §1–2). Each column keeps
its own calendar: a market shut on a day has NaN there, never 0.

Moves are read in the units the dashboard's panes read them (`tui.measures.step_move`): percent
for prices and index levels (VIX included), basis points for yields and spreads. So `sigma` is
the panes' σ_1 and `z` the panes' σ column, for every series and day: one asset has one σ on
every screen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tui.assets import ASSETS, BY_ID, Unit
from tui.explain.move import EWMA_LAMBDA, EWMA_SEED
from tui.history import History

PANEL_ASSETS: tuple[str, ...] = tuple(a.id for a in ASSETS if a.file or a.id == "sofr_iorb")
"""Every catalogued series: each has a drill-down, so each is in the panel."""


@dataclass(frozen=True)
class Panel:
    """Aligned daily data of every tracked series.

    Attributes:
        closes: Close (level) per date and asset; NaN where the market did not print.
        returns: Daily move on each asset's own calendar: percent for prices (VIX too, as its
            pane reads it), bp for rates and spreads.
        sigma: EWMA volatility of those moves up to the day before (σ_1 for each day): the
            pane's yardstick (`tui.measures.sigma_path`), in the move's unit.
        z: returns / sigma, the pane's σ column.
    """

    closes: pd.DataFrame
    returns: pd.DataFrame
    sigma: pd.DataFrame
    z: pd.DataFrame
    _clean: dict[tuple[str, str], pd.Series] = field(default_factory=dict, repr=False)
    _arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def array(self, frame: str) -> np.ndarray:
        """`closes` or `sigma` as a float array (columns in `closes.columns` order), kept."""
        hit = self._arrays.get(frame)
        if hit is None:
            source = self.closes if frame == "closes" else self.sigma
            hit = self._arrays[frame] = source.to_numpy(dtype=float)
        return hit

    def clean(self, asset_id: str, frame: str = "closes") -> pd.Series:
        """One column of `closes`, `returns` or `sigma` without its NaN rows, kept for reuse."""
        key = (frame, asset_id)
        hit = self._clean.get(key)
        if hit is None:
            source = {"closes": self.closes, "returns": self.returns, "sigma": self.sigma}[frame]
            hit = self._clean[key] = source[asset_id].dropna()
        return hit


def move_between(asset_id: str, start: float, end: float) -> float:
    """The move from one level to another in the asset's unit: percent for prices (NaN from a
    level at or below zero), bp for yields and spreads."""
    unit = BY_ID[asset_id].unit
    if unit is Unit.PRICE:
        return (end / start - 1) * 100 if start > 0 else float("nan")
    return (end - start) * (100 if unit is Unit.RATE else 1)


def _returns(asset_id: str, closes: pd.Series) -> pd.Series:
    s = closes.dropna()
    prev = s.shift(1)
    unit = BY_ID[asset_id].unit
    if unit is Unit.PRICE:
        # Undefined from a base at or below zero, and kept out when it ends there (move.py).
        return (s.where(s > 0) / prev.where(prev > 0) - 1) * 100
    return (s - prev) * (100 if unit is Unit.RATE else 1)


def ewma_sigma_series(returns: pd.Series) -> pd.Series:
    """σ_1 for each day: EWMA (λ 0.94) of squared moves up to the day before, seeded on 60."""
    r = returns.dropna()
    out = pd.Series(np.nan, index=r.index)
    if len(r) <= EWMA_SEED:
        return out
    sq = r.to_numpy() ** 2
    var = np.empty(len(sq))
    var[: EWMA_SEED - 1] = np.nan
    var[EWMA_SEED - 1] = sq[:EWMA_SEED].mean()
    for k in range(EWMA_SEED, len(sq)):
        var[k] = EWMA_LAMBDA * var[k - 1] + (1 - EWMA_LAMBDA) * sq[k]
    # The yardstick for day k is the variance through k-1: a shock never sizes itself.
    out.iloc[1:] = np.sqrt(var[:-1])
    return out


_LOCK = threading.Lock()


def panel_for(history: History, asset_id: str | None = None) -> Panel:
    """The panel of a History, built on first use and kept with it (thread-safe).

    Args:
        history: The daily history.
        asset_id: The explained asset. One outside the catalogue's series (a symbol the user
            added) gets a column of its own in a panel kept for it, beside the shared one.
    """
    with _LOCK:
        base = _base_panel(history)
        if asset_id is None or asset_id in base.closes.columns:
            return base
        key = f"panel:{asset_id}"
        cached = history.memo.get(key)
        if isinstance(cached, Panel):
            return cached
        panel = history.memo[key] = _with_asset(base, history, asset_id)
        return panel


def _base_panel(history: History) -> Panel:
    cached = history.memo.get("panel")
    if isinstance(cached, Panel):
        return cached
    closes = {}
    for asset_id in PANEL_ASSETS:
        series = history.series(asset_id)
        closes[asset_id] = pd.Series(
            series.values, index=pd.DatetimeIndex(series.dates), dtype=float
        )
    frame = pd.DataFrame(closes).sort_index()
    returns = pd.DataFrame({a: _returns(a, frame[a]) for a in frame.columns})
    returns = returns.reindex(frame.index)
    sigma = pd.DataFrame({a: ewma_sigma_series(returns[a]) for a in frame.columns})
    sigma = sigma.reindex(frame.index)
    z = returns / sigma.where(sigma > 0)
    panel = Panel(frame, returns, sigma, z)
    history.memo["panel"] = panel
    return panel


def _with_asset(base: Panel, history: History, asset_id: str) -> Panel:
    """The shared panel with one more column, on the union of the dates (its own calendar)."""
    series = history.series(asset_id)
    own = pd.Series(series.values, index=pd.DatetimeIndex(series.dates), dtype=float)
    index = base.closes.index.union(own.index)
    closes = base.closes.reindex(index)
    closes[asset_id] = own.reindex(index)
    returns = base.returns.reindex(index)
    returns[asset_id] = _returns(asset_id, closes[asset_id]).reindex(index)
    sigma = base.sigma.reindex(index)
    sigma[asset_id] = ewma_sigma_series(returns[asset_id]).reindex(index)
    z = base.z.reindex(index)
    z[asset_id] = returns[asset_id] / sigma[asset_id].where(sigma[asset_id] > 0)
    return Panel(closes, returns, sigma, z)
