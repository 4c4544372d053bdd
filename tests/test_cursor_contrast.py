"""The highlighted row keeps its gain and loss figures readable in every theme and under NO_COLOR.

Each quote pane's every row is rendered under the cursor as the terminal receives it (ANSI
colours resolved through the app's terminal theme, NO_COLOR's monochrome filter applied) and
each printed character's contrast is measured against its own background (WCAG 2 ratio).
"""

from __future__ import annotations

from datetime import date

import pytest
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import ANSIToTruecolor, Monochrome, NoColor
from textual.strip import Strip

from tests.conftest import whole_day_shown
from themes import THEMES
from tui.app import RiskPulseApp
from tui.history import History
from widgets.quote_table import QuoteTable

DAY = date(2025, 11, 24)
"""Gains and losses side by side in every quote pane."""
AA = 4.5
"""WCAG 2 contrast for normal text: the cursor may not take a cell below it, nor below what the
cell has off the cursor where the theme itself gives less."""
UI = 3.0
"""WCAG 2 contrast for large text and UI components: the floor on the cursor row."""


def _rgb(colour: RichColor | None, app: RiskPulseApp, *, foreground: bool) -> Color:
    """A colour as the app's terminal theme shows it; None and `default` are the terminal's."""
    triplet = (colour or RichColor.default()).get_truecolor(app.ansi_theme, foreground)
    return Color(triplet.red, triplet.green, triplet.blue)


def _shown(strip: Strip, app: RiskPulseApp) -> list[Segment]:
    """The segments as the terminal gets them, through the filters `App.__init__` installs:
    ANSI colours resolved unless the theme uses the terminal's own, then NO_COLOR's."""
    background = Color.parse(app.current_theme.background or "black")
    segments = list(strip)
    if not app.native_ansi_color:
        segments = ANSIToTruecolor(app.ansi_theme).apply(segments, background)
    if app.no_color:
        no_color = NoColor() if app.native_ansi_color else Monochrome()
        segments = no_color.apply(segments, background)
    return segments


def _contrasts(segments: list[Segment], app: RiskPulseApp) -> list[tuple[str, float]]:
    """(character, contrast) for every cell of the line, in order."""
    out: list[tuple[str, float]] = []
    for seg in segments:
        style = seg.style or Style()
        fg = _rgb(style.color, app, foreground=True)
        bg = _rgb(style.bgcolor, app, foreground=False)
        if style.reverse:
            fg, bg = bg, fg
        out.extend((char, _ratio(fg, bg)) for char in seg.text)
    return out


def _ratio(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""

    def luminance(c: Color) -> float:
        def channel(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


async def _check_cursor_rows(app: RiskPulseApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await whole_day_shown(app)
        tables = [t for t in app.screen.query(QuoteTable) if t.row_count]
        assert tables
        for table in tables:
            table.focus()
            await pilot.pause()
            for row in range(table.row_count):
                y = 1 + row - round(table.scroll_y)
                table.move_cursor(row=row + 1 if row + 1 < table.row_count else row - 1)
                off = _shown(table.render_line(y), app)
                table.move_cursor(row=row)
                on = _shown(table.render_line(y), app)
                assert [s.style for s in on] != [s.style for s in off], "cursor not visible"
                cells = zip(_contrasts(on, app), _contrasts(off, app), strict=True)
                for (char, ratio), (_, was) in cells:
                    if char.strip():
                        where = (app.theme, table.id, row, char, round(ratio, 2), round(was, 2))
                        assert ratio >= min(AA, was) - 1e-9, where
                        assert ratio >= UI, where


@pytest.mark.parametrize("theme", [t.name for t in THEMES])
async def test_cursor_row_keeps_gain_and_loss_readable(history: History, theme: str) -> None:
    await _check_cursor_rows(RiskPulseApp(replay=DAY, history=history, theme_name=theme))


@pytest.mark.parametrize("theme", ["riskpulse", "riskpulse-light", "riskpulse-ansi"])
async def test_cursor_row_under_no_color(
    history: History, theme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = RiskPulseApp(replay=DAY, history=history, theme_name=theme)
    assert app.no_color
    await _check_cursor_rows(app)
