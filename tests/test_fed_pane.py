"""The Fed-watch pane driven in the app at 80x24 and 120x40 on a replayed day."""

from __future__ import annotations

import re
from datetime import date

import pytest
from textual.widgets import Static

from tests.conftest import whole_day_shown
from tui.app import RiskPulseApp
from tui.fed_text import DERIVED, everything
from tui.history import History
from tui.model import FedMeeting
from widgets.fed_table import LEFT_OUT, FedTable

DAY = date(2022, 6, 14)


async def _settled(app: RiskPulseApp) -> FedTable:
    await whole_day_shown(app)
    table = app.screen.query_one(FedTable)
    assert table.row_count, "the Fed table never filled"
    return table


@pytest.mark.parametrize(("size", "wide"), [((80, 24), False), ((120, 40), True)])
async def test_fed_pane_rows_call_and_notes(
    history: History, size: tuple[int, int], wide: bool
) -> None:
    app = RiskPulseApp(replay=DAY, history=history)
    async with app.run_test(size=size) as pilot:
        table = await _settled(app)
        await pilot.pause()
        keys = [c.key for c in table.columns]
        assert ("bar" in keys) is wide
        assert ("hold" in keys) is not wide
        assert list(table.row_keys) == [
            "2022-06-15",
            "2022-07-27",
            "2022-09-21",
        ]
        assert str(table.get_cell("2022-06-15", "call")).strip() == "hike 75"
        if wide:
            bar = str(table.get_cell("2022-06-15", "bar"))
            assert bar.split() == ["+50", "30", "+75", "70"]
        else:
            assert str(table.get_cell("2022-06-15", "hike")).strip() == "100.0%"
        notes = str(app.screen.query_one("#fedwatch-notes", Static).content)
        assert "riskpulse's computation (CME method) from bundled futures closes" in notes
        assert "last: +50 bp on 2022-05-04 → 0.75–1.00" in notes
        assert "FOMC calendar ends 2027-12-08" in notes


async def test_the_bar_follows_a_resize(history: History) -> None:
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _settled(app)
        assert str(table.get_cell("2025-12-10", "call")).strip() == "hold*"
        assert str(table.get_cell("2025-12-10", "gap")).strip() == "+5.6"  # Kalshi − derived
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        bar = str(table.get_cell("2025-12-10", "bar"))
        assert "-25 39" in bar and "0 61*" in bar


SEGMENT = re.compile(r"([+-]\d+|0) (\d+)(\*?)")


def _sides(m: FedMeeting) -> dict[str, float]:
    known = everything(m)
    return {
        key: sum(p for move, p in known.items() if (move > 0) - (move < 0) == sign)
        for key, sign in (("cut", -1), ("hold", 0), ("hike", 1))
    }


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
@pytest.mark.parametrize("day", [date(2025, 11, 24), date(2022, 9, 15)])
async def test_every_outcome_with_a_probability_is_printed(
    history: History, size: tuple[int, int], day: date
) -> None:
    """2025-11-24 at 120 columns printed the hold's move without its 17%; 2022-09-15 has four
    outcomes for December, more than an 18-cell bar can label."""
    app = RiskPulseApp(replay=day, history=history)
    async with app.run_test(size=size) as pilot:
        table = await _settled(app)
        await pilot.pause()
        keys = [c.key for c in table.columns]
        for m in table.meetings:
            known = everything(m)
            if not known:
                continue
            row = m.date.isoformat()
            if "bar" not in keys:
                for side, p in _sides(m).items():
                    if p:
                        cell = str(table.get_cell(row, side)).strip()
                        assert cell.rstrip(DERIVED) == f"{p * 100:.1f}%", (row, side)
                continue
            bar = str(table.get_cell(row, "bar"))
            printed = {
                int(move): (int(p), mark == DERIVED) for move, p, mark in SEGMENT.findall(bar)
            }
            left = re.search(re.escape(LEFT_OUT) + r"(\d+)\s*$", bar)
            left_out = int(left.group(1)) if left else 0
            assert len(printed) + left_out == len(known), (row, bar)
            for move, (p, derived) in printed.items():
                assert p == round(known[move] * 100), (row, move, bar)
                assert derived == (move in m.derived), (row, move, bar)
            missing = [known[k] for k in known if k not in printed]
            assert all(p <= min(known[k] for k in printed) for p in missing), (row, bar)
