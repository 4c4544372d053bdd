"""The drill-down's data: the explanation, the moves of each horizon and the chart window.

Computed off the UI thread by `compute`; the screen only renders what it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.message import Message

from tui.assets import BY_ID, Asset, Unit
from tui.explain.headlines import Headline
from tui.explain.move import Horizon, Move, measure
from tui.formatting import fmt_level, signed
from tui.sources.replay import ReplaySource
from widgets.chart import ChartData

if TYPE_CHECKING:
    from tui.explain.engine import Explanation
    from tui.explain.inputs import ExplainInputs, Window

InputsBuilder = Callable[["Window"], "ExplainInputs"]
"""Builds explain's inputs for a window: `replay_inputs`, or a live builder."""

CHART_BEFORE = 120
"""Closes drawn before the day."""
CHART_AFTER = 20
"""Closes after the day kept for the 'what followed' key (never drawn unless asked)."""
FIRST_SCREEN = 8
"""Findings shown before the 'more' key."""


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


class DrillFailed(Message):
    """The worker could not compute the drill-down; `reason` is one line."""

    def __init__(self, asset_id: str, day: date, horizon: Horizon, reason: str) -> None:
        self.key = (day, horizon, asset_id)
        self.reason = reason
        super().__init__()


def compute(
    source: ReplaySource,
    asset_id: str,
    day: date,
    horizon: Horizon,
    headlines: Sequence[Headline] = (),
    inputs: InputsBuilder | None = None,
) -> DrillData:
    """Explain the move and cut the chart window (pure; runs off the UI thread).

    Args:
        source: Where the history comes from.
        asset_id: The asset.
        day: The explained day.
        horizon: Horizon whose window the chart marks.
        headlines: Headlines fetched live (recorded ones are always searched).
        inputs: Builds explain's inputs for the move's window; the bundled readings
            (`tui.explain_inputs.replay_inputs`) when None. Live mode passes a builder over the
            readings its panes show.

    Returns:
        The drill-down's data.
    """
    import plotext  # noqa: F401  (loaded here so the first chart render does not stall the UI)

    from tui.explain.engine import explain, window_for
    from tui.explain_inputs import replay_inputs

    asset = BY_ID[asset_id]
    series = source.history.series(asset_id)
    window = window_for(source.history, asset_id, day, horizon)
    built = (inputs or replay_inputs)(window)
    explanation = explain(source.history, asset_id, day, horizon, headlines, built)
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
            label=partial(fmt_level, unit=asset.unit),
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


def move_cell(m: Move, unit: Unit) -> str:
    size = m.size
    if size is None:
        return signed(m.change, 2)
    return signed(size, 2, "%") if unit is Unit.PRICE else signed(size, 0, " bp")


def headlines_text(exp: Explanation | None) -> str:
    if exp is None or not exp.headlines:
        return "Headlines: none recorded within 36 hours before the close."
    lines = ["Headlines (UTC), most relevant first:"]
    for h in exp.headlines:
        seen = " first seen" if h.time_quality == "first_seen" else ""
        lines.append(f"{h.time:%m-%d %H:%M}{seen}  {h.title} — {h.source}")
    return "\n".join(lines)


def facts_text(data: DrillData) -> str:
    move = data.moves[0]
    unit = "%" if data.asset.unit is Unit.PRICE else " bp"
    lines = []
    if move.sigma_1d is not None:
        lines.append(f"Daily σ before the day (EWMA λ 0.94): {move.sigma_1d:.2f}{unit}")
    if move.from_high_pct is not None and move.high_date is not None:
        lines.append(
            f"From the 52-week high: {signed(move.from_high_pct, 1, '%')} ({move.high_date})"
        )
    notes = {m.note for m in data.moves if m.note}
    lines += sorted(notes)
    if data.asset.quote_currency == "USDT":
        lines.append("Binance spot in USDT; days are UTC candles.")
    return "\n".join(lines) or "No statistics: too little data."


def attribution_bars(exp: Explanation, gain: Style, loss: Style) -> Text:
    """Attribution as horizontal bars: each factor's contribution and the residual."""
    att = exp.attribution
    size = exp.move.size
    if att is None or not att.drivers or size is None:
        return Text(f"Attribution: {att.note if att and att.note else 'not available'}")
    parts: list[tuple[str, float | None]] = [
        (d.factor.label, d.contribution) for d in att.drivers if d.shown
    ]
    if any(not d.shown for d in att.drivers):
        parts.append(("other factors (|t| < 2)", att.folded))
    parts.append(("residual (no factor)", att.residual))
    scale = max(abs(size), *(abs(v or 0.0) for _, v in parts)) or 1.0
    text = Text()
    text.append(
        f"\nAttribution of the {exp.move.horizon.value} move ({signed(size, 2)}, "
        f"R² {att.r2:.2f}, {exp.kind.kind.replace('_', ' ')})\n",
        style="bold",
    )
    width = 24
    for label, value in parts:
        text.append(f"{label[:34]:<35}")
        if value is None:
            text.append(f"{'':<{width}} no move that day\n")
            continue
        n = round(abs(value) / scale * width)
        text.append("█" * n + " " * (width - n), style=gain if value > 0 else loss)
        text.append(f" {signed(value, 2)}\n")
    return text


def findings_text(exp: Explanation, everything: bool) -> str:
    """The first eight findings and a pointer to the rest, or every finding and the limits."""
    shown = exp.findings if everything else exp.findings[:FIRST_SCREEN]
    lines = [f"• {line}" for line in shown]
    rest = len(exp.findings) - len(shown)
    if rest:
        lines.append(f"… {rest} more findings and the limits of the data: press f")
    elif everything:
        lines += ["", "What the data cannot tell:"] + [f"• {line}" for line in exp.limits]
    return "\n".join(lines)
