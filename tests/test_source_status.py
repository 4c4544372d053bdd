"""The sources' states in words: nothing concluded while some are still being tried, one line
with every reason once all were, the failing ones named while others answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from tui import source_status
from tui.history import History
from tui.model import Mode, Snapshot, SourceHealth
from tui.sources.replay import ReplaySource

NOW = datetime(2026, 10, 6, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def base(history: History) -> Snapshot:
    return ReplaySource(history).snapshot(date(2025, 11, 20))


def failed(sid: str, why: str) -> SourceHealth:
    return SourceHealth(sid, False, None, why)


def waiting(sid: str) -> SourceHealth:
    return SourceHealth(sid, False, None, waiting=True)


def answered(sid: str) -> SourceHealth:
    return SourceHealth(sid, True, NOW)


def test_reasons_are_one_when_they_agree_else_counted_most_frequent_first() -> None:
    same = [failed(s, "connection refused") for s in ("yahoo", "cnn")]
    assert source_status.reasons(same) == "connection refused"
    mixed = [
        failed("yahoo", "server error 503 while getting a crumb"),
        failed("cnn", "server error 503"),
        failed("fred", "server error 503"),
        failed("cme", "refused the request (403)"),
        failed("kalshi", "no complete answer within its 10 s deadline"),
    ]
    assert source_status.reasons(mixed) == (
        "server error 503 ×2, no complete answer within its 10 s deadline ×1, "
        "refused the request (403) ×1, …"
    )


def test_while_sources_are_being_tried_none_is_named_and_nothing_concluded(
    base: Snapshot,
) -> None:
    trying = replace(
        base,
        mode=Mode.OFFLINE,
        sources=(failed("fred", "connection refused"), *(waiting(s) for s in ("yahoo", "cme"))),
    )
    assert source_status.mode_text(trying, NOW) == "CONNECTING"
    assert source_status.header_note(trying) == " · waiting for 2 sources"
    assert source_status.offline_line(trying) is None
    cached = replace(trying, mode=Mode.CACHED, saved_at=NOW)
    assert source_status.mode_text(cached, NOW).startswith("CACHED ")
    assert source_status.header_note(cached) == " · waiting for 2 sources"


def test_once_all_were_tried_one_line_says_how_many_failed_and_why(base: Snapshot) -> None:
    sources = (
        failed("yahoo", "connection refused"),
        failed("fred", "connection refused"),
        answered("news"),  # headlines are no pane's data: still offline
    )
    offline = replace(base, mode=Mode.OFFLINE, sources=sources)
    assert source_status.mode_text(offline, NOW) == "OFFLINE"
    assert source_status.header_note(offline) == " · failing: yahoo, fred"
    assert source_status.offline_line(offline) == (
        "offline: 2 of 3 sources failed (connection refused), retrying — nothing cached; "
        "r replays the latest bundled day"
    )
    cached = replace(offline, mode=Mode.CACHED, saved_at=NOW)
    assert source_status.offline_line(cached) == (
        "offline: 2 of 3 sources failed (connection refused), retrying — showing the cached "
        "snapshot"
    )


def test_once_a_source_answered_the_failing_ones_are_named_and_no_line_is_said(
    base: Snapshot,
) -> None:
    live = replace(
        base,
        mode=Mode.LIVE,
        sources=(answered("coingecko"), failed("fred", "server error 500"), waiting("cme")),
    )
    assert source_status.mode_text(live, NOW) == "LIVE"
    assert source_status.header_note(live) == " · failing: fred"
    assert source_status.offline_line(live) is None
    many = replace(live, sources=(*(failed(f"s{i}", "x") for i in range(5)), answered("cme")))
    assert source_status.header_note(many) == " · 5 of 6 sources failing"
