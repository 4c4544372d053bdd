"""A replayed day's first numbers come from the lines around the day (tui.dayslice): every value
is the CSV's own text through the same parser and gate, and the quotes equal the full ones."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

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


@pytest.mark.parametrize(
    "text",
    [
        "date,close\n2024-01-02,10\n2024-01-03,11\n2024-01-05,12\n",
        "date,close\r\n2024-01-02,10\r\n2024-01-03,11\r\n2024-01-05,12",  # CRLF, no final end
        "\ufeffdate,close\n2024-01-02,10\n\n2024-01-03,11\n  \n2024-01-05,12\n\n",  # blank lines
        "date,close\n2024-01-02,10\n2024-01-03,9\n2024-01-03,11\n2024-01-05,12\n",  # day twice
    ],
)
def test_lookups_by_byte_offset_survive_the_file_shapes(tmp_path: Path, text: str) -> None:
    (tmp_path / "x.csv").write_bytes(text.encode("utf-8"))
    asset = replace(ASSETS[0], file="x", column="close")
    slices = DaySlices(tmp_path)
    assert slices.closes(asset, date(2024, 1, 4)) == [
        (date(2024, 1, 2), 10.0),
        (date(2024, 1, 3), 11.0),
    ]
    assert slices.closes(asset, date(2024, 1, 5), 1) == [(date(2024, 1, 5), 12.0)]
    assert slices.closes(asset, date(2024, 1, 1)) == []
    assert slices.closes(asset, date(2030, 1, 1), 3)[-1] == (date(2024, 1, 5), 12.0)
    assert slices.first_day(asset) == date(2024, 1, 2)
    assert slices.last_day(asset) == date(2024, 1, 5)


def test_a_file_with_only_its_header_has_no_days(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"date,close\n")
    asset = replace(ASSETS[0], file="x", column="close")
    slices = DaySlices(tmp_path)
    assert slices.closes(asset, date(2024, 1, 4)) == []
    assert slices.first_day(asset) is None and slices.last_day(asset) is None


def test_a_sessions_open_high_and_low_are_the_csv_text_of_its_row() -> None:
    """`DaySlices.rows` (the shape of the day reads only its sessions' rows): for every bundled
    file with an open, high and low, each day's three values equal its row's text, parsed."""
    slices = DaySlices()
    columns = ("open", "high", "low")
    checked = 0
    for path in sorted(BUNDLE.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        if not rows or not all(c in rows[0] for c in columns):
            continue
        want = {
            date.fromisoformat(r["date"][:10]): tuple(parse_number(r[c]) for c in columns)
            for r in rows
        }
        days = sorted(want)
        got = slices.rows(path.stem, columns, days[0], days[-1])
        assert got == want, path.stem
        # A window: exactly its days, both ends included.
        lo, hi = days[len(days) // 2 - 30], days[len(days) // 2]
        window = slices.rows(path.stem, columns, lo, hi)
        assert sorted(window) == [d for d in days if lo <= d <= hi], path.stem
        checked += len(got)
    assert checked > 20_000
    assert slices.rows("no_such_file", columns, days[0], days[-1]) == {}
    btc = slices.rows("btc", ("open", "no_such_column"), date(2025, 11, 20), date(2025, 11, 20))
    assert list(btc) == [date(2025, 11, 20)]
    opened, none = btc[date(2025, 11, 20)]
    assert opened is not None and none is None
