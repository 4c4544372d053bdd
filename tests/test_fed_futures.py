"""Replay odds by the CME method on the bundled futures closes, against a separate computation.

The reference below reads the CSVs itself and does the arithmetic of FEDWATCH_METHOD.md §3 for
the next meeting only: no code under test is called for it.
"""

from __future__ import annotations

import calendar
import json
import math
from datetime import date
from typing import Any

import pytest

from tests.conftest import csv_rows
from tui.cli import main
from tui.fed_odds import CallState, OddsMethod, OddsSource
from tui.sources.replay import fed_odds_change, fedwatch_on


def _closes(day: date) -> dict[str, float]:
    return {
        r["contract_month"]: float(r["close"])
        for r in csv_rows("zq_daily_2017_2023")
        if r["date"] == day.isoformat()
    }


def _effr(day: date) -> float:
    return float([r for r in csv_rows("effr") if r["date"] <= day.isoformat()][-1]["value"])


def reference(day: date, meeting: date, start: str) -> dict[int, float]:
    """The next meeting's split: start from EFFR (`effr`) or the previous month (`anchor`);
    end from the meeting month itself, or from the next month when the decision is in the
    month's last week."""
    closes = _closes(day)
    month = f"{meeting.year}-{meeting.month:02d}"
    n_days = calendar.monthrange(meeting.year, meeting.month)[1]
    before = meeting.day - 1
    if start == "effr":
        r_start = _effr(day)
    else:
        r_start = 100 - closes[f"{meeting.year}-{meeting.month - 1:02d}"]  # not January here
    if n_days - before > 7:
        r_end = (n_days * (100 - closes[month]) - before * r_start) / (n_days - before)
    else:
        nxt = f"{meeting.year}-{meeting.month + 1:02d}"
        r_end = 100 - closes[nxt]
    steps = (r_end - r_start) / 0.25
    k = math.floor(steps)
    p = steps - k
    return {k * 25: 1 - p, (k + 1) * 25: p}


@pytest.mark.parametrize(
    ("day", "meeting", "start"),
    [
        # May had a meeting: the June start is the EFFR printed by then.
        (date(2019, 6, 3), date(2019, 6, 19), "effr"),
        # August has none: it anchors September's start.
        (date(2019, 8, 15), date(2019, 9, 18), "anchor"),
        # A decision on the 31st: July's end is August's average.
        (date(2019, 7, 15), date(2019, 7, 31), "effr"),
        (date(2022, 6, 14), date(2022, 6, 15), "effr"),
    ],
)
def test_next_meeting_matches_the_separate_computation(
    day: date, meeting: date, start: str
) -> None:
    fed = fedwatch_on(day)
    first = fed.meetings[0]
    assert first.date == meeting
    assert first.source is OddsSource.FUTURES_BUNDLED and first.method is OddsMethod.FUTURES
    assert first.as_of == day and not first.approximate
    expected = {k: v for k, v in reference(day, meeting, start).items() if v >= 5e-4}
    assert first.probabilities == pytest.approx(expected, abs=1e-9)
    assert fed.source is not None and "riskpulse's computation" in fed.source
    assert "CME FedWatch" not in fed.source


def test_2019_06_03_lists_the_three_meetings_with_futures_odds() -> None:
    fed = fedwatch_on(date(2019, 6, 3))
    assert [m.date for m in fed.meetings] == [
        date(2019, 6, 19),
        date(2019, 7, 31),
        date(2019, 9, 18),
    ]
    assert all(m.probabilities and m.source is OddsSource.FUTURES_BUNDLED for m in fed.meetings)
    assert all(sum(m.probabilities.values()) == pytest.approx(1, abs=2e-3) for m in fed.meetings)


