"""Live mode: source adapters feed typed readings through the gate into one state; the pane
composers in `tui.panes` build the Snapshot from it exactly as replay builds its own.

Modules: `context` (state and the gate's door), `quotes` (Yahoo → Stooq), `crypto` (CoinGecko →
Binance spot; funding and open interest), `macro` (FRED), `sentiment` (fear & greed), `fed` (ZQ
futures by the CME method → Kalshi → Polymarket), `headlines`, `backfill`, `cache` (seed from
and save to the cache). The refresh cadence lives in `tui.scheduler`, not here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.assets import BY_ID, EXTRA_ROWS, RISK_ASSETS, row
from tui.explain.headlines import Headline
from tui.history import History, Series
from tui.model import FedWatch, Mode, Quote, QuotePane, Snapshot, SourceHealth
from tui.panes import quotes as compose
from tui.panes.breadth import breadth_of
from tui.readings import Gap
from tui.sources import SOURCE_IDS
from tui.sources.errors import SourceError
from tui.sources.live import backfill as backfill_job
from tui.sources.live import cache, crypto, fed, headlines, macro, sentiment
from tui.sources.live.context import Context, LiveState, NotConnected
from tui.sources.live.fed import zq_months, zq_symbol
from tui.sources.live.quotes import Quotes

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

__all__ = ["REFRESHED", "LiveSource", "NotConnected", "zq_months", "zq_symbol"]

REFRESHED: tuple[str, ...] = tuple(s for s in SOURCE_IDS if s not in ("cboe", "stooq"))
"""Sources with a refresh loop of their own; Cboe and Stooq run inside Yahoo's, as its
fallbacks (yahoo → cboe → stooq)."""
PANE_SOURCES: dict[str, tuple[str, ...]] = {
    "indices": ("yahoo", "cboe", "stooq"),
    "crypto": ("coingecko", "binance"),
    "macro": ("yahoo", "cboe", "fred"),
}
"""Sources whose failures a quote pane reports."""


class LiveSource:
    """Every live source behind one object that builds the live Snapshot.

    Args:
        fetcher: The shared fetcher (one httpx client, retries, breakers), or None for a source
            that seeds from the cache and composes snapshots but fetches nothing until
            `connect` gives it one (so the cached numbers wait for no HTTP client).
        urls: Base URL per source id in force (config and env already applied).
        watchlists: Assets per quote pane.
        clock: Wall-clock seconds (injected in tests).
        store: The cache, for daily history and the Fed odds' changes (optional).
        fred_key: A FRED API key; the keyless CSV is used without one.
        key_lookup: Finds the FRED key (env, then keyring) on the first FRED refresh, in a
            thread: a slow keyring never holds back start-up or the cached snapshot.
        stooq_key: Finds Stooq's key the same way on its first fetch (`stooq.key_in_force`
            when None).
    """

    mode = Mode.LIVE

    def __init__(
        self,
        fetcher: Fetcher | None,
        urls: Mapping[str, str] | None = None,
        watchlists: Mapping[str, tuple[str, ...]] | None = None,
        clock: Callable[[], float] = time.time,
        store: Any | None = None,
        fred_key: str | None = None,
        key_lookup: Callable[[], str | None] | None = None,
        stooq_key: Callable[[], str | None] | None = None,
    ) -> None:
        self.ctx = Context.build(fetcher, urls, watchlists, clock, store)
        self.quotes = Quotes(self.ctx, stooq_key=stooq_key)
        self.derivatives = crypto.Derivatives(self.ctx)
        self.fred = macro.Fred(self.ctx, fred_key, key_lookup)
        self.history: History | None = None
        """Bundled + cached daily history for sparklines and 52-week highs (set off the UI
        thread by `load_history`)."""

    # -- the shared context, for callers and tests ---------------------------------------

    def connect(self, fetcher: Fetcher) -> None:
        """Give the source its fetcher: from now on it can refresh. The adapters that composing
        a snapshot does not need load here, off the event loop."""
        fed.load_adapters()
        self.ctx.http = fetcher

    @property
    def connected(self) -> bool:
        """True once the source has a fetcher."""
        return self.ctx.http is not None

    @property
    def fetcher(self) -> Fetcher:
        """The shared fetcher.

        Raises:
            NotConnected: Before `connect`.
        """
        return self.ctx.fetcher

    @property
    def state(self) -> LiveState:
        """What has been received so far."""
        return self.ctx.state

    @property
    def fred_key(self) -> str | None:
        """The FRED API key in use, if any (never shown)."""
        return self.fred.key

    @fred_key.setter
    def fred_key(self, key: str | None) -> None:
        self.fred.key = key

    @property
    def watchlists(self) -> dict[str, tuple[str, ...]]:
        """Assets per quote pane (mutable: the config's watchlists)."""
        return self.ctx.watchlists

    @property
    def store(self) -> Any | None:
        """The cache, or None."""
        return self.ctx.store

    @property
    def clock(self) -> Callable[[], float]:
        """The injected clock."""
        return self.ctx.clock

    @property
    def stooq_interval(self) -> float:
        """Seconds between two Stooq fetches of one asset."""
        return self.quotes.stooq_interval

    @stooq_interval.setter
    def stooq_interval(self, seconds: float) -> None:
        self.quotes.stooq_interval = seconds

    def now(self) -> datetime:
        """Now, from the injected clock."""
        return self.ctx.now()

    def today(self) -> Any:
        """Today in New York (`datetime.date`)."""
        return self.ctx.today()

    # -- refresh ------------------------------------------------------------------------

    async def refresh(self, source_id: str) -> bool:
        """Refresh one source; True when it gave data. Never raises for a source's fault.

        A source whose reply the gate refused in part (a non-finite price for one coin) counts
        as failing with that reason; its other readings are kept.

        Raises:
            NotConnected: Before `connect` (the caller's mistake, not the source's).
        """
        ctx = self.ctx
        if ctx.http is None:
            raise NotConnected(f"{source_id}: the live source is not connected yet")
        jobs: dict[str, Callable[[], Any]] = {
            "yahoo": self.quotes.refresh,
            "coingecko": lambda: crypto.refresh_coingecko(ctx),
            "binance": self.derivatives.refresh,
            "alternative_me": lambda: sentiment.refresh_alternative_me(ctx),
            "cnn": lambda: sentiment.refresh_cnn(ctx),
            "fred": self.fred.refresh,
            "cme": lambda: fed.refresh_cme(ctx),
            "kalshi": lambda: fed.refresh_kalshi(ctx),
            "polymarket": lambda: fed.refresh_polymarket(ctx),
            "news": lambda: headlines.refresh(ctx),
        }
        ctx.state.rejected.pop(source_id, None)
        ctx.state.started[source_id] = ctx.clock()
        try:
            await jobs[source_id]()
        except SourceError as exc:
            ctx.failed(source_id, exc)
            return False
        except Exception as exc:  # a parser bug must not take the app down
            ctx.failed(source_id, SourceError(source_id, f"unexpected {type(exc).__name__}"))
            return False
        finally:
            ctx.state.started.pop(source_id, None)
            ctx.flush()
        refused = ctx.state.rejected.pop(source_id, None)
        if refused:
            ctx.failed(source_id, SourceError(source_id, "; ".join(refused[:3])))
            return False
        ctx.ok(source_id)
        if source_id in ("yahoo", "fred", "cme", "kalshi", "polymarket"):
            fed.record(ctx)
        return True

    async def refresh_all(self) -> dict[str, bool]:
        """Every source once, concurrently."""
        results = await asyncio.gather(*(self.refresh(s) for s in REFRESHED))
        return dict(zip(REFRESHED, results, strict=True))

    def yahoo_symbols(self) -> dict[str, str]:
        """Yahoo symbol → asset id for one batched request (plus the ZQ contracts)."""
        return self.quotes.symbols()

    async def backfill(self, skip: str | None = None) -> str | None:
        """A year of daily closes per tracked asset (but `skip`) into the cache (see
        `backfill`)."""
        return await backfill_job.backfill(self.ctx, skip)

    async def backfill_asset(self, asset_id: str) -> str | None:
        """One asset's year of daily closes into the cache, now (the drill-down of a symbol
        whose history is missing or short); the panes' history then reads it afresh.

        Returns:
            None when it was filled, else one line on why not.
        """
        why = await backfill_job.backfill_one(self.ctx, asset_id)
        if why is None and self.history is not None:
            self.history.forget(asset_id)
        return why

    async def asset_headlines(self, asset_id: str) -> tuple[Headline, ...]:
        """Headlines about one asset, kept with the macro headlines."""
        return await headlines.for_asset(self.ctx, asset_id)

    def headlines(self) -> tuple[Headline, ...]:
        """The fetched headlines, for the drill-down."""
        return self.ctx.headlines()

    def load_history(self, history: History) -> None:
        """Use this daily history (bundled + cached) for sparklines and 52-week highs; call off
        the UI thread, it reads every tracked series once."""
        for asset_id in self.ctx.tracked():
            history.series(asset_id)
        self.history = history

    def load_kept(self) -> None:
        """Read what the cache kept for the Fed-watch odds (the last futures prices per source,
        today's prediction-market odds): they stand in, marked, until the sources answer. Call
        off the UI thread; see `fed.load_kept`."""
        fed.load_kept(self.ctx)

    # -- cache ----------------------------------------------------------------------------

    def seed(self, doc: Mapping[str, Any], saved_at: float) -> None:
        """Start from a cached snapshot: it shows, every quote stale with the cache's age,
        until each source answers.

        Raises:
            ValueError: When the document is not a snapshot riskpulse wrote.
        """
        cache.seed(self.ctx, doc, saved_at)

    # -- snapshot -------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Every pane from what has been received so far."""
        ctx = self.ctx
        now = ctx.clock()
        panes = {
            name: QuotePane(tuple(self.quote(a) for a in ctx.watchlists.get(name, ()) if row(a)))
            for name in ("indices", "crypto", "macro")
        }
        crypto_pane = QuotePane((*panes["crypto"].quotes, *(self.quote(r) for r in EXTRA_ROWS)))
        panes["crypto"] = crypto_pane
        risk = [self.quote(a) for a in RISK_ASSETS]
        any_live = any(
            st.last_ok is not None for sid, st in ctx.state.status.items() if sid != "news"
        )
        mode = Mode.LIVE if any_live else Mode.CACHED if ctx.state.cached_at else Mode.OFFLINE
        fedwatch = fed.pane(ctx)
        return Snapshot(
            as_of=datetime.fromtimestamp(now, tz=UTC),
            mode=mode,
            day=ctx.today(),
            indices=self._pane_error(panes["indices"], PANE_SOURCES["indices"]),
            crypto=self._pane_error(panes["crypto"], PANE_SOURCES["crypto"]),
            macro=self._pane_error(panes["macro"], PANE_SOURCES["macro"]),
            fedwatch=fedwatch,
            fear_greed=sentiment.pane(ctx),
            # each risk asset on its own latest session, sized once the history is loaded
            breadth=breadth_of(risk, None, sized=self.history is not None),
            sources=self.health(),
            saved_at=(
                datetime.fromtimestamp(ctx.state.cached_at, tz=UTC)
                if ctx.state.cached_at is not None
                else None
            ),
        )

    def fedwatch(self) -> FedWatch:
        """The Fed-watch pane as it stands."""
        return fed.pane(self.ctx)

    def health(self) -> tuple[SourceHealth, ...]:
        """Each source's state, for the header and the JSON; a source still waiting for its
        answer past its deadline is named as such, and one whose first refresh has not ended
        is `waiting`."""
        now = self.ctx.clock()
        out = []
        for sid, st in self.ctx.state.status.items():
            error = st.error
            began = self.ctx.state.started.get(sid)
            if began is not None:  # a refresh under way: the source is connected
                limit = self.fetcher.deadline_for(sid)
                if now - began > limit:
                    error = f"no answer after {now - began:.0f} s (deadline {limit:g} s)"
            out.append(
                SourceHealth(
                    sid,
                    error is None and st.last_ok is not None,
                    datetime.fromtimestamp(st.last_ok, tz=UTC) if st.last_ok else None,
                    error,
                    st.retry_after,
                    waiting=sid in REFRESHED and error is None and st.last_ok is None,
                )
            )
        return tuple(out)

    def _pane_error(self, pane: QuotePane, sources: tuple[str, ...]) -> QuotePane:
        errors = [
            f"{sid}: {st.error}" for sid in sources if (st := self.ctx.state.status[sid]).error
        ]
        return QuotePane(pane.quotes, "; ".join(errors) or None)

    def quote(self, row_id: str) -> Quote:
        """One row's quote from its latest admitted reading, stale when its last refresh failed
        or its date is older than its market's last session."""
        target = row(row_id)
        if target is None:
            raise KeyError(row_id)
        state = self.ctx.state
        reading = state.readings.get(row_id)
        gap = state.gaps.get(row_id)
        if reading is None:
            why = gap or Gap(None, "waiting for the first answer")
            return compose.compose(
                target, None, None, why, missing_source=_expected_source(row_id), live=True
            )
        if gap is None:
            gap = compose.session_gap(target, reading, self.ctx.now())
        return compose.compose(
            target, reading, self._history(row_id), gap, missing_source=reading.source, live=True
        )

    def _history(self, row_id: str) -> Series | None:
        if row_id == "btc_funding":
            return self.derivatives.funding_history
        if row_id == "btc_oi":
            return self.derivatives.oi_history
        if self.history is None or row_id not in BY_ID:
            return None
        return self.history.series(row_id)


def _expected_source(row_id: str) -> str:
    asset = BY_ID.get(row_id)
    if asset is None:
        return "binance"
    if asset.coingecko:
        return "coingecko"
    if asset.fred and not asset.yahoo:
        return "fred"
    if asset.id == "sofr_iorb":
        return "fred"
    return "yahoo"
