"""Which layout the dashboard uses at a size, and what each pane's title says.

Three layouts (`widgets.navigable.Layout`): *compact* puts all five panes on an 80x24 screen
(two columns, no borders, each pane's title in its header row, 40-column tables); *standard*
is the 120x40 dashboard (two bordered columns from 100 columns, stacked below); *wide* uses
200x60 (98-column tables with the 1w/1m moves, a 15-close sparkline and the Fed meetings' whole
distribution). The screen's breakpoint classes pick one; the density key overrides it for the
session.
"""

from __future__ import annotations

from typing import Literal

from widgets.navigable import Layout

HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] = [
    (0, "-cols-narrow"),
    (80, "-cols-80"),
    (100, "-cols-100"),
    (180, "-cols-180"),
]
"""Terminal widths: below 80, from 80 (compact, two columns), from 100 (standard, two
columns), from 180 (wide)."""
VERTICAL_BREAKPOINTS: list[tuple[int, str]] = [(0, "-rows-short"), (34, "-rows-34")]
"""Terminal heights: below 34 rows the standard layout would scroll, so compact is used."""
LAYOUT_CLASSES: dict[Layout, str] = {
    "compact": "-layout-compact",
    "standard": "-layout-standard",
    "wide": "-layout-wide",
}
"""The screen's class for each layout (themes/riskpulse.tcss)."""

Density = Literal["auto", "dense", "roomy"]
"""The density key's choice: follow the size, or force compact, or force the roomy layout."""

FULL_TITLES: dict[str, str] = {
    "indices": "Stock indices",
    "crypto": "Crypto · USDT",
    "fedwatch": "Fed watch",
    "macro": "Gold & macro",
    "fear_greed": "Fear & greed",
}
"""Pane titles in the bordered layouts (crypto's names the currencies it is quoted in)."""
SHORT_TITLES: dict[str, str] = {"indices": "Indices", "crypto": "Crypto", "macro": "Macro"}
"""Compact titles of a sorted pane: the order's name must fit before the first column label."""
SORT_NAMES: dict[str, str] = {"change": "chg", "sigma": "|σ|", "name": "name", "high": "52wH"}
"""How a pane's title names its order (`widgets.quote_table.SORTS`)."""


def auto_layout(classes: set[str]) -> Layout:
    """The layout for the screen's breakpoint classes.

    Args:
        classes: The screen's classes (Textual sets the breakpoint ones on each resize).

    Returns:
        compact below 100 columns or 34 rows, wide from 180 columns, standard otherwise.
    """
    if "-rows-short" in classes or not classes & {"-cols-100", "-cols-180"}:
        return "compact"
    return "wide" if "-cols-180" in classes else "standard"


def roomy_layout(classes: set[str]) -> Layout:
    """The bordered layout for the width, whatever the height (the density key's other end)."""
    return "wide" if "-cols-180" in classes else "standard"


def effective(density: Density, classes: set[str]) -> Layout:
    """The layout in force: the density key's choice, or the size's.

    Args:
        density: auto, dense or roomy.
        classes: The screen's classes.

    Returns:
        The layout.
    """
    if density == "dense":
        return "compact"
    if density == "roomy":
        return roomy_layout(classes)
    return auto_layout(classes)


def toggled(current: Layout) -> Density:
    """What the density key asks for from the layout in force: the other end."""
    return "roomy" if current == "compact" else "dense"


def pane_title(pane_id: str, layout: Layout, sort_by: str = "", full: str | None = None) -> str:
    """A pane's title for a layout, naming its order when it is sorted.

    Args:
        pane_id: The pane.
        layout: The layout in force.
        sort_by: The pane's order (empty: as listed).
        full: The bordered title when it differs from FULL_TITLES (crypto's currencies).

    Returns:
        `Stock indices · by |σ|` with borders; `Indices ↓|σ|` in the compact header row, where
        it must end before the first column label.
    """
    title = full or FULL_TITLES[pane_id]
    if not sort_by:
        return title
    name = SORT_NAMES.get(sort_by, sort_by)
    if layout == "compact":
        return f"{SHORT_TITLES.get(pane_id, title)} ↓{name}"
    return f"{title} · by {name}"
