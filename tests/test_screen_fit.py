"""Text on the screens is never cut mid-word: pane footers, the drill-down's title and its key
footer."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from tests.conftest import whole_day_shown
from tui.app import RiskPulseApp
from tui.history import History
from tui.numtext import fit_parts, fit_words
from widgets.fit_line import FitLine
from widgets.footer import KeysFooter
from widgets.pane_box import PaneBox

"""A Saturday: open interest is before its bundled start, so the crypto pane has a stale row."""


@pytest.mark.parametrize("width", range(1, 100, 7))
def test_fit_words_cuts_at_a_clause_or_a_word(width: int) -> None:
    text = "1 stale: no open interest for this day (bundled 2025-11-07 – 2026-03-19); data of 14:00"
    shown = fit_words(text, width)
    assert len(shown) <= width
    if shown and shown != text:
        head = shown.removesuffix("…")
        assert shown.endswith("…") and text.startswith(head)
        assert text[len(head)] in " (;,:"  # the cut falls between words


def test_fit_parts_keeps_whole_parts() -> None:
    parts = ("S&P 500  ^GSPC", "2025-11-20", "close 6,538.76", "equity index", "chart marks")
    assert fit_parts(parts, 200) == "  ·  ".join(parts)
    assert fit_parts(parts, 48) == "S&P 500  ^GSPC  ·  2025-11-20  ·  close 6,538.76"
    assert fit_parts(parts, 47) == "S&P 500  ^GSPC  ·  2025-11-20"
    assert fit_parts(parts, 10) == "S&P 500…"


def _screen_lines(app: Any) -> list[str]:
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


async def test_a_pane_footer_is_cut_at_a_clause_not_mid_word(history: History) -> None:
    # A footer longer than its border (the crypto pane's when its open interest had no reading
    # for the day): cut after its first clause at 120 columns, whole at 200.
    app = RiskPulseApp(replay=date(2025, 10, 4), history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await whole_day_shown(app)
        await pilot.pause()
        box = app.screen.query_one("#pane-crypto", PaneBox)
        box.footer = "1 stale: no open interest for this day (bundled data end 2026-03-19)"
        await pilot.pause()
        shown = str(box.border_subtitle)
        assert shown == "1 stale: no open interest for this day…"
        assert any(shown in line for line in _screen_lines(app))
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        await pilot.pause()
        assert str(box.border_subtitle) == box.footer  # room for all of it


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_drill_downs_title_and_keys_are_whole(
    history: History, size: tuple[int, int]
) -> None:
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history)
    async with app.run_test(size=size) as pilot:
        await whole_day_shown(app)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            title = app.screen.query_one("#drill-title", FitLine)
            if title.parts:
                break
        await pilot.pause()
        shown = str(title.render())
        assert shown.split("  ·  ") == list(title.parts[: len(shown.split("  ·  "))])
        assert len(shown) <= size[0]
        footer = app.screen.query_one(KeysFooter)
        keys = list(footer.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown_keys = [k for k in keys if k.display and k is not palette]
        hidden = [k for k in keys if not k.display]
        assert shown_keys and all(k.region.right <= palette.region.x for k in shown_keys)
        assert bool(hidden) is (size[0] < 200)  # the drill-down has more keys than 120 columns
        line = _screen_lines(app)[-1]
        for key in shown_keys:
            assert key.description in line
