"""A price chart drawn by plotext, coloured from the theme, with a window marked.

plotext is imported on first render, never at start-up: the drill-down pays for it, not the
first frame. The chart ends at the explained day (what a trader knew that morning); the closes
that followed are drawn only on request, apart in the theme's `flat` colour and labelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from widgets.palette import theme_colour

Y_TICKS = 5
"""Labels on the y axis."""


@dataclass(frozen=True, slots=True)
class ChartData:
    """What to draw.

    Attributes:
        title: Chart title.
        dates: x values, up to the last close after the day that the data hold.
        values: y values.
        mark_from: Index where the marked move window starts.
        mark_to: Index of the explained day; nothing after it is drawn unless asked.
        label: Formats a y value as the tables do (`tui.formatting.fmt_level`).
    """

    title: str
    dates: Sequence[date]
    values: Sequence[float]
    mark_from: int
    mark_to: int
    label: Callable[[float], str] = str

    @property
    def after(self) -> int:
        """How many closes followed the day in the data."""
        return max(0, len(self.values) - 1 - self.mark_to)


class PlotextChart(Widget):
    """Draws `data` to fit the widget; redraws on resize and theme change."""

    DEFAULT_CSS = """
    PlotextChart { height: 1fr; min-height: 8; }
    """

    data: reactive[ChartData | None] = reactive(None)
    """The series to draw; None shows nothing."""
    show_after: reactive[bool] = reactive(False)
    """Also draw what followed the day (apart, in the `flat` colour)."""

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._repaint, init=False)

    def _repaint(self) -> None:
        self.refresh()

    def _rgb(self, name: str) -> tuple[int, int, int]:
        colour = theme_colour(self, name)
        return (colour.r, colour.g, colour.b)

    _drawn: tuple[tuple[object, ...], Text] | None = None
    """The last figure and what it was drawn from: Textual renders a widget again on any
    refresh of it (a resize to the same size, a layout pass), and plotext takes tens of ms."""

    def render(self) -> Text:
        data = self.data
        width, height = self.size.width, self.size.height
        if data is None or len(data.values) < 2 or width < 20 or height < 5:
            return Text("")
        key = (data, self.show_after, width, height, self.app.theme, self.app.no_color)
        if self._drawn is not None and self._drawn[0] == key:
            return self._drawn[1]
        figure = self._draw(data, width, height)
        self._drawn = (key, figure)
        return figure

    def _draw(self, data: ChartData, width: int, height: int) -> Text:
        import plotext as plt

        end = len(data.values) - 1 if self.show_after else min(data.mark_to, len(data.values) - 1)
        values = list(data.values[: end + 1])
        plt.clear_figure()
        plt.limitsize(False, False)  # plotext caps to its own idea of the terminal otherwise
        plt.plotsize(width, height)
        plt.theme("clear")
        xs = list(range(len(values)))
        day = min(data.mark_to, len(values) - 1)
        plt.plot(xs[: day + 1], values[: day + 1], color=self._rgb("chart-line"), marker="braille")
        lo, hi = max(0, data.mark_from), day
        if hi > lo:
            move = self._rgb("loss" if values[hi] < values[lo] else "gain")
            plt.plot(xs[lo : hi + 1], values[lo : hi + 1], color=move, marker="braille")
        if end > day:
            plt.plot(xs[day:], values[day:], color=self._rgb("flat"), marker="dot")
        plt.vline(day, self._rgb("marker"))
        low, high = min(values), max(values)
        if high > low:
            # Two rows per label at least: plotext drops colliding labels unpredictably.
            n = max(2, min(Y_TICKS, (height - 2) // 2))
            ticks = [low + (high - low) * k / (n - 1) for k in range(n)]
            plt.yticks(ticks, [data.label(t) for t in ticks])
        # plotext places date labels differently from one build to the next, so the dates go in
        # the title instead: the window, and the marked day under the vertical line.
        plt.xticks([], [])
        span = f"{data.dates[0]:%Y-%m-%d} → {data.dates[day]:%Y-%m-%d}"
        if end > day:
            after = f" · dots: the {end - day} closes after"
        elif data.after:
            after = " · ends on the day (key w: what followed)"
        else:
            after = ""
        # plotext drops a title wider than the plot: the window and the key fit in 80 columns.
        title = f"{span}{after}"
        plt.title(title if len(title) < width - 4 else span)
        if self.app.no_color:
            plt.clear_color()  # plotext 5.3's name for a colourless figure
        return Text.from_ansi(plt.build(), no_wrap=True)
