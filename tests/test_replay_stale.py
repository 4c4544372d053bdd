"""One stale rule for every bundled series: on the first day after its last close on which its
market could have traded, its row shows that last close, dated, and is stale ("bundled data end").
The last closes are read from the CSVs here, independently of the code under test."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from tests.conftest import csv_rows
from tui.assets import BY_ID, PANE_ASSETS
from tui.history import History
from tui.model import Quote
from tui.sources.replay import ReplaySource, fear_greed_on

PANE_ROWS = tuple(a for ids in PANE_ASSETS.values() for a in ids)
CATALOGUE = tuple(a.id for a in BY_ID.values() if a.file or a.id == "sofr_iorb")


def _next_session(last: date, every_day: bool) -> date:
    """The first day after `last` on which a market trading every day (or on weekdays) could
    have traded."""
    day = last + timedelta(days=1)
    while not every_day and day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _values(name: str, column: str) -> list[tuple[date, float]]:
    return [
        (date.fromisoformat(r["date"][:10]), float(r[column]))
        for r in csv_rows(name)
        if r[column].strip()
    ]


def _last_close(row_id: str) -> tuple[date, float]:
    """The row's last bundled close as its pane shows it (its own unit)."""
    if row_id == "sofr_iorb":
        sofr, iorb = dict(_values("sofr", "value")), dict(_values("iorb", "value"))
        day = max(set(sofr) & set(iorb))
        return day, (sofr[day] - iorb[day]) * 100
    if row_id == "btc_funding":
        rows = csv_rows("btc_funding")
        return date.fromisoformat(rows[-1]["time"][:10]), float(rows[-1]["funding_rate"]) * 100
    if row_id == "btc_oi":
        day, value = _values("btc_open_interest", "open_interest")[-1]
        return day, value / 1e9
    asset = BY_ID[row_id]
    assert asset.file is not None
    return _values(asset.file, asset.column)[-1]


@pytest.fixture(scope="module")
def source(history: History) -> ReplaySource:
    return ReplaySource(history)


def _check(quote: Quote | None, last: date, close: float) -> None:
    assert quote is not None
    assert quote.price == pytest.approx(close, rel=1e-12)
    assert quote.as_of == last
    assert quote.stale and quote.stale_reason == f"bundled data end {last.isoformat()}"


@pytest.mark.parametrize("row_id", [*PANE_ROWS, "btc_funding", "btc_oi"])
def test_every_pane_row_after_its_last_close_shows_it_stale(
    source: ReplaySource, row_id: str
) -> None:
    last, close = _last_close(row_id)
    every_day = row_id in ("btc_funding", "btc_oi") or BY_ID[row_id].weekends
    day = _next_session(last, every_day)
    _check(source.snapshot(day).quote(row_id), last, close)
    _check(source.numbers(day).quote(row_id), last, close)  # the first numbers painted agree
    on_last = source.quote(row_id, last)
    assert on_last.price == pytest.approx(close, rel=1e-12) and not on_last.stale


@pytest.mark.parametrize("asset_id", [a for a in CATALOGUE if a not in PANE_ROWS])
def test_every_other_catalogued_series_follows_the_same_rule(
    source: ReplaySource, asset_id: str
) -> None:
    last, close = _last_close(asset_id)
    day = _next_session(last, BY_ID[asset_id].weekends)
    _check(source.quote(asset_id, day), last, close)


@pytest.mark.parametrize(
    ("index_id", "name", "every_day"),
    [("crypto", "crypto_fear_greed", True), ("stock", "stock_fear_greed", False)],
)
def test_fear_and_greed_follow_the_same_rule(index_id: str, name: str, every_day: bool) -> None:
    last, value = _values(name, "value")[-1]
    day = _next_session(last, every_day)
    row = next(f for f in fear_greed_on(day).indices if f.id == index_id)
    assert row.value == value and row.as_of == last
    assert row.stale and row.stale_reason == f"bundled data end {last.isoformat()}"
    on_last = next(f for f in fear_greed_on(last).indices if f.id == index_id)
    assert on_last.value == value and not on_last.stale


def test_a_derivatives_row_before_its_first_print_is_missing_with_the_bundles_start(
    source: ReplaySource,
) -> None:
    first = date.fromisoformat(csv_rows("btc_funding")[0]["time"][:10])
    quote = source.quote("btc_funding", first - timedelta(days=1))
    assert quote.price is None and quote.stale
    assert quote.stale_reason == f"bundled data start {first.isoformat()}"


def test_a_gap_inside_open_interest_goes_stale_after_the_quiet_gap_like_any_close(
    source: ReplaySource,
) -> None:
    points = _values("btc_open_interest", "open_interest")
    before = next(a for (a, _), (b, _) in itertools.pairwise(points) if (b - a).days > 11)
    early = source.quote("btc_oi", before + timedelta(days=1))
    assert early.as_of == before and not early.stale
    late = source.quote("btc_oi", before + timedelta(days=11))
    assert late.as_of == before and late.stale
    assert late.stale_reason == f"no close since {before.isoformat()}"
