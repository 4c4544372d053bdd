"""The drill-down: the selected asset's history around the day and the size of its move.

All computation runs in a thread worker; the screen shows a loading state until it lands.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.assets import BY_ID, Asset, Unit
from tui.explain.headlines import Headline
from tui.explain.move import Horizon, Move, measure

if TYPE_CHECKING:
    from tui.explain.engine import Explanation
from tui.formatting import MISSING, fmt_level
from tui.sources.replay import ReplaySource
from widgets.chart import ChartData, PlotextChart
from widgets.palette import theme_style
from widgets.status_bar import StatusBar

CHART_BEFORE = 120
"""Closes drawn before the day."""
CHART_AFTER = 20
"""Closes drawn after the day, when the data have them (what happened next)."""


@dataclass(frozen=True, slots=True)
class DrillData:
    """Everything the drill-down shows for one asset, day and horizon."""

    asset: Asset
    day: date
    horizon: Horizon
    moves: tuple[Move, ...]
    chart: ChartData | None
    close: float | None
    close_day: date | None
    explanation: Explanation | None = None


class DrillReady(Message):
    """The worker finished computing the drill-down."""

    def __init__(self, data: DrillData) -> None:
        self.data = data
        super().__init__()


def compute(
    source: ReplaySource,
    asset_id: str,
    day: date,
    horizon: Horizon,
    headlines: Sequence[Headline] = (),
) -> DrillData:
    """Measure the moves and cut the chart window (pure; runs off the UI thread).

    Args:
        source: Where the history comes from.
        asset_id: The asset.
        day: The explained day.
        horizon: Horizon whose window the chart marks.
        headlines: Headlines fetched live (recorded ones are always searched).

    Returns:
        The drill-down's data.
    """
    import plotext  # noqa: F401  (loaded here so the first chart render does not stall the UI)

    asset = BY_ID[asset_id]
    series = source.history.series(asset_id)
    from tui.explain.engine import explain

    explanation = explain(source.history, asset_id, day, horizon, headlines)
    current = explanation.move
    moves = tuple(current if h is horizon else measure(series, asset, day, h) for h in Horizon)
    i = series.index_at(day)
    chart = None
    if i >= 1:
        lo, hi = max(0, i - CHART_BEFORE), min(len(series) - 1, i + CHART_AFTER)
        start = series.index_at(current.start_day) if current.start_day else i - 1
        chart = ChartData(
            title=f"{asset.name} ({asset.symbol})",
            dates=series.dates[lo : hi + 1],
            values=series.values[lo : hi + 1],
            mark_from=start - lo,
            mark_to=i - lo,
        )
    return DrillData(
        asset,
        day,
        horizon,
        moves,
        chart,
        series.values[i] if i >= 0 else None,
        series.dates[i] if i >= 0 else None,
        explanation,
    )


class DrillDownScreen(Screen[None]):
    """Why did it move: the move against its own volatility, on a chart of its history."""

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
    ]

    horizon: reactive[Horizon] = reactive(Horizon.D1, init=False)
    """The horizon the chart marks."""
    day: reactive[date] = reactive(date(2000, 1, 1), init=False)
    """The explained day."""

    def __init__(
        self,
        source: ReplaySource,
        asset_id: str,
        day: date,
        headlines: Sequence[Headline] = (),
        live_day: date | None = None,
        more_headlines: Callable[[str], Awaitable[Sequence[Headline]]] | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.headlines = tuple(headlines)
        self._more_headlines = more_headlines
        """Fetches an asset's own headlines (live only); the narrative is recomputed with them."""
        self.live_day = live_day
        """Today, when opened from live data: that day is labelled LIVE, others REPLAY."""
        self.asset = BY_ID[asset_id]
        self._initial_day = day

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="drill"):
            yield Static("", id="drill-title", markup=False)
            yield PlotextChart(id="drill-chart")
            with Horizontal(id="drill-lower"):
                yield DataTable(id="drill-moves", cursor_type="none", zebra_stripes=False)
                yield Static("", id="drill-facts", markup=False)
            with VerticalScroll(id="drill-why"):
                yield Static("", id="drill-bars", markup=False)
                yield Static("", id="drill-narrative", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#drill-moves", DataTable)
        for key, label in (
            ("h", "Horizon"),
            ("chg", "Move"),
            ("sigma", "σ"),
            ("rank", "Rank 1y"),
            ("from", "From"),
        ):
            table.add_column(label, key=key)
        self.day = self._initial_day
        self.query_one("#drill").loading = True
        self._fetch_headlines()

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
        live = self.live_day is not None and day == self.live_day
        self.query_one(StatusBar).mode = (
            f"LIVE {day.isoformat()}" if live else (f"REPLAY {day.isoformat()}")
        )
        self.recompute()

    def watch_horizon(self) -> None:
        self.recompute()

    def recompute(self) -> None:
        """Start the worker for the current asset, day and horizon."""
        self.query_one("#drill").loading = True
        self.run_compute(self.asset.id, self.day, self.horizon)

    def action_asset(self, offset: int) -> None:
        """Explain the previous or next asset of the dashboard, on the same day."""
        order = [a for ids in self.source.watchlists.values() for a in ids]
        i = order.index(self.asset.id) if self.asset.id in order else -1
        self.asset = BY_ID[order[(i + offset) % len(order)]]
        self.recompute()
        self._fetch_headlines()

    @work(
        thread=True,
        group="drill",
        exclusive=True,
        exit_on_error=False,
        description="Measure the move and prepare the chart",
    )
    def run_compute(self, asset_id: str, day: date, horizon: Horizon) -> None:
        """Compute off the UI thread and post the result."""
        self.post_message(DrillReady(compute(self.source, asset_id, day, horizon, self.headlines)))

    @on(DrillReady)
    def _ready(self, message: DrillReady) -> None:
        data = message.data
        if (data.day, data.horizon, data.asset.id) != (self.day, self.horizon, self.asset.id):
            return
        self.query_one("#drill").loading = False
        unit = data.asset.unit
        close = fmt_level(data.close, unit) if data.close is not None else MISSING
        dated = "" if data.close_day == data.day else f" (last close {data.close_day})"
        self.query_one("#drill-title", Static).update(
            Content(
                f"{data.asset.name}  {data.asset.symbol}  ·  {data.day}  ·  "
                f"{data.asset.asset_class.value}"
                f"  ·  close {close}{dated}  ·  chart marks the {data.horizon.value} move"
            )
        )
        self.query_one(PlotextChart).data = data.chart
        table = self.query_one("#drill-moves", DataTable)
        table.clear()
        gain, loss = theme_style(self, "gain"), theme_style(self, "loss")
        for m in data.moves:
            size = m.size
            tone = gain if size and size > 0 else loss if size and size < 0 else ""
            text = (
                MISSING
                if size is None
                else (f"{size:+.2f}%" if unit is Unit.PRICE else f"{size:+.0f} bp")
            )
            table.add_row(
                m.horizon.value,
                Text(text, style=tone, justify="right"),
                Text(MISSING if m.sigma is None else f"{m.sigma:+.1f}σ", justify="right"),
                Text(MISSING if m.rank_1y is None else f"#{m.rank_1y}", justify="right"),
                str(m.start_day) if m.start_day else MISSING,
            )
        self.query_one("#drill-facts", Static).update(Content(_facts(data)))
        exp = data.explanation
        bars = self.query_one("#drill-bars", Static)
        narrative = self.query_one("#drill-narrative", Static)
        if exp is None:
            bars.update("")
            narrative.update("")
            return
        bars.update(self._bars(exp))
        narrative.update(Content("\n".join(f"• {line}" for line in exp.narrative)))

    def _bars(self, exp: Explanation) -> Text:
        """Attribution as horizontal bars: each factor's contribution and the residual."""
        att = exp.attribution
        size = exp.move.size
        if att is None or not att.drivers or size is None:
            return Text(f"Attribution: {att.note if att and att.note else 'not available'}")
        gain, loss = theme_style(self, "gain"), theme_style(self, "loss")
        parts = [(d.factor.label, d.contribution or 0.0) for d in att.drivers]
        parts.append(("residual (the asset's own)", att.residual or 0.0))
        scale = max(abs(size), *(abs(v) for _, v in parts)) or 1.0
        text = Text()
        text.append(
            f"Attribution of the {exp.move.horizon.value} move ({size:+.2f}, "
            f"R² {att.r2:.2f}, {exp.kind.kind.replace('_', ' ')})\n",
            style="bold",
        )
        width = 30
        for label, value in parts:
            n = round(abs(value) / scale * width)
            text.append(f"{label[:34]:<35}")
            text.append("█" * n + " " * (width - n), style=gain if value > 0 else loss)
            text.append(f" {value:+.2f}\n")
        return text

    def action_horizon(self, value: str) -> None:
        """Switch the horizon the chart marks."""
        self.horizon = Horizon(value)

    def action_step(self, offset: int) -> None:
        """Explain the previous or next trading day without leaving."""
        self.day = self.source.history.step(self.day, offset)


def _facts(data: DrillData) -> str:
    move = data.moves[0]
    unit = "%" if data.asset.unit is Unit.PRICE else " bp"
    lines = []
    if move.sigma_1d is not None:
        lines.append(f"Daily volatility before the day (EWMA λ 0.94): {move.sigma_1d:.2f}{unit}")
    if move.from_high_pct is not None and move.high_date is not None:
        lines.append(
            f"From the 52-week high: {move.from_high_pct:+.1f}% (high set {move.high_date})"
        )
    notes = {m.note for m in data.moves if m.note}
    lines += sorted(notes)
    if data.asset.quote_currency == "USDT":
        lines.append("Prices are Binance spot in USDT; days are UTC candles.")
    return "\n".join(lines) or "No statistics: too little data."
