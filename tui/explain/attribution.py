"""Attribution: how much of a move the cross-asset moves account for (EXPLAIN_METHOD §3).

OLS of the asset's daily moves on its factors' daily moves over the 250 returns before the day,
with an intercept that is not counted. Asian markets close before New York opens, so US factors
enter lagged one US trading day (Dimson's treatment of non-synchronous trading).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tui.assets import BY_ID, AssetClass, Region
from tui.explain.move import Horizon
from tui.explain.panel import Panel, move_between
from tui.numtext import signed

WINDOW = 250
"""Trailing daily returns in the regression."""
MIN_ROWS = 60
"""Fewer complete rows than this: no regression."""
WEAK_R2 = 0.10
"""Below this R², no factor is claimed as a driver."""

ASIA_LEADER, EUROPE_LEADER = "nikkei225", "eurostoxx50"
HOME_INDEX: dict[str, str] = {
    "Asia/Hong_Kong": "hang_seng",
    "Asia/Shanghai": "shanghai",
    "Asia/Tokyo": "nikkei225",
    "Asia/Seoul": "kospi",
    "Europe/Berlin": "dax",
}
"""A single stock's own market by its exchange's time zone, where the catalogue holds that
market's index (Hong Kong, Shanghai and Shenzhen, Tokyo, Seoul; Xetra and Frankfurt). A stock
elsewhere in its region is measured against the region's leader (Nikkei 225, Euro Stoxx 50)."""


T_MIN = 2.0
"""A macro factor whose beta has |t| below this gets no line of its own (EXPLAIN_METHOD §3)."""

MACRO, MARKET = "macro", "market"


@dataclass(frozen=True, slots=True)
class Factor:
    """One factor of a regression."""

    id: str
    kind: str
    """`macro` (a channel between markets) or `market` (the asset's own market, not a cause)."""
    lagged: bool = False
    """True when the factor's US session comes before the asset's day (Asia)."""

    @property
    def label(self) -> str:
        """Human name, with the lag spelled out."""
        name = BY_ID[self.id].name
        return f"{name} (previous US session)" if self.lagged else name


@dataclass(frozen=True, slots=True)
class Driver:
    """One factor's part in the move.

    Attributes:
        factor: The factor.
        factor_move: Its move over the same window, None when it did not trade (see `note`).
        beta: OLS beta.
        contribution: beta × factor move, None when the factor has no move.
        t: The beta's t statistic.
        shown: False when the factor gets no line of its own (|t| < 2, or a sign that
            contradicts its role); its contribution still counts, under "other factors".
        note: Why it has no move, or why it is not shown.
    """

    factor: Factor
    factor_move: float | None
    beta: float
    contribution: float | None
    t: float = float("nan")
    shown: bool = True
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    """The regression's answer for one move."""

    drivers: tuple[Driver, ...]
    residual: float | None
    r2: float | None
    rows: int
    note: str | None = None

    def total(self, kind: str) -> float:
        """Σ contributions of one kind of factor."""
        return sum(d.contribution or 0.0 for d in self.drivers if d.factor.kind == kind)

    def share(self, kind: str, move: float) -> float:
        """Σ contributions of one kind of factor as a share of the move."""
        return self.total(kind) / move if move else 0.0

    @property
    def folded(self) -> float:
        """Σ contributions of the factors without a line of their own ("other factors")."""
        return sum(d.contribution or 0.0 for d in self.drivers if not d.shown)

    def market(self) -> Driver | None:
        """The asset's market factor, if it has one."""
        return next((d for d in self.drivers if d.factor.kind == MARKET), None)


