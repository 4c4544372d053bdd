"""A price chart drawn by plotext, coloured from the theme, with a window marked.

plotext is imported on first render, never at start-up: the drill-down pays for it, not the
first frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from widgets.palette import theme_colour


@dataclass(frozen=True, slots=True)
class ChartData:
    """What to draw.

    Attributes:
        title: Chart title.
        dates: x values.
        values: y values.
        mark_from: Index where the marked move window starts.
        mark_to: Index of the explained day.
    """

    title: str
    dates: Sequence[date]
    values: Sequence[float]
    mark_from: int
    mark_to: int


class PlotextChart(Widget):
    """Draws `data` to fit the widget; redraws on resize and theme change."""

    DEFAULT_CSS = """
    PlotextChart { height: 1fr; min-height: 8; }
    """

    data: reactive[ChartData | None] = reactive(None)
    """The series to draw; None shows nothing."""

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._repaint, init=False)

    def _repaint(self) -> None:
        self.refresh()

    def _rgb(self, name: str) -> tuple[int, int, int]:
        colour = theme_colour(self, name)
        return (colour.r, colour.g, colour.b)

    def render(self) -> Text:
        data = self.data
        width, height = self.size.width, self.size.height
        if data is None or len(data.values) < 2 or width < 20 or height < 5:
            return Text("")
        import plotext as plt

        plt.clear_figure()
        plt.limitsize(False, False)  # plotext caps to its own idea of the terminal otherwise
        plt.plotsize(width, height)
        plt.theme("clear")
        xs = list(range(len(data.values)))
        line = self._rgb("chart-line")
        plt.plot(xs, list(data.values), color=line, marker="braille")
        lo, hi = max(0, data.mark_from), min(len(xs) - 1, data.mark_to)
        if hi > lo:
            move = self._rgb("loss" if data.values[hi] < data.values[lo] else "gain")
            plt.plot(xs[lo : hi + 1], list(data.values[lo : hi + 1]), color=move, marker="braille")
        plt.vline(hi, self._rgb("marker"))
        # plotext places date labels differently from one build to the next, so the dates go in
        # the title instead: the window, and the marked day under the vertical line.
        plt.xticks([], [])
        span = f"{data.dates[0]:%Y-%m-%d} → {data.dates[-1]:%Y-%m-%d}"
        plt.title(f"{data.title} · {span} · line marks {data.dates[hi]:%Y-%m-%d}")
        if self.app.no_color:
            plt.colorless()
        return Text.from_ansi(plt.build(), no_wrap=True)
