"""History loading, the trading calendar and asset look-up."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import csv_rows
from tui.assets import resolve
from tui.history import History


def test_empty_values_are_missing_days_not_zeros(history: History) -> None:
    rows = csv_rows("hy_spread")
    blank = [r["date"] for r in rows if not r["value"].strip()]
    assert blank, "the bundle has FRED blanks"
    series = history.series("hy_spread")
    assert all(date.fromisoformat(d) not in series.dates for d in blank)
    assert 0.0 not in series.values


def test_step_walks_trading_days(history: History) -> None:
    assert history.step(date(2025, 11, 20), 1) == date(2025, 11, 21)
    assert history.step(date(2025, 11, 21), 1) == date(2025, 11, 24)
    assert history.step(date(2025, 11, 24), -1) == date(2025, 11, 21)
    assert history.step(date(2025, 11, 22), -1) == date(2025, 11, 21)  # from a Saturday
    assert history.step(date(2025, 11, 22), 1) == date(2025, 11, 24)
    first, _ = history.span()
    assert history.step(first, -1) == first


@pytest.mark.parametrize(
    ("name", "asset_id"),
    [
        ("btc", "btc"),
        ("BTC", "btc"),
        ("BTC-USD", "btc"),
        ("bitcoin", "btc"),
        ("nasdaq100", "nasdaq100"),
        ("NDX", "nasdaq100"),
        ("^NDX", "nasdaq100"),
        ("gold", "gold"),
        ("GC=F", "gold"),
        ("hang_seng", "hang_seng"),
        ("^hsi", "hang_seng"),
    ],
)
def test_resolve_aliases(name: str, asset_id: str) -> None:
    asset = resolve(name)
    assert asset is not None and asset.id == asset_id


def test_resolve_unknown() -> None:
    assert resolve("dogecoin") is None


def test_r_replays_the_latest_day_most_markets_printed(history: History) -> None:
    """`r` goes to the median of the equity indices' last closes, not to the one file that runs
    longest (a day where most rows would be stale)."""
    from tests.conftest import csv_rows
    from tui.assets import BY_ID, RISK_ASSETS

    ends = sorted(
        max(r["date"][:10] for r in csv_rows(a)) for a in RISK_ASSETS if not BY_ID[a].weekends
    )
    assert history.latest_full_day().isoformat() == ends[len(ends) // 2]
    assert history.latest_full_day() < history.span()[1]
