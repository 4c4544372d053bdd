"""Days whose next FOMC meetings the bundled calendar does not hold: before its first year and
after its last meeting. Every consumer says so instead of skipping to meetings it does hold."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import csv_rows
from tui import bundled
from tui.alerts.backtest import backtest
from tui.alerts.rules import parse_rule
from tui.cli import main
from tui.explain.move import Horizon
from tui.explain_inputs import explain_replay
from tui.history import History
from tui.panes.fed import compose_fed
from tui.recap import recap_text, replay_recap
from tui.sources.replay import ReplaySource, fedwatch_on, futures_on

BEFORE = "FOMC calendar bundled from 2018: meetings before it are not known"
AFTER = "FOMC calendar bundled to 2027: meetings after it are not known"
EARLY = date(2017, 9, 1)
"""A Friday with bundled Bitcoin and fed funds futures closes, three weeks before the
2017-09-20 FOMC meeting that the calendar (2018–2027) does not hold."""


def _calendar_rows() -> list[dict[str, str]]:
    return csv_rows("fomc_meetings_2018_2027")


def test_a_2017_day_lists_no_2018_meeting_and_says_why() -> None:
    days = [r["decision_day"] for r in _calendar_rows()]
    assert days[0] == "2018-01-31" and days[-1] == "2027-12-08"
    assert any(r["date"] == EARLY.isoformat() for r in csv_rows("zq_daily_2017_2023"))
    fed = fedwatch_on(EARLY)
    assert fed.meetings == ()
    assert fed.error == BEFORE
    assert fed.source is None
    # The futures of that day are not solved for meetings three or more months on.
    assert futures_on(EARLY) == ()


def test_the_first_days_of_2018_list_the_january_meeting() -> None:
    fed = fedwatch_on(date(2018, 1, 2))
    first = date.fromisoformat(_calendar_rows()[0]["decision_day"])
    assert fed.meetings[0].date == first
    assert fed.meetings[0].probabilities  # computed from that day's futures
    assert fed.error is None


def test_calendar_edges_on_range_and_moves() -> None:
    calendar = bundled.fomc_calendar()
    # On 2017-09-01 the range was 1.00–1.25 (the 2017-12-13 hike is not in the file): unknown,
    # never the 2018 range.
    assert calendar.range_on(EARLY) is None
    assert calendar.shift_steps(date(2017, 12, 29), date(2018, 1, 2)) is None
    assert calendar.shift_steps(date(2018, 1, 2), date(2018, 1, 5)) == 0
    assert calendar.next_after(date(2017, 12, 29), 3) == ()
    assert calendar.next_after(date(2017, 12, 31), 1) == (date(2018, 1, 31),)
    assert calendar.unknown_ahead(date(2017, 12, 29)) == BEFORE
    assert calendar.unknown_ahead(date(2027, 12, 8)) == AFTER
    assert calendar.unknown_ahead(date(2027, 12, 7)) is None


def test_after_the_last_meeting_nothing_is_listed_and_the_pane_says_why() -> None:
    last = date.fromisoformat(_calendar_rows()[-1]["decision_day"])
    fed = compose_fed(date(2027, 12, 9), bundled.fomc_calendar(), [])
    assert last == date(2027, 12, 8)
    assert fed.meetings == () and fed.error == AFTER
    assert any("later meetings are not shown" in n for n in fed.notes)


def test_snapshot_json_and_table_on_a_2017_day(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["snapshot", "--replay", EARLY.isoformat(), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    fed = doc["panes"]["fedwatch"]
    assert fed["meetings"] == [] and fed["error"] == BEFORE
    assert main(["snapshot", "--replay", EARLY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert f"! {BEFORE}" in out and "2018-01-31" not in out


def test_explains_fed_odds_channel_names_the_calendar(history: History) -> None:
    exp = explain_replay(history, "btc", date(2017, 12, 5))
    fed = next(c for c in exp.channels if c.id == "fed_odds")
    assert fed.status == "no data" and fed.text == BEFORE
    # A window that starts before 2018 cannot compare odds across the edge either.
    exp = explain_replay(history, "btc", date(2018, 1, 2), Horizon.D1)
    fed = next(c for c in exp.channels if c.id == "fed_odds")
    assert fed.status == "no data" and fed.text == BEFORE


def test_alerts_never_fire_on_meetings_the_day_cannot_know(history: History) -> None:
    rules = [parse_rule("fed next moves 1 pp"), parse_rule("fed 2018-01-31 moves 1 pp")]
    assert backtest(rules, date(2017, 8, 17), date(2017, 12, 31), ReplaySource(history)) == []


def test_the_recap_says_why_there_are_no_odds(history: History) -> None:
    result = replay_recap(history, date(2017, 10, 4))
    assert result.fed == () and result.fed_missing == BEFORE
    assert f"Fed odds:\n  {BEFORE}" in recap_text(result)


def test_new_years_eve_2017_lists_2018_but_no_odds_from_a_close_before_it() -> None:
    # Every meeting after 2017-12-31 falls in the calendar's years; the last futures close
    # (Friday 2017-12-29) could not know whether one fell on the 30th or 31st, so it gives none.
    fed = fedwatch_on(date(2017, 12, 31))
    assert [m.date for m in fed.meetings][:1] == [date(2018, 1, 31)]
    assert all(not m.probabilities for m in fed.meetings)
    assert fed.error == (
        "no Fed-decision odds for 2017-12-31: on the last futures close (2017-12-29) the next "
        f"meetings are not known ({BEFORE})"
    )
