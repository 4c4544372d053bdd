"""One breadth definition (EXPLAIN_METHOD §4), pure: counted by hand on small inputs and on a
real day recomputed from the CSVs."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import csv_rows
from tui.breadth import GROUPS, BreadthReading, breadth
from tui.explain.panel import panel_for
from tui.history import History


def r(
    asset: str, z: float | None, change: float | None = None, traded: bool = True
) -> BreadthReading:
    return BreadthReading(asset, traded, z if change is None else change, z)


def test_broad_needs_half_and_two_groups() -> None:
    readings = [r("sp500", -2), r("nasdaq100", -1.5), r("dax", -1.2), r("btc", 0.3)]
    b = breadth(readings)
    assert (b.risk_assets, b.same_direction, b.down, b.up) == (4, 3, 3, 1)
    assert b.scope == "broad" and b.label == "broad risk-off"
    assert b.groups == ("europe", "us")
    assert b.text.startswith("broad risk-off: 3 of 4 fell ≥1σ")


def test_one_group_is_narrow_however_many() -> None:
    b = breadth([r("sp500", -2), r("nasdaq100", -2), r("dow", -2), r("dax", 0.1)])
    assert b.same_direction == 3 and b.scope == "narrow" and b.label == "narrow risk-off"


def test_crypto_only_days_say_so() -> None:
    b = breadth([r("btc", -1.4), r("eth", -2.0), r("sol", 0.2), r("sp500", None, traded=False)])
    assert b.scope == "crypto only" and b.risk_assets == 3
    assert "only crypto traded" in b.text and "broad" not in b.text


def test_exclusion_and_given_direction() -> None:
    readings = [r("sp500", -2), r("nasdaq100", -2.1), r("btc", 1.5), r("eth", 1.2)]
    b = breadth(readings, direction=1, exclude="btc")
    assert b.risk_assets == 3 and b.movers == (("eth", 1.2),)


def test_nothing_traded_and_non_risk_ignored() -> None:
    assert breadth([]).scope == "none"
    assert breadth([r("gold", -3)]).risk_assets == 0


def test_unsized_assets_count_but_never_move() -> None:
    b = breadth([r("sp500", None, change=-1.0), r("dax", -1.0), r("btc", -1.0)])
    assert b.risk_assets == 3 and b.same_direction == 2


def test_header_and_drilldown_agree_on_2025_11_20(history: History) -> None:
    """The day's breadth from the CSVs by hand: 1d changes signed, z from the panel."""
    day = "2025-11-20"
    down = 0
    traded = 0
    for asset in GROUPS:
        rows = [x for x in csv_rows(asset) if x["close"].strip()]
        dates = [x["date"][:10] for x in rows]
        if day not in dates:
            continue
        k = dates.index(day)
        traded += 1
        down += float(rows[k]["close"]) < float(rows[k - 1]["close"])
    from tui.explain.classify import breadth_on

    panel = panel_for(history)
    b = breadth_on(panel.z, panel.returns, date(2025, 11, 20))
    assert (b.risk_assets, b.down) == (traded, down) == (13, 8)
    assert b.text.startswith(f"{b.label}: {b.same_direction} of 13 fell ≥1σ")
    # the drill-down counts the same movers, less the explained asset itself
    own = breadth_on(panel.z, panel.returns, date(2025, 11, 20), direction=-1, exclude="btc")
    assert own.same_direction == b.same_direction - 1 and own.risk_assets == 12


def test_day_z_matches_the_explain_panel(history: History) -> None:
    from tui.breadth import day_z

    panel = panel_for(history)
    for asset in GROUPS:
        series = history.series(asset)
        i = series.index_at(date(2025, 11, 20))
        if series.dates[i] != date(2025, 11, 20):
            continue
        z = day_z(series.values[: i + 1])
        assert z is not None
        assert z == pytest.approx(float(panel.z.at["2025-11-20", asset]))


def test_a_tie_of_movers_is_mixed_with_both_counts() -> None:
    b = breadth([r("sp500", -1.5), r("kospi", -2.0), r("dax", 1.2), r("btc", 1.1)])
    assert b.label == "mixed" and (b.fell, b.rose) == (2, 2)
    assert b.text == "mixed: 2 fell ≥1σ (asia, us), 2 rose ≥1σ (crypto, europe); 2 of 4 down, 2 up"
    assert "risk-off" not in " ".join(b.forms()) and "risk-on" not in " ".join(b.forms())


def test_more_falls_on_a_day_most_markets_rose_is_mixed() -> None:
    readings = [r("kospi", -3.0), r("shanghai", -2.0), r("dax", 1.2)]
    readings += [r(a, 0.5) for a in ("sp500", "dow", "btc")]
    b = breadth(readings)
    assert b.label == "mixed" and (b.fell, b.rose, b.down, b.up) == (2, 1, 2, 4)


def test_2026_02_02_is_mixed_not_risk_off(history: History) -> None:
    """Asia fell hard (Kospi -5.3%, Shanghai -2.5%) while Europe, the US and crypto rose: 4 of
    13 fell ≥1σ, 9 of 13 rose. The header and the snapshot say mixed, with both counts."""
    from tui.explain.classify import breadth_on

    panel = panel_for(history)
    day = date(2026, 2, 2)
    z = panel.z.loc["2026-02-02"]
    fell = sum(1 for a in GROUPS if z[a] <= -1)
    rose = sum(1 for a in GROUPS if z[a] >= 1)
    b = breadth_on(panel.z, panel.returns, day)
    assert (b.risk_assets, b.down, b.up) == (13, 4, 9)
    assert (b.fell, b.rose) == (fell, rose) == (4, 3)
    assert b.label == "mixed" and "risk-off" not in b.text
    assert b.text.startswith("mixed: 4 fell ≥1σ (asia), 3 rose ≥1σ (europe, us); 4 of 13 down")
    for form in b.forms():
        assert form.startswith("mixed") and "4" in form and "3" in form, form
