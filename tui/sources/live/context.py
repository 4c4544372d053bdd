"""What every live adapter shares: the fetcher, the URLs in force, the clock, the cache and the
state of readings received so far, with the one door readings enter through (the gate).

The fetcher comes last: a context without one reads the cache and composes snapshots, and only
fetching needs it (`LiveSource.connect`), so the cached numbers never wait for httpx."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from tui.assets import BY_ID, PANE_ASSETS, RISK_ASSETS, row
from tui.explain.headlines import Headline
from tui.gate import admit
from tui.measures import new_york_day
from tui.model import Snapshot
from tui.readings import Gap, Reading
from tui.sources import SOURCE_IDS
from tui.sources.errors import SourceError

if TYPE_CHECKING:
    from tui.fed_odds import OddsReading
    from tui.sources import alternative_me, cnn, news, prediction_markets
    from tui.sources.fetch import Fetcher


class NotConnected(RuntimeError):
    """A fetch was asked of a live source that has no fetcher yet (see `LiveSource.connect`)."""


@dataclass
class SourceStatus:
    """A source's recent attempts.

    Attributes:
        last_ok: Epoch seconds of its last answer with data.
        error: Why its last attempt failed (one line), or None.
        failures: Consecutive failed attempts.
        retry_after: Seconds the server asked to wait, when it said.
        http_status: The HTTP status behind the last failure, when there was one.
    """

    last_ok: float | None = None
    error: str | None = None
    failures: int = 0
    retry_after: float | None = None
    http_status: int | None = None


@dataclass
class LiveState:
    """Everything received so far, kept between refreshes (typed, never display text)."""

    readings: dict[str, Reading] = field(default_factory=dict)
    """Row id → the latest reading the gate admitted."""
    gaps: dict[str, Gap] = field(default_factory=dict)
    """Row id → why its last refresh gave nothing new (its reading, if any, is then stale)."""
    status: dict[str, SourceStatus] = field(
        default_factory=lambda: {s: SourceStatus() for s in SOURCE_IDS}
    )
    started: dict[str, float] = field(default_factory=dict)
    """Source id → when its refresh under way began (epoch seconds), while it runs."""
    rejected: dict[str, list[str]] = field(default_factory=dict)
    """Source id → readings the gate refused in the refresh under way (`btc: …`)."""
    crypto_fng: list[alternative_me.FngPoint] = field(default_factory=list)
    stock_fng: cnn.StockFearGreed | None = None
    fng_received: dict[str, float] = field(default_factory=dict)
    cme_prices: dict[tuple[int, int], float] = field(default_factory=dict)
    """CME settlement per contract month (year, month) of the 30-day fed funds futures."""
    cme_received: float | None = None
    zq: dict[tuple[int, int], float] = field(default_factory=dict)
    zq_missing: list[str] = field(default_factory=list)
    zq_received: float | None = None
    markets: dict[str, list[prediction_markets.MeetingMarket]] = field(default_factory=dict)
    kept_futures: dict[str, tuple[float, dict[tuple[int, int], float]]] = field(
        default_factory=dict
    )
    """The futures prices the cache kept per source (`cme`, `yahoo`): when they arrived (epoch
    seconds) and the price per contract month. The Fed-watch odds are computed from them until
    a futures source answers."""
    kept_odds: list[OddsReading] = field(default_factory=list)
    """Today's prediction-market odds the cache kept, standing in for a market that has not
    answered yet."""
    headlines: list[news.FeedItem] = field(default_factory=list)
    cached_at: float | None = None
    """When the seeded cache was saved (None when nothing was seeded)."""
    cached: Snapshot | None = None
    """The seeded cached snapshot: its Fed and fear & greed panes stand in until sources answer."""


@dataclass
class Context:
    """The live adapters' shared context.

    Attributes:
        http: The shared HTTP fetcher (retries, breakers); None until the source is connected.
        urls: Base URL per source id in force (config and env applied).
        watchlists: Assets per quote pane.
        clock: Wall-clock seconds (injected in tests).
        store: The cache (`tui.store.Store`), or None.
    """

    http: Fetcher | None
    urls: dict[str, str]
    watchlists: dict[str, tuple[str, ...]]
    clock: Callable[[], float] = time.time
    store: Any | None = None
    state: LiveState = field(default_factory=LiveState)
    pending: dict[str, list[tuple[date, float]]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        fetcher: Fetcher | None,
        urls: Mapping[str, str] | None,
        watchlists: Mapping[str, tuple[str, ...]] | None,
        clock: Callable[[], float],
        store: Any | None,
    ) -> Context:
        """A context with defaults filled in."""
        return cls(fetcher, dict(urls or {}), dict(watchlists or PANE_ASSETS), clock, store)

    @property
    def fetcher(self) -> Fetcher:
        """The shared fetcher.

        Raises:
            NotConnected: Before the source was connected (nothing can be fetched yet).
        """
        if self.http is None:
            raise NotConnected("the live source is not connected: nothing can be fetched yet")
        return self.http

    def url(self, source_id: str, default: str) -> str:
        """The base URL in force for a source."""
        return self.urls.get(source_id) or default

    def now(self) -> datetime:
        """Now, from the injected clock."""
        return datetime.fromtimestamp(self.clock(), tz=UTC)

    def today(self) -> date:
        """Today in New York: the day the dashboard and the drill-down describe."""
        return new_york_day(self.now())

    def tracked(self) -> list[str]:
        """Every asset a pane shows, plus all risk assets (breadth counts them all)."""
        ids = [a for pane in ("indices", "crypto", "macro") for a in self.watchlists.get(pane, ())]
        return [a for a in dict.fromkeys([*ids, *RISK_ASSETS]) if a in BY_ID]

    def keep(self, row_id: str, reading: Reading) -> bool:
        """Offer a reading to the gate; True when it was admitted as the row's latest.

        A refused reading leaves the row's last good reading in place, marks the row stale with
        the reason and counts against its source (see `rejections`).
        """
        target = row(row_id)
        if target is None:
            return False
        held = self.state.readings.get(row_id)
        verdict = admit(target, reading, held)
        if verdict.rejected is not None:
            self.state.gaps[row_id] = Gap(reading.source, verdict.rejected)
            self.state.rejected.setdefault(reading.source, []).append(
                f"{row_id}: {verdict.rejected}"
            )
            return False
        if verdict.older:
            return False
        self.state.readings[row_id] = reading
        self.state.gaps.pop(row_id, None)
        if self.store is not None and reading.day is not None and row_id in BY_ID:
            self.pending[row_id] = [(reading.day, reading.price)]
        return True

    def lose(self, row_ids: Iterable[str], source: str | None, reason: str) -> None:
        """Mark rows as not refreshed, with the source and reason (their readings go stale)."""
        for row_id in row_ids:
            self.state.gaps[row_id] = Gap(source, reason)

    def fallback_failed(self, row_ids: Iterable[str], source: str, reason: str) -> None:
        """A fallback failed too: its reason joins the one already said (`yahoo: 500; stooq:
        refused`), so the row names every source that was tried."""
        for row_id in row_ids:
            before = self.state.gaps.get(row_id)
            why = f"{before.text()}; " if before is not None else ""
            self.state.gaps[row_id] = Gap(None, f"{why}{source}: {reason}")

    def flush(self) -> None:
        """Write the day's values admitted in one refresh, in one transaction."""
        if self.store is not None and self.pending:
            pending, self.pending = self.pending, {}
            self.store.add_histories(pending)

    def ok(self, source_id: str) -> None:
        """Record an answer with data."""
        st = self.state.status[source_id]
        st.last_ok, st.error, st.failures = self.clock(), None, 0
        st.retry_after, st.http_status = None, None

    def failed(self, source_id: str, error: SourceError) -> None:
        """Record a failure."""
        st = self.state.status[source_id]
        st.error, st.failures = error.reason, st.failures + 1
        st.retry_after, st.http_status = error.retry_after, error.status

    def headlines(self) -> tuple[Headline, ...]:
        """The fetched headlines, for the drill-down (publish times from the feeds)."""
        return tuple(
            Headline(i.published, i.title, i.source or "news", i.url, "published")
            for i in self.state.headlines
            if i.published is not None
        )
