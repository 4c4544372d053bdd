"""The Textual app: themes, app-wide keys, the command palette and the first screen.

Imports here stay light (no pandas, no plotext, no network client): the first frame must not
wait for them.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from themes import CSS_PATH, DEFAULT_THEME, THEMES, VARIABLE_DEFAULTS
from tui.history import History
from tui.palette import AssetCommands
from tui.sources.replay import ReplaySource

if TYPE_CHECKING:
    from tui.alerts.desk import AlertDesk
    from tui.alerts.evaluate import Fired
    from tui.alerts.rules import Rule
    from tui.alerts.state import AlertStore
    from tui.live_session import LiveSession
    from tui.model import Snapshot
    from tui.screens.dashboard import DashboardScreen
    from tui.screens.drill_data import DrillData
    from tui.sessions_feed import SessionsFeed


class RiskPulseApp(App[None]):
    """riskpulse: market panes and a drill-down that explains moves from data.

    Args:
        replay: Day of the bundled history to show; None for live.
        theme_name: Theme to start with (falls back to the default with a notice).
        history: History to serve (tests inject their own).
        watchlists: Assets per quote pane.
        live: Builds the live session (sources, client, cache); None shows no live data.
        refresh: Seconds between refreshes per source.
        alerts: The alert state file; None keeps alerts in memory for the session.
        alert_rules: The config's `[[alerts]]`.
        bell: Ring the terminal bell when an alert fires (tmux then flags the window).
        session_dir: Where the end of each session is kept; with it, a recap is shown on start
            when the last session ended more than `tui.recap.RECAP_AFTER` ago.
        sessions_file: The market calendars' cache; with it, `sessions` is kept current.
        now: Wall clock (tests inject it).
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
        Binding(
            "a",
            "alert_prompt",
            "Alert",
            show=False,  # the footer's room at 80 columns belongs to the dashboard's keys
            id="app.alert",
            tooltip="Set an alert on the selected row",
        ),
        Binding(
            "A",
            "alert_log",
            "Alert log",
            show=False,
            id="app.alert_log",
            tooltip="What fired, and the rules in force",
        ),
        Binding(
            "plus",
            "watch_add",
            "Add symbol",
            key_display="+",
            show=False,  # like `a`: the footer's room at 80 columns is the dashboard's
            id="watch.add",
            tooltip="Add any symbol to the selected pane (checked with one quote)",
        ),
        Binding(
            "minus",
            "watch_remove",
            "Remove row",
            key_display="-",
            show=False,
            id="watch.remove",
            tooltip="Take the selected row off its pane (saved)",
        ),
        Binding(
            "shift+up",
            "watch_move(-1)",
            "Move up",
            show=False,
            id="watch.up",
            tooltip="Move the selected row up in its pane (saved)",
        ),
        Binding(
            "shift+down",
            "watch_move(1)",
            "Move down",
            show=False,
            id="watch.down",
            tooltip="Move the selected row down in its pane (saved)",
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
        alerts: AlertStore | None = None,
        alert_rules: Sequence[Rule] = (),
        bell: bool = True,
        session_dir: Path | None = None,
        now: Callable[[], datetime] | None = None,
        sessions_file: Path | None = None,
        keymap: Mapping[str, str] | None = None,
        config_path: Path | None = None,
        theme_dir: Path | None = None,
    ) -> None:
        super().__init__()
        for theme in THEMES:
            self.register_theme(theme)
        self.config_path = config_path
        """The config file the watchlist keys edit; None keeps them from editing anything."""
        self._theme_errors: list[str] = []
        if theme_dir is not None:
            from tui.user_themes import load

            user_themes, self._theme_errors = load(theme_dir)
            for theme in user_themes:
                self.register_theme(theme)
        if keymap:
            self.set_keymap(dict(keymap))  # checked by tui.keymap before the app starts
        self._wanted_theme = theme_name or os.environ.get("TEXTUAL_THEME") or DEFAULT_THEME
        self._start_theme()
        self.replay = replay
        self.source = ReplaySource(history or History(), watchlists)
        self.live_factory = live
        self.refresh_seconds = dict(refresh or {})
        self._alert_store, self._alert_rules = alerts, tuple(alert_rules)
        self._alert_desk: AlertDesk | None = None
        self.bell_on = bell
        self.session_dir = session_dir
        self.now = now or (lambda: datetime.now(UTC))
        self.last_snapshot: Snapshot | None = None
        """The snapshot most recently passed to `on_snapshot`."""
        self.sessions: SessionsFeed | None = None
        """Market sessions, read when first asked for (`close_label`, the sessions screen)."""
        self._sessions_started = False
        if sessions_file is not None:
            from tui.sessions_feed import SessionsFeed

            self.sessions = SessionsFeed(sessions_file, self.now)

    def _start_theme(self) -> None:
        """Start in the wanted theme (or the default), so the first stylesheet is built with its
        colours. A dark theme is set without the theme watcher, which would re-parse every
        rule and restyle every widget a second time before the first frame; the watcher's
        classes are set here. A light one goes through the watcher (its ANSI colours differ)."""
        name = self._wanted_theme if self._wanted_theme in self.available_themes else DEFAULT_THEME
        theme = self.available_themes[name]
        if not theme.dark:
            self.theme = name
            return
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())  # nothing is parsed yet
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes |= {f"-theme-{name}": True, "-dark-mode": True, "-light-mode": False}
        self.update_classes(classes, update=False)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **VARIABLE_DEFAULTS}

    def on_mount(self) -> None:
        for line in self._theme_errors:
            self.notify(line, severity="warning", timeout=10, markup=False)
        if self._wanted_theme not in self.available_themes:
            self.notify(
                f"Unknown theme {self._wanted_theme!r}; using {DEFAULT_THEME}.",
                severity="warning",
            )
        from tui.screens.dashboard import DashboardScreen

        self.push_screen(
            DashboardScreen(self.source, self.replay, self.live_factory, self.refresh_seconds)
        )

    def on_ready(self) -> None:
        dash = self._dashboard()
        if dash is not None:
            dash.first_frame()

    def on_dashboard_screen_shown(self) -> None:
        # The recap check reads a file and imports the recap: after the first numbers.
        if self.session_dir is not None:
            self._session_start()
        if self.replay is None:
            # Live: the drill-down's modules load with the first Enter. Loading them now would
            # hold ~45 MB more for the whole session (the live idle target is < 120 MB), and
            # its panel is the merged history's, built then.
            return
        dash = self._dashboard()
        from tui.assets import BY_ID

        first = next(
            (a for ids in self.source.watchlists.values() for a in ids if a in BY_ID), None
        )

        def warm() -> None:
            data = _load_drill_down(self.source, dash.day if dash else None, first)
            if dash is not None:
                self.call_from_thread(dash.drill_warm, data)

        self.run_worker(
            warm,
            thread=True,
            group="warm-drill-down",
            exclusive=True,
            exit_on_error=False,
            description="Load the drill-down's modules",
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Go to date", "Replay another day of the bundled data", self._goto)
        yield SystemCommand("Back to live", "Leave the replayed day for the live panes", self._live)
        yield SystemCommand("Next trading day", "Step one day forward", partial(self._step, 1))
        yield SystemCommand("Previous trading day", "Step one day back", partial(self._step, -1))
        yield SystemCommand("Set an alert", "On the selected row", self.action_alert_prompt)
        yield SystemCommand("Alert log", "What fired, and the rules", self.action_alert_log)
        yield SystemCommand("Since you last looked", "The recap", self.show_recap)
        yield SystemCommand("Market sessions", "Open, closed, pre, post", self.show_sessions)
        yield SystemCommand("Add a symbol", "Any Yahoo symbol or coin", self.action_watch_add)
        yield SystemCommand("Import symbols", "From a file: one a line, or CSV", self.watch_import)
        yield SystemCommand("Remove the selected row", "From its pane", self.action_watch_remove)

    # -- your symbols ---------------------------------------------------------------------------

    def dashboard(self) -> DashboardScreen | None:
        """The dashboard screen, wherever it is in the stack."""
        return self._dashboard()

    def action_watch_add(self) -> None:
        """Open the prompt that adds a symbol to the selected pane."""
        from tui import watch_app
        from tui.screens.watch_prompt import WatchPromptScreen

        prompt = WatchPromptScreen(
            "Add a symbol",
            watch_app.ADD_HINT,
            partial(watch_app.add, self, watch_app.focused_pane(self)),
            watch_app.suggestions(),
        )
        self.push_screen(prompt, self._watch_done)

    def watch_import(self) -> None:
        """Open the prompt that imports symbols from a file."""
        from tui import watch_app
        from tui.screens.watch_prompt import WatchPromptScreen

        hint = "A file with one symbol a line, or a CSV whose first column is the symbol"
        prompt = WatchPromptScreen(
            "Import symbols",
            hint,
            partial(watch_app.import_file, self, watch_app.focused_pane(self)),
        )
        self.push_screen(prompt, self._watch_done)

    def _watch_done(self, line: str | None) -> None:
        if line:
            self.notify(line, markup=False)

    def action_watch_remove(self) -> None:
        """Take the selected row off its pane."""
        from tui import watch_app

        watch_app.remove_selected(self)

    def action_watch_move(self, offset: int) -> None:
        """Move the selected row up or down in its pane."""
        from tui import watch_app

        watch_app.move_selected(self, offset)

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

    # -- alerts ---------------------------------------------------------------------------------

    @property
    def alert_desk(self) -> AlertDesk:
        """The session's alert state (made on first use: nothing of it loads at start-up)."""
        if self._alert_desk is None:
            from tui.alerts.desk import AlertDesk
            from tui.sigma import SigmaTable

            sigma = SigmaTable(self.source.history)
            self._alert_desk = AlertDesk(self._alert_store, self._alert_rules, sigma)
        return self._alert_desk

    def on_snapshot(self, snapshot: Snapshot) -> list[Fired]:
        """Evaluate the alerts on a snapshot the dashboard has just applied.

        Each alert that fires raises a toast (plain text), rings the bell unless the config
        turned it off, and is logged. Replayed days use a session-only copy of the armed flags.

        Returns:
            The alerts that fired.
        """
        self.last_snapshot = snapshot
        fired = self.alert_desk.evaluate(snapshot)
        for alert in fired:
            self.notify(alert.message, title="Alert", severity="warning", timeout=15, markup=False)
        if fired and self.bell_on:
            self.bell()
        return fired

    def action_alert_prompt(self) -> None:
        """Open the alert prompt for the selected row, its current value filled in."""
        from tui.screens.alert_prompt import AlertPromptScreen, selected_row, suggestion

        row = selected_row(self.screen)
        if row is None:
            self.notify("Select a row first (an asset, a Fed meeting or a fear & greed index).")
            return
        dash = self._dashboard()
        snap = self.last_snapshot or (dash.snapshot if dash is not None else None)

        def chosen(text: str | None) -> None:
            if text:
                rule, added = self.alert_desk.add(text)
                word = "Alert set" if added else "Already set"
                self.notify(f"{word}: {rule.text}", markup=False)

        self.push_screen(AlertPromptScreen(*suggestion(row, snap)), chosen)

    def action_alert_log(self) -> None:
        """Show what fired and the rules in force."""
        from tui.screens.alert_log import AlertLogScreen, log_text

        if type(self.screen).__name__ != "AlertLogScreen":
            desk = self.alert_desk
            self.push_screen(AlertLogScreen(log_text(desk.state(), desk.replayed())))

    # -- since you last looked ------------------------------------------------------------------

    def _session_start(self) -> None:
        from tui.screens.recap import recap_due

        ended = recap_due(self.session_dir, self.now())
        if ended is not None:
            self.call_after_refresh(self.show_recap, ended)
        self.set_interval(60, self._mark_session, name="session-mark")

    def _mark_session(self) -> None:
        from tui.recap import mark_session_end

        if self.session_dir is not None:
            try:
                mark_session_end(self.session_dir, self.now())
            except OSError as exc:
                self.notify(f"Cannot keep the session time: {exc}", severity="warning")
                self.session_dir = None

    def on_unmount(self) -> None:
        self._mark_session()

    def show_recap(self, since: datetime | None = None) -> None:
        """Show what changed since `since` (replay: since the previous trading day)."""
        from tui.screens.recap import RecapScreen, app_recap_text, recap_due

        dash = self._dashboard()
        day = dash.day if dash is not None else self.replay
        snap = self.last_snapshot or (dash.live_snapshot if dash is not None else None)
        session = dash.session if dash is not None else None
        store = session.store if session is not None else None
        start = since or recap_due(self.session_dir, None)
        build = partial(app_recap_text, self.source.history, day, snap, start, store)
        self.push_screen(RecapScreen(build))

    def close_label(self, asset_id: str, as_of: date | None) -> str | None:
        """`close MM-DD` for a quote row whose market is shut now; None while it trades, for
        crypto and rates, and until the calendars are read (the first call starts reading them
        off the UI thread, then each minute)."""
        if self.sessions is None:
            return None
        if not self._sessions_started:
            self._sessions_started = True
            self._refresh_sessions()
            self.set_interval(60, self._refresh_sessions, name="market-sessions")
        return self.sessions.close_label(asset_id, as_of)

    def _refresh_sessions(self) -> None:
        if self.sessions is not None:
            self.run_worker(
                self.sessions.refresh,
                thread=True,
                group="market-sessions",
                exclusive=True,
                exit_on_error=False,
                description="Read the exchange calendars",
            )

    def show_sessions(self) -> None:
        """Show each exchange's session and its next change."""
        from tui.screens.sessions import SessionsScreen
        from tui.store import cache_path

        path = self.sessions.path if self.sessions else cache_path().parent / "sessions.json"
        self.push_screen(SessionsScreen(path, self.now))


def _load_drill_down(
    source: ReplaySource, day: date | None, asset_id: str | None
) -> DrillData | None:
    """Load what the first drill-down needs while the user reads the panes, so the first Enter
    waits for none of it: pandas and numpy for the explain engine, plotext for its chart, the
    bundled history's panel (kept on the history), and the bundled files every explanation
    reads (headlines, fear & greed, Fed odds), loaded by explaining one asset of the day once.

    Returns:
        That answer (the 1-day horizon), or None when there was no day or it failed.
    """
    import plotext  # noqa: F401

    import tui.screens.drilldown  # noqa: F401
    from tui.explain.panel import panel_for

    panel_for(source.history)
    data = None
    if day is not None and asset_id is not None:
        from tui.explain.move import Horizon
        from tui.screens.drill_data import compute

        # Only a warm-up: a failure is the drill-down's to say when it is opened.
        with contextlib.suppress(Exception):
            data = compute(source, asset_id, day, Horizon.D1, ())
    # What was just made (modules, the panel, the bundled files) lives as long as the app: out
    # of the collector's sight, so its full passes, which stop every thread, walk only what is
    # new (a full pass during an Enter took 40-50 ms before, about 15 ms after).
    gc.freeze()
    return data
