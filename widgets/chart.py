"""A price chart drawn by plotext, coloured from the theme, with a window marked.

plotext is imported on first render, never at start-up: the drill-down pays for it, not the
first frame. The chart ends at the explained day (what a trader knew that morning); the closes
that followed are drawn only on request, apart in the theme's `flat` colour and labelled.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
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

    def chart_style(self) -> ChartStyle | None:
        """What the figure is drawn with, besides its data: the widget's size, the theme's
        colours and the colour mode (None before it is laid out or when too small to draw)."""
        width, height = self.size.width, self.size.height
        if width < 20 or height < 5:
            return None
        line, gain, loss, flat, marker = (self._rgb(name) for name in COLOUR_NAMES)
        return ChartStyle(width, height, (line, gain, loss, flat, marker), self.app.no_color)

    def _rgb(self, name: str) -> tuple[int, int, int]:
        colour = theme_colour(self, name)
        return (colour.r, colour.g, colour.b)

    def render(self) -> Text:
        data = self.data
        style = self.chart_style()
        if data is None or len(data.values) < 2 or style is None:
            return Text("")
        return figure(data, self.show_after, style)


COLOUR_NAMES = ("chart-line", "gain", "loss", "flat", "marker")
"""The theme colours a figure is drawn in, in `ChartStyle.colours`' order."""


@dataclass(frozen=True, slots=True)
class ChartStyle:
    """What a figure is drawn with besides its data.

    Attributes:
        width: Cells across.
        height: Rows.
        colours: RGB of COLOUR_NAMES, in order.
        no_color: Draw without colour (NO_COLOR).
    """

    width: int
    height: int
    colours: tuple[
        tuple[int, int, int],
        tuple[int, int, int],
        tuple[int, int, int],
        tuple[int, int, int],
        tuple[int, int, int],
    ]
    no_color: bool


FIGURES_KEPT = 16
_figures: OrderedDict[tuple[ChartData, bool, ChartStyle], Text] = OrderedDict()
_plot_lock = threading.Lock()
"""plotext draws into one module-level figure: one drawing at a time, from any thread."""


def figure(data: ChartData, show_after: bool, style: ChartStyle) -> Text:
    """The chart of `data` as drawn in `style`, from the last FIGURES_KEPT drawn (by the widget
    on a refresh, or ahead of it in a thread: plotext takes ~10 ms a figure).

    Args:
        data: What to draw (at least two values).
        show_after: Also draw the closes after the day.
        style: Size, colours and colour mode.

    Returns:
        The figure as styled text, one line per row.
    """
    key = (data, show_after, style)
    with _plot_lock:
        found = _figures.get(key)
        if found is None:
            found = _figures[key] = _draw(data, show_after, style)
            while len(_figures) > FIGURES_KEPT:
                _figures.popitem(last=False)
        else:
            _figures.move_to_end(key)
        return found


def _draw(data: ChartData, show_after: bool, style: ChartStyle) -> Text:
    import plotext as plt

    width, height = style.width, style.height
    line, gain, loss, flat, marker = style.colours

    end = len(data.values) - 1 if show_after else min(data.mark_to, len(data.values) - 1)
    values = list(data.values[: end + 1])
    plt.clear_figure()
    plt.limitsize(False, False)  # plotext caps to its own idea of the terminal otherwise
    plt.plotsize(width, height)
    plt.theme("clear")
    xs = list(range(len(values)))
    day = min(data.mark_to, len(values) - 1)
    plt.plot(xs[: day + 1], values[: day + 1], color=line, marker="braille")
    lo, hi = max(0, data.mark_from), day
    if hi > lo:
        move = loss if values[hi] < values[lo] else gain
        plt.plot(xs[lo : hi + 1], values[lo : hi + 1], color=move, marker="braille")
    if end > day:
        plt.plot(xs[day:], values[day:], color=flat, marker="dot")
    plt.vline(day, marker)
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
    if style.no_color:
        plt.clear_color()  # plotext 5.3's name for a colourless figure
    return Text.from_ansi(plt.build(), no_wrap=True)
