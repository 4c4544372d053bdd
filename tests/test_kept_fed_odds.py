"""Fed-watch odds from what the cache kept: the futures prices each source gave and today's
prediction-market odds, computed by the live path's own method, dated by the day the prices
arrived, and never stored again as a later day's reading."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.loopback import Server, serving
from tests.test_live import FakeTime, live_source
from tui.sources import SOURCE_IDS
from tui.sources.live import LiveSource
from tui.store import Store

DAY = 86400.0
TODAY = date(2026, 10, 6)
"""NOW's day in New York; the next FOMC decision in the bundled calendar is 2026-10-28."""


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as srv:
        yield srv


def unconnected(store: Store, clock: FakeTime, server: Server) -> LiveSource:
    """A live source as a start from the cache builds it: no fetcher, the cache's inputs read."""
    live = LiveSource(None, urls=dict.fromkeys(SOURCE_IDS, server.url), clock=clock, store=store)
    live.load_kept()
    return live


async def test_kept_prices_give_the_odds_their_answer_gave(server: Server, tmp_path: Path) -> None:
    clock = FakeTime()
    store = Store(tmp_path / "c.sqlite3", clock=clock)
    async with live_source(server, clock, store) as live:
        assert await live.refresh("cme")
        assert await live.refresh("kalshi")
        answered = live.fedwatch()
    clock.wall += 3600
    kept = unconnected(store, clock, server).fedwatch()
    assert answered.meetings[0].probabilities and answered.meetings[0].markets
    assert kept.meetings == answered.meetings  # odds, implied rates, changes, Kalshi beside
    assert kept.error == "cached settlements of 12:00Z; waiting for a refresh"


async def test_prices_of_an_earlier_day_are_dated_by_it_and_not_kept_as_a_later_days(
    server: Server, tmp_path: Path
) -> None:
    clock = FakeTime()
    store = Store(tmp_path / "c.sqlite3", clock=clock)
    async with live_source(server, clock, store) as live:
        assert await live.refresh("cme")
        before = live.fedwatch().meetings[0]
    assert before.as_of == TODAY
    clock.wall += DAY
    async with live_source(server, clock, store) as later:
        later.load_kept()
        server.faults["cme"] = "500"
        assert not await later.refresh("cme")
        assert await later.refresh("fred")  # a Fed source answered: today's odds are recorded
        fed = later.fedwatch()
    # Carried as a shut market's last close is: the same odds, dated the day they arrived.
    assert fed.meetings[0].as_of == TODAY and fed.meetings[0].probabilities == before.probabilities
    assert fed.error == "cached settlements of 2026-10-06 12:00Z; cme: server error 500"
    assert not [r for r in store.fed_odds_since(date(2026, 10, 7)) if r[0] == "cme"]
    clock.wall += 4 * DAY  # past the composer's four days of slack: nothing to carry
    stale = unconnected(store, clock, server).fedwatch()
    assert all(not m.probabilities for m in stale.meetings)


async def test_a_session_past_midnight_dates_its_last_settlements_by_their_day(
    server: Server,
) -> None:
    clock = FakeTime()
    async with live_source(server, clock) as live:
        assert await live.refresh("cme")
        server.faults["cme"] = "500"
        clock.wall += DAY
        assert not await live.refresh("cme")
        fed = live.fedwatch()
    assert fed.meetings[0].as_of == TODAY
    assert fed.error == "settlements of 2026-10-06 12:00Z; cme: server error 500"


async def test_kept_settlements_do_not_stop_yahoos_futures_being_asked(
    server: Server, tmp_path: Path
) -> None:
    clock = FakeTime()
    store = Store(tmp_path / "c.sqlite3", clock=clock)
    async with live_source(server, clock, store) as live:
        assert await live.refresh("cme")
        assert not [s for s in live.yahoo_symbols() if s.startswith("ZQ")]  # CME answered
    kept = unconnected(store, clock, server)
    assert kept.state.kept_futures
    assert [s for s in kept.yahoo_symbols() if s.startswith("ZQ")]


async def test_a_failed_yahoo_is_not_said_to_have_sent_no_futures_price(server: Server) -> None:
    clock = FakeTime()
    server.faults["yahoo"] = "500"
    async with live_source(server, clock) as live:
        assert not await live.refresh("yahoo")
        fed = live.fedwatch()
    assert fed.error is not None and "yahoo: server error 500" in fed.error
    assert "sent no price" not in fed.error