def test_changes_come_from_the_same_source_a_trading_day_a_week_and_a_month_back() -> None:
    now = fedwatch_on(date(2022, 6, 14)).meetings[0]
    day_before = fedwatch_on(date(2022, 6, 13)).meetings[0]
    assert now.change_1d_pp[75] == pytest.approx(
        (now.probabilities[75] - day_before.probabilities.get(75, 0.0)) * 100, abs=0.01
    )
    week = fedwatch_on(date(2022, 6, 7)).meetings[0]
    assert now.change_1w_pp[75] == pytest.approx(
        (now.probabilities[75] - week.probabilities.get(75, 0.0)) * 100, abs=0.01
    )


def test_a_weekend_shows_the_last_close_dated() -> None:
    saturday = fedwatch_on(date(2022, 6, 11)).meetings[0]
    assert saturday.as_of == date(2022, 6, 10)
    assert saturday.probabilities == fedwatch_on(date(2022, 6, 10)).meetings[0].probabilities


def test_no_reading_says_so_in_one_line() -> None:
    fed = fedwatch_on(date(2024, 3, 1))
    assert fed.source is None and all(not m.probabilities for m in fed.meetings)
    assert fed.error is not None and "\n" not in fed.error
    assert "2023-09-15" in fed.error  # where the bundled futures end


def test_the_75bp_hike_of_june_2022_in_the_drill_down() -> None:
    change = fed_odds_change(date(2022, 6, 10), date(2022, 6, 14))
    assert change is not None
    assert change.meeting == date(2022, 6, 15) and change.move_bp == 75
    assert (change.start, change.end) == (date(2022, 6, 10), date(2022, 6, 14))
    assert change.before < 0.10 and change.after == pytest.approx(0.70, abs=0.05)
    assert change.source is OddsSource.FUTURES_BUNDLED
    assert "from 2022-06-10 to 2022-06-14" in change.sentence()


def test_split_when_no_outcome_leads_clearly() -> None:
    september = fedwatch_on(date(2019, 6, 3)).meetings[2]
    top = sorted(september.probabilities.values(), reverse=True)
    assert top[0] - top[1] < 0.10
    assert september.call is None and september.call_state is CallState.SPLIT


def test_no_move_below_the_zero_lower_bound() -> None:
    fed = fedwatch_on(date(2020, 3, 16))  # range 0.00–0.25 after the Sunday cut
    assert all(min(m.probabilities) >= 0 for m in fed.meetings)
    assert all(sum(m.probabilities.values()) == pytest.approx(1, abs=2e-3) for m in fed.meetings)


def test_changes_across_a_decision_compare_the_same_target_range() -> None:
    """On 2022-06-15 (the 75 bp hike) July's "+75 from today" is "+150" of the day before."""
    before = fedwatch_on(date(2022, 6, 14)).meetings[1]
    after = fedwatch_on(date(2022, 6, 15)).meetings[0]
    assert before.date == after.date == date(2022, 7, 27)
    assert after.change_1d_pp[75] == pytest.approx(
        (after.probabilities[75] - before.probabilities.get(150, 0.0)) * 100, abs=0.01
    )


def _strict(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_snapshot_json_of_2019_06_03_and_2025_11_20(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["snapshot", "--replay", "2019-06-03", "--format", "json"]) == 0
    fed = _strict(capsys.readouterr().out)["panes"]["fedwatch"]
    assert [m["date"] for m in fed["meetings"]] == ["2019-06-19", "2019-07-31", "2019-09-18"]
    assert all(m["source"] == "futures_bundled" and m["probabilities"] for m in fed["meetings"])
    assert fed["last_decision"] == "last: hold on 2019-05-01 → 2.25–2.50"
    assert fed["calendar_ends"] == "2027-12-08"
    assert main(["snapshot", "--replay", "2025-11-20", "--format", "json"]) == 0
    december = _strict(capsys.readouterr().out)["panes"]["fedwatch"]["meetings"][0]
    assert december["date"] == "2025-12-10"
    assert december["call"] == 0 and december["call_state"] == "called"  # not a cut
    assert december["derived"] == {"0": 0.609}
    assert {m["source"] for m in december["markets"]} == {"kalshi", "polymarket"}
    assert december["implied_rate"] is None  # missing is null, never 0
