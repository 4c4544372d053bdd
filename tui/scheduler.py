"""When each live source refreshes, when the snapshot is saved and when history is refilled.

Free of screen code: the dashboard hands the scheduler a `Driver` (Textual timers and workers);
tests hand it a fake one and drive time themselves. A source's next refresh is scheduled when its
last one ends (never on a fixed timer that could pile refreshes up), backing off after failures.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from tui.model import Mode, Snapshot

if TYPE_CHECKING:
    from tui.live_session import LiveSession

SAVE_EVERY = 30.0
"""Seconds between writes of the live snapshot to the cache."""
BACKFILL_AFTER = 2.0
"""Seconds after start before the daily history is refilled."""
BACKFILL_EVERY = 6 * 3600.0
"""Seconds between refills of the daily history the drill-down uses."""
DEFAULT_INTERVAL = 60.0
"""A source's refresh when the config names none, in seconds."""


def next_delay(interval: float, failures: int, retry_after: float | None, breaker: float) -> float:
    """Seconds until a source's next refresh.

    After a success, its interval. After failures, a backoff that starts at the interval (at most
    a minute) and doubles up to the larger of the interval and five minutes, never sooner than
    the server's Retry-After or the circuit breaker's cooldown.
    """
    if failures == 0:
        return interval
    base = min(interval, 60.0)
    delay = min(max(interval, 300.0), base * 2 ** (failures - 1))
    return float(max(delay, retry_after or 0.0, breaker))


class Handle(Protocol):
    """A scheduled call that can be cancelled (Textual's `Timer`)."""

    def stop(self) -> None:
        """Cancel it."""


class Driver(Protocol):
    """What the scheduler needs from the app: timers, workers and a way to publish."""

    def call_later(self, delay: float, callback: Callable[[], None], name: str) -> Handle:
        """Call `callback` once after `delay` seconds."""

    def run_async(self, work: Coroutine[Any, Any, None], group: str, description: str) -> None:
        """Run a coroutine as a worker (one at a time per group)."""

    def run_thread(self, work: Callable[[], None], group: str, description: str) -> None:
        """Run a blocking function in a thread worker."""

    def publish(self, snapshot: Snapshot) -> None:
        """Show a new live snapshot (thread-safe)."""


class RefreshScheduler:
    """A refresh loop per source, the cache save policy and the history refill.

    Args:
        session: The live session (source, client, cache).
        intervals: Refresh seconds per source id (the config's `[refresh]`).
        driver: Timers and workers.
        load_history: Builds the bundled + cached history for sparklines (blocking;
            `LiveSession.warm` also reads the Fed inputs the cache kept).
    """

    def __init__(
        self,
        session: LiveSession,
        intervals: Mapping[str, float],
        driver: Driver,
        load_history: Callable[[], object] | None = None,
    ) -> None:
        self.session = session
        self.intervals = dict(intervals)
        self.driver = driver
        self._load_history = load_history or session.warm
        self._timers: dict[str, Handle] = {}
        self._last_save = -1e12
        self.last: Snapshot | None = None
        """The latest snapshot published."""

    def start(self) -> None:
        """Refresh every source now, refill history soon, and load the sparkline history
        unless it was loaded already (a start from the cache reads it before connecting)."""
        from tui.sources.live import REFRESHED

        for source_id in REFRESHED:
            self.schedule(source_id, 0.0)
        self.schedule("history", BACKFILL_AFTER)
        if self.session.live.history is None:
            self.reload_history()

    def stop(self) -> None:
        """Cancel every pending refresh."""
        for timer in self._timers.values():
            timer.stop()
        self._timers.clear()

    def schedule(self, job: str, delay: float) -> None:
        """(Re)schedule one job: a source id, or `history` for the backfill."""
        old = self._timers.pop(job, None)
        if old is not None:
            old.stop()
        # A zero-second Timer divides by zero in Textual when it runs late: never ask for one.
        self._timers[job] = self.driver.call_later(
            max(delay, 0.05), lambda: self._kick(job), f"refresh-{job}"
        )

    def _kick(self, job: str) -> None:
        work = self.backfill() if job == "history" else self.refresh(job)
        self.driver.run_async(work, f"refresh-{job}", f"Refresh {job}")

    async def refresh(self, source_id: str) -> None:
        """One refresh of one source; publishes the snapshot and schedules the next."""
        live = self.session.live
        # A source that hangs past its deadline is named in the header before it gives up.
        late = self.driver.call_later(
            live.fetcher.deadline_for(source_id) + 1.0,
            lambda: self.publish(live.snapshot()),
            f"late-{source_id}",
        )
        try:
            ok = await live.refresh(source_id)  # reports a source's fault, never raises it
        finally:
            late.stop()
        status = live.state.status[source_id]
        delay = next_delay(
            float(self.intervals.get(source_id, DEFAULT_INTERVAL)),
            status.failures,
            status.retry_after,
            live.fetcher.breaker(source_id).retry_in(),
        )
        self.schedule(source_id, delay)
        snap = live.snapshot()
        self.publish(snap)
        now = live.clock()
        if ok and now - self._last_save >= SAVE_EVERY:
            self._last_save = now
            self.session.save(snap)

    async def backfill(self) -> None:
        """Refill the daily history, then reload it for the sparklines."""
        await self.session.live.backfill()
        self.schedule("history", BACKFILL_EVERY)
        self.reload_history()

    def reload_history(self) -> None:
        """Re-read bundled + cached history in a thread, then republish."""

        def work() -> None:
            self._load_history()
            self.publish(self.session.live.snapshot())

        self.driver.run_thread(work, "sparks", "Recent daily closes for the sparklines")

    def publish(self, snap: Snapshot) -> None:
        """Hand a snapshot to the app."""
        self.last = snap
        self.driver.publish(snap)

    def final_save(self) -> None:
        """Keep the last live snapshot on the way out."""
        if self.last is not None and self.last.mode is Mode.LIVE:
            self.session.save(self.last)