def factors_for(asset_id: str) -> tuple[Factor, ...]:
    """The factor set of an asset (EXPLAIN_METHOD §3, v2): at most four; never a measure of
    the asset itself, of its own market's volatility, or an index it is a large part of.

    Symbols a user added follow their class and region: a coin is measured against BTC as its
    market; a stock against its own market's index (`HOME_INDEX`: the Hang Seng for Hong Kong,
    the DAX for Xetra; otherwise its region's leader, or the Nasdaq 100 in the US) with the US
    factors lagged one session in Asia; a currency pair against yields, US stocks and gold
    (never the dollar index it largely is); any other futures contract against the dollar,
    yields and US stocks."""
    asset = BY_ID[asset_id]
    cls, region = asset.asset_class, asset.region
    m = MACRO
    base: tuple[Factor, ...]
    if cls is AssetClass.CRYPTO:
        base = (Factor("nasdaq100", m), Factor("dxy", m), Factor("ust10y", m))
        return base if asset_id == "btc" else (*base, Factor("btc", MARKET))
    if cls is AssetClass.STOCK:
        if asset_id == "spy":  # the S&P 500 itself, as a fund
            return (Factor("dxy", m), Factor("ust10y", m), Factor("gold", m))
        if region is Region.ASIA:  # closes before New York opens: US factors lagged
            home = HOME_INDEX.get(asset.tz, ASIA_LEADER)
            lagged = (Factor("sp500", m, lagged=True), Factor("dxy", m, lagged=True))
            return (*lagged, Factor(home, MARKET))
        if region is Region.EUROPE:
            home = HOME_INDEX.get(asset.tz, EUROPE_LEADER)
            return (Factor("sp500", m), Factor("dxy", m), Factor(home, MARKET))
        return (Factor("dxy", m), Factor("ust10y", m), Factor("nasdaq100", MARKET))
    if cls is AssetClass.EQUITY_INDEX and region is Region.US:
        if asset_id == "sp500":
            return (Factor("dxy", m), Factor("ust10y", m), Factor("gold", m))
        return (Factor("dxy", m), Factor("ust10y", m), Factor("sp500", MARKET))
    if cls is AssetClass.EQUITY_INDEX and region is Region.ASIA:
        base = (Factor("sp500", m, lagged=True), Factor("dxy", m, lagged=True))
        return base if asset_id == ASIA_LEADER else (*base, Factor(ASIA_LEADER, MARKET))
    if cls is AssetClass.EQUITY_INDEX and region is Region.EUROPE:
        base = (Factor("sp500", m), Factor("dxy", m))
        return base if asset_id == EUROPE_LEADER else (*base, Factor(EUROPE_LEADER, MARKET))
    if asset_id == "gold":
        return (Factor("dxy", m), Factor("ust10y", m), Factor("sp500", m))
    if asset_id == "silver":
        return (Factor("dxy", m), Factor("ust10y", m), Factor("gold", MARKET))
    if asset_id == "wti":
        return (Factor("dxy", m), Factor("sp500", m))
    if asset_id == "dxy":
        return (Factor("ust10y", m), Factor("sp500", m))
    if cls is AssetClass.FX:  # a currency pair: the dollar index is largely the pair itself
        return (Factor("ust10y", m), Factor("sp500", m), Factor("gold", m))
    if cls is AssetClass.FUTURE:  # a user's contract: the channels of metals and oil
        return (Factor("dxy", m), Factor("ust10y", m), Factor("sp500", m))
    if cls is AssetClass.RATES and asset_id != "ust10y":
        return (Factor("ust10y", m), Factor("sp500", m))
    return (Factor("sp500", m), Factor("dxy", m))


def _aligned(panel: Panel, factor: Factor, dates: np.ndarray) -> np.ndarray:
    """The factor's daily move that belongs with each asset date (same day, or the previous US
    session for a lagged factor); NaN where the factor did not print. `dates` are int64 ns."""
    traded = panel.clean(factor.id).index.asi8
    if factor.lagged:
        pos = np.searchsorted(traded, dates, side="left") - 1
        valid = pos >= 0
    else:
        pos = np.searchsorted(traded, dates, side="left")
        valid = pos < len(traded)
        valid[valid] = traded[pos[valid]] == dates[valid]
    out = np.full(len(dates), np.nan)
    if valid.any():
        frame = panel.returns.index.asi8
        rows = np.searchsorted(frame, traded[pos[valid]])
        out[valid] = panel.returns[factor.id].to_numpy(dtype=float)[rows]
    return out


