"""Shape, sequence, channel statuses and analog rules recomputed from the CSVs (EXPLAIN_METHOD
§7–§10), independently of the engine, on real days."""

from __future__ import annotations

import math
from datetime import date
from statistics import median

import numpy as np
import pytest

from tests.conftest import csv_rows
from tui.breadth import GROUPS
from tui.explain.analogs import VECTOR
from tui.explain.engine import Explanation
from tui.explain_inputs import explain_replay
from tui.history import History

COLUMN = {"nvda": "adj_close"}
VALUE_FILES = {"ust10y", "ust2y", "hy_spread"}


def series(name: str) -> list[tuple[str, float]]:
    col = "value" if name in VALUE_FILES else COLUMN.get(name, "close")
    return [(r["date"][:10], float(r[col])) for r in csv_rows(name) if r[col].strip()]


def ewma_z(name: str, day: str) -> float | None:
    """The day's move over the EWMA σ of the moves before it (λ 0.94, seeded on 60)."""
    rows = series(name)
    dates = [d for d, _ in rows]
    if day not in dates:
        return None
    k = dates.index(day)
    rets = [(rows[i][1] / rows[i - 1][1] - 1) * 100 for i in range(1, k)]
    var = float(np.mean(np.square(rets[:60])))
    for r in rets[60:]:
        var = 0.94 * var + 0.06 * r * r
    return (rows[k][1] / rows[k - 1][1] - 1) * 100 / math.sqrt(var)


# -- §7 shape ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asset", "day", "reversal", "closed_at"),
    [
        ("nasdaq100", "2025-11-20", "down", "low"),
        ("gold", "2026-01-30", "down", "low"),
        ("sp500", "2025-11-19", None, None),
    ],
)
def test_shape_recomputed(
    history: History, asset: str, day: str, reversal: str | None, closed_at: str | None
) -> None:
    rows = [r for r in csv_rows(asset) if r["close"].strip()]
    dates = [r["date"][:10] for r in rows]
    k = dates.index(day)
    prev = float(rows[k - 1]["close"])
    o, h, lo, c = (float(rows[k][f]) for f in ("open", "high", "low", "close"))
    tau = median(
        (float(rows[i]["high"]) - float(rows[i]["low"])) / float(rows[i - 1]["close"]) * 100
        for i in range(k - 60, k)
    )
    where = (c - lo) / (h - lo)
    expect_rev = (
        "down" if (h / prev - 1) * 100 >= 0.5 * tau and c < prev and where <= 0.25 else None
    )
    expect_at = "low" if where <= 0.10 else "high" if where >= 0.90 else None
    assert (expect_rev, expect_at) == (reversal, closed_at)
    exp = explain_replay(history, asset, date.fromisoformat(day))
    s = exp.shape
    assert s is not None
    assert s.open_pct == pytest.approx((o / prev - 1) * 100)
    assert s.high_pct == pytest.approx((h / prev - 1) * 100)
    assert s.range_pct == pytest.approx((h - lo) / prev * 100)
    assert s.typical_range_pct == pytest.approx(tau)
    assert (s.reversal, s.closed_at) == (reversal, closed_at)


# -- §8 sequence ---------------------------------------------------------------------------


def test_sequence_on_2025_11_20_started_in_new_york(history: History) -> None:
    day = "2025-11-20"
    by_region: dict[str, list[float]] = {}
    for asset, group in GROUPS.items():
        z = ewma_z(asset, day)
        if z is not None:
            by_region.setdefault(group, []).append(z)
    expected = {g: median(v) for g, v in by_region.items()}
    exp = explain_replay(history, "nasdaq100", date(2025, 11, 20))
    assert exp.sequence is not None
    got = {r.region: r.median_z for r in exp.sequence.regions}
    for region, value in expected.items():
        assert got[region] == pytest.approx(value, rel=1e-9)
    first = next(r for r in ("asia", "europe", "us", "crypto") if expected[r] <= -1)
    assert exp.sequence.started == first == "us"


def test_sequence_of_an_asian_day_starts_with_the_new_york_session_before(
    history: History,
) -> None:
    exp = explain_replay(history, "hang_seng", date(2025, 11, 21))
    assert exp.sequence is not None
    first = exp.sequence.regions[0]
    assert first.region == "us_prev" and first.day == date(2025, 11, 20)
    us = [ewma_z(a, "2025-11-20") for a, g in GROUPS.items() if g == "us"]
    assert first.median_z == pytest.approx(median(z for z in us if z is not None))


def test_nvidia_is_the_tracked_name_and_its_z_is_recomputed(history: History) -> None:
    exp = explain_replay(history, "nasdaq100", date(2025, 11, 20))
    (lead,) = exp.leaders
    assert lead.id == "nvda"
    assert lead.z == pytest.approx(ewma_z("nvda", "2025-11-20"))
    assert lead.led is (abs(lead.z) >= 1.5)


# -- §9 channel statuses -------------------------------------------------------------------


def ewma_move_z(name: str, day: str, bp: bool) -> float:
    """The day's move over the EWMA σ of the moves before it, in bp for yields: the pane's σ,
    which a channel's reading of an asset's move now shows (one asset, one σ)."""
    rows = series(name)
    dates = [d for d, _ in rows]
    k = dates.index(day)

    def move(i: int) -> float:
        a, b = rows[i - 1][1], rows[i][1]
        return (b - a) * 100 if bp else (b / a - 1) * 100

    rets = [move(i) for i in range(1, k)]
    var = float(np.mean(np.square(rets[:60])))
    for r in rets[60:]:
        var = 0.94 * var + 0.06 * r * r
    return move(k) / math.sqrt(var)


