"""Palette entries: every asset the drill-down can explain, by name, symbol or alias."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.assets import ASSETS, Asset


def explainable_assets() -> tuple[Asset, ...]:
    """The assets `explain` and the drill-down accept, in catalogue order.

    The same set as `tui.explain.panel.PANEL_ASSETS` (a test keeps them equal); spelled out here
    so the palette and `explain --list` need no pandas.
    """
    return ASSETS


class AssetCommands(Provider):
    """Palette entries that jump to an asset's drill-down."""

    def _commands(self) -> Iterable[tuple[str, str, str]]:
        for asset in explainable_assets():
            yield (
                asset.id,
                f"Explain {asset.name} ({asset.symbol})",
                " ".join((asset.id, *asset.aliases)),
            )

    async def discover(self) -> Hits:
        app: Any = self.app  # RiskPulseApp: its module imports this one
        for asset_id, title, _ in self._commands():
            yield DiscoveryHit(
                Content(title),
                partial(app.open_asset, asset_id),
                help="Open the drill-down for the shown day",
            )

    async def search(self, query: str) -> Hits:
        app: Any = self.app  # RiskPulseApp: its module imports this one
        matcher = self.matcher(query)
        for asset_id, title, aliases in self._commands():
            score = max(matcher.match(title), matcher.match(aliases))
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(app.open_asset, asset_id),
                    help="Open the drill-down for the shown day",
                )