def attribute(
    panel: Panel, asset_id: str, day: date, start_day: date, horizon: Horizon, move: float | None
) -> Attribution:
    """Regress, then attribute the move from `start_day` to `day`.

    Args:
        panel: The history's panel.
        asset_id: The explained asset.
        day: The asset's day (its own close on or before the asked day).
        start_day: The close the move is measured from.
        horizon: The move's horizon (for the text only; the factor moves use the same dates).
        move: The asset's move over the horizon, in its unit.

    Returns:
        Betas, contributions, residual and R², or a note saying why there are none.
    """
    factors = factors_for(asset_id)
    ts = pd.Timestamp(day)
    y_all = panel.clean(asset_id, "returns")
    k = int(y_all.index.searchsorted(ts, side="left"))
    y = y_all.iloc[max(0, k - WINDOW) : k]
    dates = y.index.asi8
    columns = [y.to_numpy(dtype=float)] + [_aligned(panel, f, dates) for f in factors]
    matrix = np.column_stack(columns)
    data = matrix[np.isfinite(matrix).all(axis=1)]
    if len(data) < MIN_ROWS:
        return Attribution(
            (),
            None,
            None,
            len(data),
            note=f"only {len(data)} complete days of factor data before {day}; "
            f"{MIN_ROWS} are needed for a regression",
        )
    xm = np.column_stack([np.ones(len(data)), data[:, 1:]])
    yv = data[:, 0]
    coef, *_ = np.linalg.lstsq(xm, yv, rcond=None)
    fitted = xm @ coef
    ss_res = float(((yv - fitted) ** 2).sum())
    ss_tot = float(((yv - yv.mean()) ** 2).sum())
    r2 = 1 - ss_res / ss_tot if ss_tot > 0 else 0.0
    dof = max(1, len(data) - xm.shape[1])
    with np.errstate(all="ignore"):
        cov = np.linalg.pinv(xm.T @ xm) * (ss_res / dof)
        se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    drivers = []
    for k, (f, beta) in enumerate(zip(factors, coef[1:], strict=True)):
        fmove, why = _factor_move(panel, f, start_day, day)
        contrib = beta * fmove if fmove is not None else None
        t = float(beta / se[k + 1]) if se[k + 1] > 0 else float("nan")
        shown, note = True, why
        if f.kind == MACRO and not abs(t) >= T_MIN:
            shown = False
            note = (
                note
                or f"beta {signed(beta, 2)} is not distinguishable from zero (|t| {abs(t):.1f} < 2)"
            )
        elif f.kind == MARKET and beta <= 0:
            shown = False  # a market that moves against the asset is no market factor
            note = note or f"beta {signed(beta, 2)} runs against its role as the market"
        drivers.append(Driver(f, fmove, float(beta), contrib, t, shown, note))
    residual = None
    if move is not None:
        residual = move - sum(d.contribution or 0.0 for d in drivers)
    return Attribution(tuple(drivers), residual, r2, len(data))


def _factor_move(
    panel: Panel, factor: Factor, start: date, end: date
) -> tuple[float | None, str | None]:
    """The factor's move over the aligned window, or None with the reason (never 0)."""
    closes = panel.clean(factor.id)
    idx = closes.index

    def at(d: date) -> int:
        ts = pd.Timestamp(d)
        return int(idx.searchsorted(ts, side="left" if factor.lagged else "right")) - 1

    i, j = at(end), at(start)
    name = BY_ID[factor.id].name
    if i < 0 or j < 0:
        return None, f"{name} has no data before {end}"
    if i == j:
        return None, f"{name} did not trade between {start} and {end}: no move that day"
    value = move_between(factor.id, float(closes.iloc[j]), float(closes.iloc[i]))
    if math.isnan(value):
        return None, f"{name}'s move is undefined (a close at or below zero)"
    return value, None
