"""The CME FedWatch method reproduces both worked examples of FEDWATCH_METHOD.md."""

from __future__ import annotations

from datetime import date

import pytest

from tui.fedwatch import implied_average, solve, step_split


def test_example_a_september_2015() -> None:
    """FFQ5 99.8675, FFU5 99.805, decision 17 Sep 2015: P(hike) 53.6%."""
    odds = solve({(2015, 8): 99.8675, (2015, 9): 99.805}, [date(2015, 9, 17)])
    sep = odds[0]
    assert sep.r_start == pytest.approx(0.1325)
    assert sep.r_end == pytest.approx(0.266429, abs=1e-6)
    assert sep.steps[1] == pytest.approx(0.5357, abs=1e-4)
    assert sep.steps[0] == pytest.approx(0.4643, abs=1e-4)
    assert sep.probabilities_bp == {
        0: pytest.approx(0.4643, abs=1e-4),
        25: pytest.approx(0.5357, abs=1e-4),
    }


def test_example_b_september_and_november_2022() -> None:
    """Settles of 12 Sep 2022; October has no meeting and anchors both sides."""
    prices = {
        (2022, 9): 97.4475,
        (2022, 10): 96.9400,
        (2022, 11): 96.4300,
        (2022, 12): 96.2350,
        (2023, 1): 96.1150,
        (2023, 2): 96.0200,
    }
    odds = solve(prices, [date(2022, 9, 21), date(2022, 11, 2)])
    sep, nov = odds
    assert implied_average(prices[(2022, 10)]) == pytest.approx(3.06)
    assert sep.r_start == pytest.approx(2.2987, abs=1e-4)
    assert sep.r_end - sep.r_start == pytest.approx(0.7613, abs=1e-4)
    assert sep.steps == {3: pytest.approx(0.955, abs=1e-3), 4: pytest.approx(0.045, abs=1e-3)}
    assert nov.r_start == pytest.approx(3.06)
    assert nov.r_end == pytest.approx(3.5876, abs=1e-4)
    assert nov.steps == {2: pytest.approx(0.890, abs=1e-3), 3: pytest.approx(0.110, abs=1e-3)}
    # The tree: +125 bp by November is Sep +75 and Nov +50.
    assert nov.cumulative[5] == pytest.approx(0.955 * 0.890, abs=2e-3)
    assert sum(nov.cumulative.values()) == pytest.approx(1.0)


def test_cut_split() -> None:
    assert step_split(4.0, 3.85) == {-1: pytest.approx(0.6), 0: pytest.approx(0.4)}
    assert step_split(4.0, 4.0) == {0: 1.0}


def test_stops_when_a_month_has_no_price() -> None:
    assert solve({(2022, 10): 96.94}, [date(2022, 9, 21)]) == []
