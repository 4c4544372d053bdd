"""An asset's daily σ as of a day, for alerts and the recap.

The yardstick is the panes' and the explain engine's (`tui.measures.sigma_before`, RiskMetrics
λ = 0.94 over daily moves strictly before the day), so an alert, the recap and the drill-down
agree on a move's size. Standard library only: no pandas.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from tui.assets import BY_ID
from tui.history import History, Series
from tui.measures import sigma_before


class SigmaTable:
    """Daily σ per asset and day over one history, computed once per (asset, day).

    Args:
        history: Where the daily series come from.
    """

    def __init__(self, history: History) -> None:
        self.history = history
        self._of = lru_cache(maxsize=512)(self._compute)

    def _compute(self, asset_id: str, day: date) -> float | None:
        asset = BY_ID.get(asset_id)
        if asset is None or not asset.file:
            return None
        series: Series = self.history.series(asset_id)
        i = series.index_at(day)
        if i > 0 and series.dates[i] == day:
            i -= 1  # the yardstick ends the day before: a shock does not size itself
        if i < 1:
            return None
        return sigma_before(asset_id, series.dates, series.values, asset.unit.value, i + 1)

    def __call__(self, asset_id: str, day: date) -> float | None:
        """Daily σ of the asset's moves (percent, or bp for rates) up to the day before `day`."""
        value: float | None = self._of(asset_id, day)
        return value
