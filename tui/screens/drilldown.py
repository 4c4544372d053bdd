"""The drill-down: why the selected asset moved, answered first, with the evidence ranked.

All computation runs in a thread worker (`drill_data.compute`); the screen shows a loading state
until it lands, and a one-line reason if it fails. In live mode a symbol the user added whose
daily history is missing or short has its year fetched into the cache first (`fill_history`,
an async worker), with a line saying so while it runs and a line saying why if it fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import date

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.assets import BY_ID, USER_IDS
from tui.explain.headlines import Headline
from tui.explain.move import Horizon
from tui.formatting import MISSING, fmt_level, signed
from tui.history import short_of_a_year
from tui.screens.drill_data import (
    DrillData,
    DrillFailed,
    DrillReady,
    InputsBuilder,
    attribution_bars,
    compute,
    facts_text,
    findings_text,
    headlines_text,
    move_cell,
)
from tui.sources.replay import ReplaySource
from widgets.chart import PlotextChart
from widgets.fit_line import FitLine
from widgets.footer import KeysFooter
from widgets.palette import theme_style
from widgets.status_bar import StatusBar


class DrillDownScreen(Screen[None]):
    """Why did it move: the answer first, the evidence ranked, the chart up to the day.

    | key | action |
    |---|---|
    | escape | back to the panes |
    | 1 / 5 / m | one-day, five-day, one-month move |
    | p / n | previous / next asset |
    | [ / ] | previous / next trading day |
    | f | all findings, or the first eight |
    | a | what followed the day on the chart (not known then) |
    """

    DEFAULT_CSS = """
    #drill-fetch { height: auto; color: $text-muted; padding: 0 1; }
    #drill-fetch.-failed { color: $error; }
    #drill-top { height: 12; }
    #drill-plot { width: 1fr; height: 12; min-height: 6; }
    #drill-side { width: 46; height: 12; margin-left: 1; }
    #drill-answer-box { height: auto; max-height: 7; margin-top: 1; }
    #drill-answer { height: auto; text-style: bold; }
    #drill-body { height: 1fr; margin-top: 1; }
    #drill-findings { width: 2fr; height: 1fr; scrollbar-gutter: stable; }
    #drill-news { width: 1fr; height: 1fr; margin-left: 2; scrollbar-gutter: stable; }
    #drill-error { height: auto; color: $error; }
    #drill-answer-box:focus, #drill-findings:focus, #drill-news:focus { background: $boost; }
    DrillDownScreen.-short #drill-top { height: 7; }
    DrillDownScreen.-short #drill-plot { height: 7; }
    DrillDownScreen.-short #drill-side { height: 7; }
    DrillDownScreen.-short #drill-answer-box { max-height: 5; margin-top: 0; }
    DrillDownScreen.-short #drill-body { margin-top: 0; }
    """
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    """At 80x24 the chart and the answer shrink so the findings still show."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="drill.back", tooltip="Back to panes"),
        Binding("1", "horizon('1d')", "1d", id="drill.h1d", tooltip="One-day move"),
        Binding("5", "horizon('5d')", "5d", id="drill.h5d", tooltip="Five-day move"),
        Binding("m", "horizon('1m')", "1m", id="drill.h1m", tooltip="One-month move"),
        Binding(
            "p",
            "asset(-1)",
            "Prev asset",
            id="drill.prev_asset",
            tooltip="Explain the previous asset",
        ),
        Binding(
            "n", "asset(1)", "Next asset", id="drill.next_asset", tooltip="Explain the next asset"
        ),
        Binding(
            "left_square_bracket", "step(-1)", "Prev day", key_display="[", id="drill.prev_day"
        ),
        Binding(
            "right_square_bracket", "step(1)", "Next day", key_display="]", id="drill.next_day"
        ),
        Binding(
            "f",
            "findings",
            "All findings",
            id="drill.findings",
            tooltip="Show every finding, or only the first eight",
        ),
        Binding(
            "w",
            "after",
            "What followed",
            id="drill.after",
            tooltip="Draw the closes that followed the day (not known on the day)",
        ),
    ]

    horizon: reactive[Horizon] = reactive(Horizon.D1, init=False)
    """The horizon the chart marks."""
    day: reactive[date] = reactive(date(2000, 1, 1), init=False)
    """The explained day."""
    all_findings: reactive[bool] = reactive(False, init=False)
    """Show every finding instead of the first eight."""

    def __init__(
        self,
        source: ReplaySource,
        asset_id: str,
        day: date,
        headlines: Sequence[Headline] = (),
        live_day: date | None = None,
        more_headlines: Callable[[str], Awaitable[Sequence[Headline]]] | None = None,
        inputs: InputsBuilder | None = None,
        fill_history: Callable[[str], Awaitable[str | None]] | None = None,
    ) -> None:
        super().__init__()
        self._fill_history = fill_history
        """Fetches a year of one asset's daily history into the cache (live only): None when
        filled, else one line on why not."""
        self._tried: set[str] = set()
        """Assets whose history this screen already fetched (once each)."""
        self._filling: str | None = None
        """The asset whose history is being fetched; it is explained when that ends."""
        self._inputs = inputs
        """Builds explain's inputs (live mode: from the panes' readings); bundled when None."""
        self.source = source
        self.headlines = tuple(headlines)
        self._more_headlines = more_headlines
        """Fetches an asset's own headlines (live only); the narrative is recomputed with them."""
        self.live_day = live_day
        """Today, when opened from live data: that day is labelled LIVE, others REPLAY."""
        self.asset = BY_ID[asset_id]
        self._initial_day = day
        self._last: DrillData | None = None
        self._preset: DrillData | None = None
        self._styled_with: tuple[str, int] | None = None
        self._shown_for: tuple[str, date] | None = None
        """The asset and day whose answer the widgets show."""
        """The theme and stylesheet the screen was last styled with (`on_screen_suspend`)."""
        self._answered: Callable[[], None] | None = None
        """Called once when the re-targeted answer (or the reason there is none) is on the
        screen's widgets (`retarget`)."""
        self._covered = True
        """Whether a recompute shows the spinner over the screen (not while it is off-screen,
        being re-targeted)."""

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Static("", id="drill-fetch", markup=False)
        with Vertical(id="drill"):
            yield FitLine(id="drill-title")
            yield Static("", id="drill-error", markup=False)
            with Horizontal(id="drill-top"):
                yield PlotextChart(id="drill-plot")
                with Vertical(id="drill-side"):
                    yield DataTable(id="drill-moves", cursor_type="none", zebra_stripes=False)
                    yield Static("", id="drill-facts", markup=False)
            with VerticalScroll(id="drill-answer-box"):
                yield Static("", id="drill-answer", markup=False)
            with Horizontal(id="drill-body"):
                with VerticalScroll(id="drill-findings"):
                    yield Static("", id="drill-narrative", markup=False)
                    yield Static("", id="drill-bars", markup=False)
                with VerticalScroll(id="drill-news"):
                    yield Static("", id="drill-headlines", markup=False)
        yield KeysFooter(with_screen=True)

    def on_mount(self) -> None:
        tables = self.query("#drill-moves").results(DataTable)
        table = next(tables, None)
        if table is None:
            return  # composed only in part: the app closed while it was composed ahead
        for key, label in (
            ("h", "Horizon"),
            ("chg", "Move"),
            ("sigma", "σ"),
            ("rank", "Rank 1y"),
            ("from", "From"),
        ):
            table.add_column(label, key=key)
        self.query_one("#drill-error").display = False
        self.query_one("#drill-fetch").display = False
        preset, self._preset = self._preset, None
        if preset is not None and (preset.asset.id, preset.day) == (
            self.asset.id,
            self._initial_day,
        ):
            # The answer was computed before the screen was shown: shown with it, no spinner.
            self.set_reactive(DrillDownScreen.day, self._initial_day)
            self._show_mode(self._initial_day)
            self._show(preset)
        else:
            self.day = self._initial_day
            self.query_one("#drill").loading = True
        self._fetch_headlines()

    def on_screen_suspend(self) -> None:
        self._styled_with = self._style_key()

    def _style_key(self) -> tuple[str, int]:
        """What the screen's styles were computed from: the theme and the parsed stylesheet
        (a theme change or a stylesheet edit parses it anew, into a new list of rules)."""
        return self.app.theme, id(self.app.stylesheet.rules)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Handled before Screen's own handler. Pushed again, a screen restyles every widget in
        # case the theme changed while it was away (a quarter of Enter's time here): not when
        # neither the theme nor the stylesheet did.
        if self._styled_with == self._style_key():
            event.refresh_styles = False
        # Re-targeted off the stack: its widgets changed while it was not laid out. Textual
        # only repaints a resumed screen of the same size, which drew the new text in the old
        # heights and then laid it out in a second frame; laying it out now makes it one.
        self.refresh(layout=True)

    def preset(self, data: DrillData) -> None:
        """Give the screen, before it is first shown, the answer for its asset and day on the
        1-day horizon (computed while the dashboard still showed), so it is shown complete."""
        self._preset = data

    def retarget(
        self,
        asset_id: str,
        day: date,
        answered: Callable[[], None] | None = None,
        data: DrillData | None = None,
    ) -> None:
        """Explain another asset or day on this screen, as a new one would: the 1-day horizon,
        the first findings, no closes after the day.

        The dashboard keeps one replay drill-down and re-targets it for each Enter: composing
        its fifteen-odd widgets and footer again cost most of the key's time. It is called
        while the screen is off the stack; `answered` runs once the answer (or the reason there
        is none) is on its widgets, so the screen can be shown complete in one frame. Shown
        before that (`cover`), it has the spinner until the answer lands. With `data` (the
        answer for the asset and day on the 1-day horizon, computed ahead) it is shown at once.
        """
        self._last = None
        self._answered = answered
        self.asset = BY_ID[asset_id]
        self.query_one("#drill-error").display = False
        self.query_one("#drill-fetch").display = False
        self.query_one(PlotextChart).show_after = False
        self.set_reactive(DrillDownScreen.all_findings, False)
        self.set_reactive(DrillDownScreen.horizon, Horizon.D1)
        if data is not None and (data.asset.id, data.day, data.horizon) == (
            asset_id,
            day,
            Horizon.D1,
        ):
            self.set_reactive(DrillDownScreen.day, day)
            self._show_mode(day)
            self._show(data)
            self._fetch_headlines()
            return
        self._covered = False
        try:
            if self.day != day:
                self.day = day  # recomputes
            else:
                self.watch_day(day)
        finally:
            self._covered = True
        self._fetch_headlines()

    @property
    def answer(self) -> DrillData | None:
        """The answer shown, once it is in."""
        return self._last

    def cover(self) -> None:
        """Show the spinner until the pending answer lands (the screen is shown before it)."""
        self._answered = None
        if self._last is None and not self.query_one("#drill-error").display:
            self.query_one("#drill").loading = True

    def _answer_shown(self) -> None:
        answered, self._answered = self._answered, None
        if answered is not None:
            answered()

    def _fetch_headlines(self) -> None:
        if self._more_headlines is None:
            return
        self.run_worker(
            self._headlines_for(self.asset.id),
            group="drill-news",
            exclusive=True,
            exit_on_error=False,
            description="Fetch the asset's headlines",
        )

    async def _headlines_for(self, asset_id: str) -> None:
        assert self._more_headlines is not None
        found = tuple(await self._more_headlines(asset_id))
        if found != self.headlines and asset_id == self.asset.id:
            self.headlines = found
            self.recompute()

    def watch_day(self, day: date) -> None:
        self._show_mode(day)
        self.recompute()

    def _show_mode(self, day: date) -> None:
        live = self.live_day is not None and day == self.live_day
        self.query_one(StatusBar).mode = (
            f"LIVE {day.isoformat()}" if live else (f"REPLAY {day.isoformat()}")
        )

    def watch_horizon(self) -> None:
        self.recompute()

    def watch_all_findings(self) -> None:
        if self._last is not None:
            self._show_findings(self._last)

    def recompute(self) -> None:
        """Start the worker for the current asset, day and horizon (after fetching a year of
        its daily history, the first time, when it is a symbol the user added)."""
        self._last = None
        if self._covered:
            self.query_one("#drill").loading = True
        asset_id = self.asset.id
        if self._filling == asset_id:
            return  # explained when its history lands
        if self._fill_history is not None and asset_id in USER_IDS and asset_id not in self._tried:
            self._tried.add(asset_id)
            self._filling = asset_id
            self.run_worker(
                self._fill(asset_id, self.day),
                group="drill-fill",
                exit_on_error=False,
                description="Fetch a year of the asset's daily history",
            )
            return
        self.run_compute(asset_id, self.day, self.horizon)

    async def _fill(self, asset_id: str, day: date) -> None:
        """Fetch the asset's year into the cache when what is held is short, then explain."""
        assert self._fill_history is not None
        line = self.query_one("#drill-fetch", Static)
        history = self.source.history
        symbol = BY_ID[asset_id].symbol
        try:
            short = await asyncio.to_thread(lambda: short_of_a_year(history.series(asset_id), day))
            if short:
                line.remove_class("-failed")
                line.update(Content(f"Fetching a year of daily history for {symbol}…"))
                line.display = True
                why = await self._fill_history(asset_id)
                history.forget(asset_id)
                if why is None:
                    line.display = False
                else:
                    line.add_class("-failed")
                    line.update(
                        Content(
                            f"Could not fetch a year of daily history for {symbol} ({why}); "
                            "explained on what the cache holds."
                        )
                    )
        except Exception as exc:  # a failing cache or source never leaves a spinner
            line.add_class("-failed")
            line.update(
                Content(
                    f"Could not fetch a year of daily history for {symbol} "
                    f"({type(exc).__name__}); explained on what the cache holds."
                )
            )
            line.display = True
        finally:
            self._filling = None
        if self.asset.id == asset_id:
            self.recompute()

    def action_asset(self, offset: int) -> None:
        """Explain the previous or next asset of the dashboard, on the same day."""
        order = [a for ids in self.source.watchlists.values() for a in ids]
        i = order.index(self.asset.id) if self.asset.id in order else -1
        self.asset = BY_ID[order[(i + offset) % len(order)]]
        self.query_one("#drill-fetch").display = False  # it spoke of the asset before
        self.recompute()
        self._fetch_headlines()

    def action_findings(self) -> None:
        """Show every finding, or only the first eight. Showing them all puts the keys on the
        findings (tinted while they have them), so PageDown and End read on below the fold."""
        self.all_findings = not self.all_findings
        if self.all_findings:
            self.query_one("#drill-findings", VerticalScroll).focus()

    def action_after(self) -> None:
        """Draw, or hide, the closes that followed the day."""
        chart = self.query_one(PlotextChart)
        chart.show_after = not chart.show_after

    @work(
        thread=True,
        group="drill",
        exclusive=True,
        exit_on_error=False,
        description="Explain the move and prepare the chart",
    )
    def run_compute(self, asset_id: str, day: date, horizon: Horizon) -> None:
        """Compute off the UI thread and post the result, or the reason it failed."""
        try:
            data = compute(self.source, asset_id, day, horizon, self.headlines, self._inputs)
        except Exception as exc:  # shown as one line on the screen, never a spinner
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            self.post_message(DrillFailed(asset_id, day, horizon, reason))
            return
        self.post_message(DrillReady(data))

    @on(DrillFailed)
    def _failed(self, message: DrillFailed) -> None:
        if message.key != (self.day, self.horizon, self.asset.id):
            return
        self.query_one("#drill").loading = False
        error = self.query_one("#drill-error", Static)
        error.display = True
        error.update(
            Content(
                f"Could not explain {self.asset.name} on {self.day} ({self.horizon.value}): "
                f"{message.reason}"
            )
        )
        self._answer_shown()

    @on(DrillReady)
    def _ready(self, message: DrillReady) -> None:
        data = message.data
        if (data.day, data.horizon, data.asset.id) != (self.day, self.horizon, self.asset.id):
            return
        self._show(data)

    def _show(self, data: DrillData) -> None:
        if (data.asset.id, data.day) != self._shown_for:
            # Another asset or day: its answer, findings and headlines start at their top, not
            # where the last one's were scrolled to.
            self._shown_for = (data.asset.id, data.day)
            for box in self.query(VerticalScroll):
                box.scroll_home(animate=False, immediate=True)
        self._last = data
        self.query_one("#drill").loading = False
        self.query_one("#drill-error").display = False
        unit = data.asset.unit
        close = fmt_level(data.close, unit) if data.close is not None else MISSING
        dated = (
            f" (last close {data.close_day})"
            if data.close_day is not None and data.close_day != data.day
            else ""
        )
        self.query_one("#drill-title", FitLine).parts = (
            f"{data.asset.name}  {data.asset.symbol}",
            str(data.day),
            f"close {close}{dated}",
            data.asset.asset_class.value,
            f"chart marks the {data.horizon.value} move",
        )
        self.query_one(PlotextChart).data = data.chart
        table = self.query_one("#drill-moves", DataTable)
        table.clear()
        gain, loss = theme_style(self, "gain"), theme_style(self, "loss")
        for m in data.moves:
            size = m.size
            tone = gain if size and size > 0 else loss if size and size < 0 else ""
            table.add_row(
                m.horizon.value,
                Text(move_cell(m, unit), style=tone, justify="right"),
                Text(signed(m.sigma, 1, "σ"), justify="right"),
                Text(MISSING if m.rank_1y is None else f"#{m.rank_1y}", justify="right"),
                str(m.start_day) if m.start_day else MISSING,
            )
        self.query_one("#drill-facts", Static).update(Content(facts_text(data)))
        if self.live_day is None and data.asset.id in USER_IDS and data.close is None:
            line = self.query_one("#drill-fetch", Static)
            line.remove_class("-failed")
            line.update(
                Content(
                    f"Replay reads the bundled data only: {data.asset.symbol}'s daily history "
                    "is fetched in live mode."
                )
            )
            line.display = True
        exp = data.explanation
        answer = " ".join(exp.answer) if exp is not None else ""
        self.query_one("#drill-answer", Static).update(Content(answer))
        self._show_findings(data)
        self.query_one("#drill-headlines", Static).update(Content(headlines_text(exp)))
        self._answer_shown()

    def _show_findings(self, data: DrillData) -> None:
        exp = data.explanation
        narrative = self.query_one("#drill-narrative", Static)
        bars = self.query_one("#drill-bars", Static)
        if exp is None:
            narrative.update("")
            bars.update("")
            return
        narrative.update(Content(findings_text(exp, self.all_findings)))
        bars.update(attribution_bars(exp, theme_style(self, "gain"), theme_style(self, "loss")))

    def action_horizon(self, value: str) -> None:
        """Switch the horizon the chart marks."""
        self.horizon = Horizon(value)

    def action_step(self, offset: int) -> None:
        """Explain the previous or next trading day without leaving."""
        self.day = self.source.history.step(self.day, offset)
