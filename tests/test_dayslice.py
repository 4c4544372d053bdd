"""A replayed day's first numbers come from the lines around the day (tui.dayslice): every value
is the CSV's own text through the same parser and gate, and the quotes equal the full ones."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest

from tests.conftest import BUNDLE
from tui.assets import ASSETS, PANE_ASSETS
from tui.dayslice import DaySlices
from tui.gate import level_ok
from tui.history import History, parse_number
from tui.sources.replay import ReplaySource


def test_every_value_is_the_csv_text_of_its_row() -> None:
    slices = DaySlices()
    checked = 0
    for asset in ASSETS:
        if not asset.file:
            continue
        with (BUNDLE / f"{asset.file}.csv").open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        kept: dict[date, float] = {}
        for row in rows:  # independently: the row's text, the same parser, the same gate
            value = parse_number(row.get(asset.column))
            if value is not None and level_ok(asset, value):
                kept[date.fromisoformat(row["date"][:10])] = value
        for day, value in kept.items():
            got = slices.closes(asset, day, 1)
            assert got == [(day, value)], (asset.id, day)
            checked += 1
    assert checked > 40_000


@pytest.mark.parametrize(
    "day",
    [
        date(2018, 3, 1),
        date(2020, 4, 21),
        date(2022, 6, 14),
        date(2025, 11, 20),
        date(2026, 1, 30),
        date(2026, 4, 18),
        date(2026, 5, 2),
    ],
)
def test_first_numbers_equal_the_full_quotes(day: date, history: History) -> None:
    source = ReplaySource(history)
    quick, full = source.numbers(day), source.snapshot(day)
    assert quick.partial and not full.partial
    fields = ("price", "change", "change_pct", "as_of", "stale", "stale_reason", "detail")
    for pane in ("indices", "crypto", "macro"):
        for q, f in zip(getattr(quick, pane).quotes, getattr(full, pane).quotes, strict=True):
            assert q.id == f.id
            for name in fields:
                a, b = getattr(q, name), getattr(f, name)
                if isinstance(a, float) and isinstance(b, float):
                    assert a == pytest.approx(b, rel=1e-12), (day, q.id, name)
                else:
                    assert a == b, (day, q.id, name)
    # The count is the same; the sizing in σ needs the history and comes with the full snapshot.
    b, f = quick.breadth, full.breadth
    assert (b.risk_assets, b.down, b.up) == (f.risk_assets, f.down, f.up)
    assert b.label == "pending" and b.sentence().endswith("sizing the moves…")


def test_every_catalogued_pane_asset_has_first_numbers_across_a_week(history: History) -> None:
    source = ReplaySource(history)
    for k in range(7):
        day = date(2025, 11, 17) + timedelta(days=k)
        snap = source.numbers(day)
        shown = {q.id for p in (snap.indices, snap.crypto, snap.macro) for q in p.quotes}
        assert set(PANE_ASSETS["indices"]) <= shown
