"""The Textual app: themes, app-wide keys, the command palette and the first screen.

Imports here stay light (no pandas, no plotext, no network client): the first frame must not
wait for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from themes import CSS_PATH, DEFAULT_THEME, THEMES, VARIABLE_DEFAULTS
from tui.assets import ASSETS
from tui.history import History
from tui.sources.replay import ReplaySource

if TYPE_CHECKING:
    from tui.live_session import LiveSession
    from tui.screens.dashboard import DashboardScreen


class AssetCommands(Provider):
    """Palette entries that jump to an asset's drill-down."""

    def _commands(self) -> Iterable[tuple[str, str, str]]:
        for asset in ASSETS:
            yield (
                asset.id,
                f"Explain {asset.name} ({asset.symbol})",
                " ".join((asset.id, *asset.aliases)),
            )

    async def discover(self) -> Hits:
        app = self.app
        assert isinstance(app, RiskPulseApp)
        for asset_id, title, _ in self._commands():
            yield DiscoveryHit(
                Content(title),
                partial(app.open_asset, asset_id),
                help="Open the drill-down for the shown day",
            )

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, RiskPulseApp)
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


class RiskPulseApp(App[None]):
    """riskpulse: market panes and a drill-down that explains moves from data.

    Args:
        replay: Day of the bundled history to show; None for live.
        theme_name: Theme to start with (falls back to the default with a notice).
        history: History to serve (tests inject their own).
        watchlists: Assets per quote pane.
        live: Builds the live session (sources, client, cache); None shows no live data.
        refresh: Seconds between refreshes per source.
    """

    TITLE = "riskpulse"
    CSS_PATH = str(CSS_PATH)
    COMMANDS = App.COMMANDS | {AssetCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit riskpulse"),
        Binding(
            "question_mark",
            "help",
            "Keys",
            key_display="?",
            id="app.help",
            tooltip="Show every key",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            id="app.palette",
            tooltip="Jump to an asset, a date, a theme",
        ),
    ]

    def __init__(
        self,
        replay: date | None = None,
        theme_name: str | None = None,
        history: History | None = None,
        watchlists: Mapping[str, tuple[str, ...]] | None = None,
        live: Callable[[], LiveSession] | None = None,
        refresh: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__()
        for theme in THEMES:
            self.register_theme(theme)
        self._wanted_theme = theme_name or os.environ.get("TEXTUAL_THEME") or DEFAULT_THEME
        self.theme = DEFAULT_THEME
        self.replay = replay
        self.source = ReplaySource(history or History(), watchlists)
        self.live_factory = live
        self.refresh_seconds = dict(refresh or {})

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **VARIABLE_DEFAULTS}

    def on_mount(self) -> None:
        if self._wanted_theme != self.theme:
            if self._wanted_theme in self.available_themes:
                self.theme = self._wanted_theme
            else:
                self.notify(
                    f"Unknown theme {self._wanted_theme!r}; using {DEFAULT_THEME}.",
                    severity="warning",
                )
        from tui.screens.dashboard import DashboardScreen

        self.push_screen(
            DashboardScreen(self.source, self.replay, self.live_factory, self.refresh_seconds)
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Go to date", "Replay another day of the bundled data", self._goto)
        yield SystemCommand("Back to live", "Leave the replayed day for the live panes", self._live)
        yield SystemCommand("Next trading day", "Step one day forward", partial(self._step, 1))
        yield SystemCommand("Previous trading day", "Step one day back", partial(self._step, -1))

    def _dashboard(self) -> DashboardScreen | None:
        from tui.screens.dashboard import DashboardScreen

        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen):
                return screen
        return None

    def _goto(self) -> None:
        dash = self._dashboard()
        if dash is not None:
            while self.screen is not dash:
                self.pop_screen()
            dash.action_goto()

    def _live(self) -> None:
        dash = self._dashboard()
        if dash is not None:
            while self.screen is not dash:
                self.pop_screen()
            dash.action_live()

    def _step(self, offset: int) -> None:
        screen = self.screen
        step = getattr(screen, "action_step", None)
        if step is not None:
            step(offset)

    def open_asset(self, asset_id: str) -> None:
        """Open an asset's drill-down on the dashboard's day."""
        dash = self._dashboard()
        if dash is None:
            return
        if dash.day is None and dash.live_snapshot is None:
            self.notify("Nothing is shown yet (r replays the last bundled day).")
            return
        while self.screen is not dash:
            self.pop_screen()
        dash.open_asset(asset_id)

    def action_help(self) -> None:
        """Show every key of the current screen."""
        from tui.screens.help import HelpScreen

        if type(self.screen).__name__ != "HelpScreen":
            self.push_screen(HelpScreen(self.screen))
