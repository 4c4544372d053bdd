"""The drill-down's Fed-odds channel on days the bundled futures cover (2018-01 to 2023-09): the
change comes from riskpulse's computation on the futures closes, one source at both ends."""

from __future__ import annotations

from datetime import date

from tui.explain.engine import window_for
from tui.explain.fedodds import fed_odds_change
from tui.explain.move import Horizon
from tui.explain_inputs import FUTURES, replay_inputs
from tui.history import History
from tui.sources.replay import futures_on


def test_june_2022_hike_odds_move_from_the_futures(history: History) -> None:
    window = window_for(history, "sp500", date(2022, 6, 14), Horizon.D1)
    inputs = replay_inputs(window)
    assert FUTURES in inputs.fed_sources
    change = fed_odds_change(inputs.fed_odds, window.start, window.day, inputs.fed_sources)
    assert change is not None and change.source == FUTURES
    assert change.meeting == date(2022, 6, 15)
    before = {r.meeting: r for r in futures_on(date(2022, 6, 13))}[change.meeting]
    after = {r.meeting: r for r in futures_on(date(2022, 6, 14))}[change.meeting]
    assert change.then == before.probabilities[change.move_bp]
    assert change.now == after.probabilities[change.move_bp]
    # The 75 bp hike went from an outside chance to the likely outcome in one session.
    assert before.probabilities.get(75, 0.0) < 0.10 < 0.65 < after.probabilities[75]


def test_no_futures_reading_crosses_a_decision(history: History) -> None:
    """Readings from before the window's last decision count moves from another range: left out."""
    window = window_for(history, "sp500", date(2022, 5, 10), Horizon.M1)
    inputs = replay_inputs(window)
    days = [w.as_of.date() for w in inputs.fed_odds if w.source == FUTURES and w.as_of]
    assert days and min(days) >= date(2022, 5, 4)
