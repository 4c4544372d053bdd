"""The footer recomposes only when the keys it shows change, and builds keys in its own style."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.conftest import whole_day_shown
from tui.app import RiskPulseApp
from tui.history import History
from widgets.footer import KeysFooter


async def test_tab_between_panes_keeps_the_footer(
    history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    recomposed: list[Any] = []
    original = Footer.recompose

    async def counting(self: Footer) -> None:
        recomposed.append(self)
        await original(self)

    monkeypatch.setattr(Footer, "recompose", counting)
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await whole_day_shown(app)
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        keys_before = [k.description for k in footer.query(FooterKey)]
        recomposed.clear()
        for _ in range(5):  # every pane, quote or not, and back to the first
            await pilot.press("tab")
            await pilot.pause()
        assert recomposed == []
        assert [k.description for k in footer.query(FooterKey)] == keys_before
        assert "Explain" in keys_before


async def test_keys_are_built_in_the_footers_style(history: History) -> None:
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await whole_day_shown(app)
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        keys = list(footer.query(FooterKey))
        assert keys and not footer.compact
        assert all(not k.compact and not k.has_class("-compact") for k in keys)


async def test_tabs_in_one_burst_each_move_a_pane(history: History) -> None:
    """Two Tabs read together move two panes (focus lands after the first one's handler)."""
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await whole_day_shown(app)
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "table-indices"
        for _ in range(2):  # queued together, as a terminal's burst is read
            app.post_message(events.Key("tab", None))
        await pilot.pause()
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "table-fedwatch"
        for _ in range(3):
            app.post_message(events.Key("shift+tab", None))
        await pilot.pause()
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "table-fear_greed"
