"""No signed zero anywhere: a change that rounds to zero prints `0.0`, in panes and in text.

The helper on its own, then real replayed days whose Fed-odds or fear & greed change rounds to
zero, in the pane (Pilot) and in `riskpulse snapshot` (text and JSON).
"""

from __future__ import annotations

import json
import math
import re
from datetime import date

import pytest

from tests.conftest import whole_day_shown
from tui.app import RiskPulseApp
from tui.assets import BY_ID, row
from tui.cli import main
from tui.fed_text import focus
from tui.formatting import fmt_change, fmt_level, fmt_pct, signed
from tui.history import History
from tui.model import Quote
from tui.numtext import plain, rounded
from tui.sources.replay import ReplaySource
from widgets.fear_greed_table import FearGreedTable
from widgets.fed_table import FedTable
from widgets.quote_table import QuoteTable, fmt_sigma

FED_DAY = date(2025, 11, 25)
"""Kalshi's December-cut odds were the same as the day before: Δ1d came out as -0.0."""
FG_DAY = date(2025, 10, 13)
"""CNN's stock index: 29.74 after 30.14, a change of -0.4 that rounds to zero."""
SIGNED_ZERO = re.compile(r"(?<![\w.])[-−+]0(?:[.,]0+)*(?![\d.,])")
"""A zero with a sign in front: `-0`, `+0.0`, `−0.00`."""


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        (0, ("0", "0", "0")),
        (1, ("0.0", "0.0", "0.0")),
        (2, ("-0.04", "0.00", "+0.04")),
        (4, ("-0.0400", "0.0000", "+0.0400")),
    ],
)
def test_signed_at_each_precision(digits: int, expected: tuple[str, str, str]) -> None:
    assert tuple(signed(v, digits) for v in (-0.04, -0.0, 0.04)) == expected


@pytest.mark.parametrize("digits", [0, 1, 2, 4])
def test_what_rounds_to_zero_has_no_sign(digits: int) -> None:
    tiny = 0.4 * 10.0**-digits
    zero = f"{0:.{digits}f}"
    for value in (-tiny, -0.0, 0.0, tiny):
        assert signed(value, digits) == zero
        assert signed(value, digits, " bp", minus="−") == f"{zero} bp"
        assert plain(value, digits) == zero
    assert signed(-2.5 * 10.0**-digits, digits).startswith("-")
    assert signed(2.5 * 10.0**-digits, digits).startswith("+")


def test_signed_keeps_units_grouping_and_the_missing_mark() -> None:
    assert signed(-1286.4, 0, grouping=True) == "-1,286"
    assert signed(1286.4, 0, grouping=True) == "+1,286"
    assert signed(-0.3, 0, grouping=True) == "0"
    assert signed(-1.56, 2, "%", minus="−") == "−1.56%"
    assert signed(None) == signed(math.nan) == signed(math.inf) == "—"
    assert plain(-3.0, 2) == "-3.00" and plain(-0.004, 2) == "0.00"
    assert math.copysign(1.0, rounded(-0.0001, 2)) == 1.0


def _quote(asset_id: str, price: float, change: float, pct: float | None) -> Quote:
    asset = row(asset_id)
    assert asset is not None
    return Quote(
        asset_id,
        asset.symbol,
        asset.name,
        price,
        change,
        pct,
        date(2025, 11, 20),
        "test",
        unit=asset.unit,
        decimals=asset.decimals,
    )


def test_the_pane_formatters_follow_the_rule() -> None:
    dax = _quote("dax", 24_378.0, -0.6, -0.0025)
    assert fmt_change(dax) == "-1"  # a point is shown: the sign stays
    assert fmt_change(_quote("dax", 24_378.0, -0.4, -0.0016)) == "0"
    assert fmt_pct(dax.change_pct) == "0.00%"
    assert fmt_change(_quote("hy_spread", 3.17, -0.0003, None)) == "0 bp"
    assert fmt_change(_quote("hy_spread", 3.17, -0.003, None)) == "-0.3 bp"
    assert fmt_change(_quote("btc_funding", 0.0028, -0.000004, None)) == "0.0000"
    assert fmt_level(-0.000004, _quote("btc_funding", 0, 0, None).unit) == "0.0000%"
    assert fmt_level(0.3, BY_ID["sofr_iorb"].unit) == "+0.3 bp"
    assert fmt_level(-0.02, BY_ID["sofr_iorb"].unit) == "0 bp"
    assert fmt_sigma(-0.04) == "0.0" and fmt_sigma(-0.06) == "-0.1"


def test_the_days_really_round_to_zero() -> None:
    """The test days below exercise the rule: their changes are zero or round to it."""
    fed = ReplaySource().snapshot(FED_DAY).fedwatch.meetings[0]
    about = focus(fed)
    assert about is not None and round(fed.change_1d_pp[about], 1) == 0
    stock = next(f for f in ReplaySource().snapshot(FG_DAY).fear_greed.indices if f.id == "stock")
    assert stock.value is not None and stock.previous is not None
    assert -0.5 < stock.value - stock.previous < 0


async def test_the_panes_show_no_signed_zero(history: History) -> None:
    app = RiskPulseApp(replay=FED_DAY, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await whole_day_shown(app)
        await pilot.pause()
        fed = app.screen.query_one(FedTable)
        assert str(fed.get_cell("2025-12-10", "d1")).strip() == "0.0"
        await pilot.press("g")
        await pilot.press(*FG_DAY.isoformat(), "enter")
        await whole_day_shown(app)
        await pilot.pause()
        fg = app.screen.query_one(FearGreedTable)
        assert str(fg.get_cell("stock", "d1")).strip() == "0"
        for table in app.screen.query(QuoteTable):
            for row in table.row_keys:
                for column in table.columns:
                    text = str(table.get_cell(row, column.key))
                    assert not SIGNED_ZERO.search(text), (row, column.key, text)


@pytest.mark.parametrize("day", [FED_DAY, FG_DAY, date(2025, 10, 20), date(2025, 10, 6)])
def test_snapshot_text_and_json_show_no_signed_zero(
    capsys: pytest.CaptureFixture[str], day: date
) -> None:
    assert main(["snapshot", "--replay", day.isoformat()]) == 0
    text = capsys.readouterr().out
    assert not SIGNED_ZERO.search(text), SIGNED_ZERO.findall(text)
    if day == FED_DAY:
        assert "Δ1d 0.0  Δ1w +28.5" in text
    if day == FG_DAY:
        assert re.search(r"Stock F&G\s+30\s+Fear\s+1d\s+0\s+1w\s+-24", text)
    assert main(["snapshot", "--replay", day.isoformat(), "--format", "json"]) == 0
    raw = capsys.readouterr().out
    assert not re.search(r":\s*-0\.0\b(?!\d)|\"-0\.0%", raw)
    doc = json.loads(raw)
    if day == FED_DAY:
        meeting = doc["panes"]["fedwatch"]["meetings"][0]
        assert meeting["change_1d_pp"]["-25"] == 0.0


def test_explain_text_shows_no_signed_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """On 2025-11-20 the Nasdaq's folded factors add to -0.004% and several rates did not move."""
    assert main(["explain", "ndx", "--replay", "2025-11-20"]) == 0
    text = capsys.readouterr().out
    assert not SIGNED_ZERO.search(text), SIGNED_ZERO.findall(text)