def item_z(exp: Explanation, item_id: str) -> float | None:
    return next(i.z for c in exp.channels for i in c.items if i.id == item_id)


def status(exp: Explanation, cid: str) -> str:
    return next(c.status for c in exp.channels if c.id == cid)


def test_channel_statuses_on_2025_11_20(history: History) -> None:
    exp = explain_replay(history, "nasdaq100", date(2025, 11, 20))
    z2, z10 = (ewma_move_z(a, "2025-11-20", True) for a in ("ust2y", "ust10y"))
    assert item_z(exp, "ust2y") == pytest.approx(z2) and item_z(exp, "ust10y") == pytest.approx(z10)
    assert (
        status(exp, "rates") == ("moved" if max(abs(z2), abs(z10)) >= 1.5 else "quiet") == "quiet"
    )
    dollar = ewma_move_z("dxy", "2025-11-20", False)
    assert item_z(exp, "dxy") == pytest.approx(dollar)
    assert status(exp, "dollar") == ("moved" if abs(dollar) >= 1.5 else "quiet")
    # Fed odds: the published CME readings for December, a month apart.
    points = {
        (r["date"], r["probability"])
        for r in csv_rows("fedwatch_points")
        if r["meeting"] == "2025-12-10" and r["date_quality"].startswith("exact")
    }
    assert ("2025-11-20", "39.1") in points
    change = 39.1 - 98.9
    assert abs(change) >= 20 and status(exp, "fed_odds") == "moved"
    assert exp.fed.month is not None and exp.fed.month.change_pp == pytest.approx(change)
    # Stock fear & greed 5: its extreme decile (≤ 10).
    fg = next(r for r in csv_rows("stock_fear_greed") if r["date"][:10] == "2025-11-20")
    assert float(fg["value"]) <= 10 and status(exp, "stock_sentiment") == "moved"
    # Liquidations are not bundled: no data, said so.
    btc = explain_replay(history, "btc", date(2025, 11, 20))
    lev = next(c for c in btc.channels if c.id == "crypto_leverage")
    liq = next(i for i in lev.items if i.id == "liquidations")
    assert liq.value is None and "no liquidation data" in liq.text


def test_etf_flow_z_recomputed(history: History) -> None:
    rows = [
        (r["date"][:10], float(r["total_usd_m"]))
        for r in csv_rows("btc_etf_flows")
        if r["total_usd_m"].strip()
    ]
    k = [d for d, _ in rows].index("2025-11-20")
    past = np.array([v for d, v in rows[:k] if d >= "2024-11-20"][-252:])
    z = (rows[k][1] - past.mean()) / past.std()
    exp = explain_replay(history, "btc", date(2025, 11, 20))
    flows = next(c for c in exp.channels if c.id == "flows")
    assert flows.items[0].z == pytest.approx(z) and flows.status == (
        "moved" if abs(z) >= 1.5 else "quiet"
    )


# -- §10 analogs ---------------------------------------------------------------------------

CASES = [
    ("nasdaq100", "2025-11-20"),
    ("sp500", "2020-03-12"),
    ("hang_seng", "2025-11-21"),
    ("btc", "2025-11-20"),
    ("dax", "2025-04-07"),
    ("kospi", "2024-12-04"),
    ("gold", "2026-01-30"),
]


def _dated(name: str) -> dict[str, float]:
    return dict(series(name))


@pytest.mark.parametrize(("asset", "day"), CASES)
def test_analog_rules_recomputed(history: History, asset: str, day: str) -> None:
    exp = explain_replay(history, asset, date.fromisoformat(day))
    own = _dated(asset)
    own_dates = sorted(own)
    present = {a: set(_dated(a)) for a in VECTOR}
    region = {a: GROUPS.get(a, "macro") for a in VECTOR}
    for a in (*exp.analogs, *exp.episodes):
        d = a.date.isoformat()
        assert d in own, f"{asset} did not trade on {d}"
        assert abs((a.date - date.fromisoformat(day)).days) > 10 and d < day
        both = [v for v in VECTOR if d in present[v] and day in present[v]]
        assert len(both) >= 10 and len({region[v] for v in both}) >= 3
        k = own_dates.index(d)
        for steps, got in ((5, a.after_5d), (21, a.after_1m)):
            if got is None:
                assert k + steps >= len(own_dates) or own_dates[k + steps] > day
            else:
                then, later = own[d], own[own_dates[k + steps]]
                assert got == pytest.approx((later / then - 1) * 100)


def test_no_market_holiday_is_ever_an_analog(history: History) -> None:
    """Weekdays the asset's own market was shut (in the bundle, others printed) never appear."""
    all_days = set().union(*(set(_dated(a)) for a in VECTOR))
    for asset, day in CASES:
        own = set(_dated(asset))
        holidays = {d for d in all_days if d not in own and date.fromisoformat(d).weekday() < 5}
        exp = explain_replay(history, asset, date.fromisoformat(day))
        picked = {a.date.isoformat() for a in (*exp.analogs, *exp.episodes)}
        assert holidays and not picked & holidays
    # The old engine's closest days for the Nasdaq 100 on 2025-11-20 were Independence Days.
    ndx = explain_replay(history, "nasdaq100", date(2025, 11, 20))
    assert not {a.date for a in ndx.analogs} & {date(2019, 7, 4), date(2024, 7, 4)}
