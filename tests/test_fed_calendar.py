"""The bundled FOMC calendar on days around decisions, against the CSV read independently."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import csv_rows
from tui import bundled
from tui.sources.replay import fedwatch_on


def test_every_decision_of_the_file_is_in_the_calendar() -> None:
    rows = csv_rows("fomc_meetings_2018_2027")
    days = tuple(date.fromisoformat(r["decision_day"]) for r in rows)
    assert bundled.fomc_decision_days() == days
    assert days[0] == date(2018, 1, 31)
    assert bundled.fomc_calendar().ends == date(2027, 12, 8)


@pytest.mark.parametrize(
    ("day", "upcoming", "last"),
    [
        # The day before the 75 bp hike, the day of it (announced at 2 p.m.: known at the close)
        # and the day after.
        (
            date(2022, 6, 14),
            (date(2022, 6, 15), date(2022, 7, 27), date(2022, 9, 21)),
            "last: +50 bp on 2022-05-04 → 0.75–1.00",
        ),
        (
            date(2022, 6, 15),
            (date(2022, 7, 27), date(2022, 9, 21), date(2022, 11, 2)),
            "last: +75 bp on 2022-06-15 → 1.50–1.75",
        ),
        (
            date(2022, 6, 16),
            (date(2022, 7, 27), date(2022, 9, 21), date(2022, 11, 2)),
            "last: +75 bp on 2022-06-15 → 1.50–1.75",
        ),
        (
            date(2019, 6, 3),
            (date(2019, 6, 19), date(2019, 7, 31), date(2019, 9, 18)),
            "last: hold on 2019-05-01 → 2.25–2.50",
        ),
        # Unscheduled cuts are not known in advance; the scheduled 2020-03-18 meeting they
        # replaced (PROVENANCE-fed.md) is listed until the Sunday 2020-03-15 cut.
        (
            date(2020, 3, 2),
            (date(2020, 3, 18), date(2020, 4, 29), date(2020, 6, 10)),
            "last: hold on 2020-01-29 → 1.50–1.75",
        ),
        (
            date(2020, 3, 3),
            (date(2020, 3, 18), date(2020, 4, 29), date(2020, 6, 10)),
            "last: -50 bp on 2020-03-03 (unscheduled) → 1.00–1.25",
        ),
        (
            date(2020, 3, 16),
            (date(2020, 4, 29), date(2020, 6, 10), date(2020, 7, 29)),
            "last: -100 bp on 2020-03-15 (unscheduled) → 0.00–0.25",
        ),
        (
            date(2025, 11, 20),
            (date(2025, 12, 10), date(2026, 1, 28), date(2026, 3, 18)),
            "last: -25 bp on 2025-10-29 → 3.75–4.00",
        ),
        # Past the end of fed_target.csv the decisions are not in the data: said, not guessed.
        (
            date(2026, 9, 18),
            (date(2026, 10, 28), date(2026, 12, 9), date(2027, 1, 27)),
            "last: 2026-09-16, decision not in the bundled data",
        ),
    ],
)
def test_next_meetings_and_last_decision(day: date, upcoming: tuple[date, ...], last: str) -> None:
    calendar = bundled.fomc_calendar()
    assert calendar.next_after(day, 3) == upcoming
    assert calendar.last_text(day) == last


def test_ranges_follow_the_file() -> None:
    rows = {r["decision_day"]: r for r in csv_rows("fomc_meetings_2018_2027")}
    calendar = bundled.fomc_calendar()
    after = rows["2022-06-15"]
    assert calendar.range_on(date(2022, 6, 15)) == (
        float(after["lower_after"]),
        float(after["upper_after"]),
    )
    first = rows["2018-01-31"]
    assert calendar.range_on(date(2018, 1, 2)) == (
        float(first["lower_before"]),
        float(first["upper_before"]),
    )
    assert calendar.shift_steps(date(2022, 6, 10), date(2022, 6, 14)) == 0
    assert calendar.shift_steps(date(2022, 6, 14), date(2022, 6, 16)) == 3
    assert calendar.range_on(date(2026, 9, 18)) is None


def test_the_pane_says_where_the_calendar_ends() -> None:
    upcoming, ran_out = bundled.next_meetings(date(2027, 11, 1))
    assert upcoming == (date(2027, 12, 8),) and ran_out
    fed = fedwatch_on(date(2027, 11, 1))
    assert fed.calendar_ends == date(2027, 12, 8)
    assert any(
        "FOMC calendar ends 2027-12-08: later meetings are not shown" in n for n in fed.notes
    )
    assert fed.error is not None and "no Fed-decision odds recorded" in fed.error
