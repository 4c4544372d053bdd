"""The call stated right, on recorded responses altered in one field: complement, split, ≈ and
prediction-market outcomes read by label."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui import bundled
from tui.fed_odds import CallState, OddsMethod, OddsReading, OddsSource, call
from tui.fed_text import call_text
from tui.panes.fed import compose_fed
from tui.sources import prediction_markets
from tui.sources.replay import fed_readings, fedwatch_on

FIXTURES = Path(__file__).parent / "fixtures"
OCTOBER_2026 = date(2026, 10, 28)
RECORDED_ON = date(2026, 10, 6)
"""The Polymarket event was captured on 2026-10-06 (PROVENANCE-macro.md)."""


def recorded(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_no_listed_before_yes_keeps_80_5_percent() -> None:
    payload = recorded("polymarket_gamma_event_fed_decision_october_2026.json")
    altered = copy.deepcopy(payload)
    hold = next(m for m in altered[0]["markets"] if m["groupItemTitle"] == "No change")
    # The same market listing "No" first: labels and prices in the other order.
    hold["outcomes"] = json.dumps(list(reversed(json.loads(hold["outcomes"]))))
    hold["outcomePrices"] = json.dumps(list(reversed(json.loads(hold["outcomePrices"]))))
    for doc in (payload, altered):
        (market,) = prediction_markets.parse_polymarket_events(doc)
        assert market.probabilities[0] == pytest.approx(0.805)


def test_a_market_without_a_yes_label_is_not_read() -> None:
    payload = recorded("polymarket_gamma_event_fed_decision_october_2026.json")
    hold = next(m for m in payload[0]["markets"] if m["groupItemTitle"] == "No change")
    hold["outcomes"] = json.dumps(["Up", "Down"])
    (market,) = prediction_markets.parse_polymarket_events(payload)
    assert 0 not in market.probabilities


def _kalshi(payload: Any) -> list[OddsReading]:
    markets = prediction_markets.parse_kalshi_events(payload)
    return [m.reading(RECORDED_ON) for m in markets]


def test_a_complete_market_is_called() -> None:
    readings = _kalshi(recorded("kalshi_events_kxfeddecision_open_nested.json"))
    fed = compose_fed(RECORDED_ON, bundled.fomc_calendar(), readings)
    october = fed.meetings[0]
    assert october.date == OCTOBER_2026 and october.source is OddsSource.KALSHI
    assert october.call == 0 and october.call_state is CallState.CALLED  # hold 79.5%


def test_a_market_missing_an_outcome_is_not_called() -> None:
    payload = recorded("kalshi_events_kxfeddecision_open_nested.json")
    hike = next(m for m in payload["events"][0]["markets"] if m["ticker"].endswith("-H25"))
    hike["yes_bid_dollars"] = None  # one outcome unreadable: the rest no longer sums to one
    october = compose_fed(RECORDED_ON, bundled.fomc_calendar(), _kalshi(payload)).meetings[0]
    assert 25 not in october.probabilities
    assert october.call is None and october.call_state is CallState.INCOMPLETE
    assert call_text(october) == "—"


def test_one_recorded_outcome_gives_its_complement_marked_derived() -> None:
    december = fedwatch_on(date(2025, 11, 20)).meetings[0]
    assert december.probabilities == {-25: pytest.approx(0.391)}
    assert december.derived == {0: pytest.approx(0.609)}
    assert december.call == 0 and call_text(december) == "hold*"


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        (0.391, (0, CallState.CALLED)),
        (0.48, (None, CallState.SPLIT)),
        (0.71, (-25, CallState.CALLED)),
    ],
)
def test_split_when_no_outcome_leads_by_ten_points(
    cut: float, expected: tuple[int | None, CallState]
) -> None:
    readings = [r for r in fed_readings(date(2025, 11, 20)) if r.day == date(2025, 11, 20)]
    main = next(r for r in readings if r.method is OddsMethod.PUBLISHED and not r.approximate)
    altered = replace(main, probabilities={-25: cut})  # the published figure, altered
    december = compose_fed(date(2025, 11, 20), bundled.fomc_calendar(), [altered]).meetings[0]
    assert (december.call, december.call_state) == expected


def test_an_approximate_day_is_marked_and_never_preferred() -> None:
    day = date(2025, 11, 20)
    readings = [r for r in fed_readings(day) if r.method is OddsMethod.PUBLISHED and r.day == day]
    approximate = [r for r in readings if r.approximate]
    exact = [r for r in readings if not r.approximate]
    assert approximate and exact  # Fortune's 32% (≈) and Stocktwits' 39.1% on the same day
    december = compose_fed(day, bundled.fomc_calendar(), approximate + exact).meetings[0]
    assert not december.approximate and december.probabilities[-25] == pytest.approx(0.391)
    # The same reading with its date quality altered: alone it shows, marked, with no changes.
    only = compose_fed(day, bundled.fomc_calendar(), approximate).meetings[0]
    assert only.approximate and call_text(only).startswith("≈")
    assert not only.change_1d_pp and not only.change_1w_pp


def test_the_largest_recorded_outcome_is_not_a_call() -> None:
    assert call({-25: 0.391}, complete=False) == (None, CallState.INCOMPLETE)
