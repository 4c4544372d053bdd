"""A pane's footer names every distinct reason its stale rows give, not only the first row's."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.conftest import whole_day_shown
from tui.app import RiskPulseApp
from tui.history import History
from tui.model import Quote
from tui.screens.dashboard import DashboardScreen
from tui.source_status import stale_footer
from widgets.pane_box import PaneBox

DAY = date(2026, 3, 20)
"""Crypto: funding's bundled data end 2026-03-10, open interest's 2026-03-19."""


@pytest.mark.parametrize("size", [(120, 40), (200, 60)])
async def test_footer_names_each_reason(history: History, size: tuple[int, int]) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=size) as pilot:
        await whole_day_shown(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        snap = screen.snapshot
        assert snap is not None
        several = 0
        for pane_id in ("indices", "crypto", "macro"):
            stale = [q for q in getattr(snap, pane_id).quotes if q.stale]
            if not stale or getattr(snap, pane_id).error:
                continue
            reasons = {q.stale_reason for q in stale if q.stale_reason}
            several += len(reasons) > 1
            footer = str(app.screen.query_one(f"#pane-{pane_id}", PaneBox).border_subtitle)
            assert footer.startswith(f"{len(stale)} stale: "), footer
            for reason in reasons:
                # The words that tell this reason from the others: its last one.
                assert reason.split(" ")[-1] in footer, (pane_id, reason, footer)
        assert several, "no pane with two reasons on the day: the test tests nothing"


def _quote(asset: str, reason: str, received: datetime | None = None) -> Quote:
    return Quote(
        id=asset,
        symbol=asset,
        name=asset,
        price=1.0,
        change=None,
        change_pct=None,
        as_of=None,
        source="test",
        stale=True,
        stale_reason=reason,
        received=received,
    )


def test_reasons_counted_and_their_common_words_said_once() -> None:
    stale = [
        _quote("a", "bundled data end 2026-03-10"),
        _quote("b", "bundled data end 2026-03-19"),
        _quote("c", "bundled data end 2026-03-10"),
    ]
    assert stale_footer(stale) == "3 stale: bundled data end 2026-03-10 ×2, 2026-03-19"


def test_one_reason_reads_as_before_with_the_oldest_arrival() -> None:
    early = datetime(2026, 3, 20, 7, 5, tzinfo=UTC)
    late = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)
    stale = [_quote("a", "yahoo: timeout", late), _quote("b", "yahoo: timeout", early)]
    assert stale_footer(stale) == (f"2 stale: yahoo: timeout; data of {early.astimezone():%H:%M}")


def test_unrelated_reasons_are_each_given() -> None:
    stale = [_quote("a", "yahoo: timeout"), _quote("b", "cboe: server error 503")]
    assert stale_footer(stale) == "2 stale: yahoo: timeout, cboe: server error 503"
