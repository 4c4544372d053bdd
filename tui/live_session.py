"""Wiring for live mode: the config's URLs and keys, the cache, one shared client.

Used by `riskpulse snapshot` (one refresh of every source) and by the dashboard (a refresh loop
per source). Kept apart from the app so the first frame never imports httpx.

A session opens in steps. `prepare` opens the cache and builds the live source: enough to
seed from the cache and compose the cached snapshot (`LiveSession.cached`), with neither httpx
nor feedparser imported and no client made. `LiveSession.warm` then reads the history and the
Fed-watch inputs the cache kept, for what the cached snapshot lacks (σ, 52-week highs,
sparklines, Fed odds), with no network. `LiveSession.connect` makes the client and the fetcher,
after which the source refreshes. `start` does `prepare` and `connect`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.config import Config
from tui.history import History, MergedHistory
from tui.model import Snapshot
from tui.sources import SOURCE_IDS
from tui.sources.base import base_url
from tui.sources.live import LiveSource
from tui.store import Store, cache_path

if TYPE_CHECKING:
    import httpx


def source_urls(cfg: Config, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Base URL overrides in force: env `RISKPULSE_<ID>_URL`, then the config."""
    out = {}
    for sid in SOURCE_IDS:
        url = base_url(sid, "", cfg.source_urls.get(sid), environ)
        if url:
            out[sid] = url
    return out


def open_store(environ: Mapping[str, str] | None = None) -> tuple[Store | None, str | None]:
    """The cache, or None with the reason when it cannot be opened at all."""
    try:
        store = Store(cache_path(environ))
    except (OSError, Exception) as exc:  # sqlite3.Error, a read-only home…
        return None, f"the cache cannot be used ({type(exc).__name__}: {exc})"
    return store, store.warning


def fred_key() -> str | None:
    """The FRED API key, when one is set (env or keyring); never logged."""
    from tui.secrets import get_key

    try:
        return get_key("fred")
    except Exception:  # no usable keyring backend: the keyless CSV serves
        return None


@dataclass
class LiveSession:
    """A live source with its cache and, once connected, its client.

    Attributes:
        live: The live source (it fetches only once the session is connected).
        store: The cache, or None when it cannot be opened.
        warning: One line about the cache (moved aside, read-only, unusable), or None.
        cfg: The config the session was prepared with (timeouts and deadlines for `connect`).
        client: The shared HTTP client; None until `connect`.
    """

    live: LiveSource
    store: Store | None
    warning: str | None
    cfg: Config
    client: httpx.AsyncClient | None = None

    @property
    def connected(self) -> bool:
        """True once `connect` made the client: the source can refresh."""
        return self.client is not None

    def connect(
        self,
        *,
        retries: int = 2,
        max_delay: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Make the shared client and the fetcher, and hand them to the live source.

        This is where httpx is imported and the TLS context is built, and where the feed parser
        loads (so the first headlines do not load it on the event loop). It does not need a
        running event loop: call it from the same worker thread as `prepare`, after the cached
        snapshot is out; the client is then used from the app's event loop.

        Raises:
            RuntimeError: When the session is connected already.
        """
        if self.client is not None:
            raise RuntimeError("the live session is connected already")
        from tui.sources import news
        from tui.sources.fetch import Fetcher, make_client

        cfg = self.cfg
        client = make_client(cfg.timeout, transport=transport)
        fetcher = Fetcher(
            client,
            retries=retries,
            max_delay=max_delay,
            deadlines=cfg.deadlines,
            default_deadline=cfg.deadline,
        )
        news.load_parser()
        self.client = client
        self.live.connect(fetcher)

    def cached(self) -> Snapshot | None:
        """The cached snapshot (marked CACHED), seeding the live source, or None."""
        if self.store is None:
            return None
        loaded = self.store.load_snapshot()
        if loaded is None:
            return None
        saved_at, doc = loaded
        try:
            self.live.seed(doc, saved_at)
        except ValueError:
            return None
        # Composed like any live snapshot: every quote stale with the cache's time.
        return self.live.snapshot()

    def warm(self, bundled: History | None = None) -> History:
        """Read what the cache and the bundle hold beyond the cached snapshot: the Fed-watch
        inputs the cache kept (`LiveSource.load_kept`), then the daily history (`load_history`).
        The next `live.snapshot()` then has the sparklines, σ, 52-week highs and Fed odds the
        cached snapshot lacks, whether or not any source answers.

        Reads every tracked series once (about half a second): call it off the UI thread, once
        the cached numbers are painted. Needs no connection.

        Returns:
            The history the live source now uses.
        """
        self.live.load_kept()
        return self.load_history(bundled)

    def load_history(self, bundled: History | None = None) -> History:
        """Bundled + cached daily history for sparklines, 52-week highs and the drill-down;
        read off the UI thread (it reads every tracked series once)."""
        base = bundled or History()
        history = MergedHistory(base, self.store.merged) if self.store is not None else base
        self.live.load_history(history)
        return history

    def save(self, snap: Snapshot) -> None:
        """Keep the snapshot for the next start-up."""
        from tui.snapshot_output import snapshot_json

        if self.store is not None:
            self.store.save_snapshot(snapshot_json(snap))

    async def close(self) -> None:
        """Close the client (when connected) and the cache."""
        if self.client is not None:
            await self.client.aclose()
        if self.store is not None:
            self.store.close()


def prepare(
    cfg: Config,
    clock: Callable[[], float] = time.time,
    *,
    environ: Mapping[str, str] | None = None,
) -> LiveSession:
    """Open the cache and build the live source for a config, without a client.

    The session's `cached` snapshot is ready at once: nothing here imports httpx or feedparser,
    makes a client or touches the network, and reading the cache is a plain read that a writer
    elsewhere does not hold up (WAL). Any thread will do. `LiveSession.connect` makes the
    session able to refresh.
    """
    store, warning = open_store(environ)
    live = LiveSource(
        None,
        urls=source_urls(cfg, environ),
        watchlists=cfg.watchlists,
        clock=clock,
        store=store,
        key_lookup=fred_key,
    )
    live.stooq_interval = float(cfg.refresh.get("stooq", live.stooq_interval))
    return LiveSession(live, store, warning, cfg)


def start(
    cfg: Config,
    clock: Callable[[], float] = time.time,
    *,
    retries: int = 2,
    max_delay: float = 30.0,
    transport: httpx.AsyncBaseTransport | None = None,
    environ: Mapping[str, str] | None = None,
) -> LiveSession:
    """Build the live source for a config, ready to refresh: `prepare`, then `connect`."""
    session = prepare(cfg, clock, environ=environ)
    session.connect(retries=retries, max_delay=max_delay, transport=transport)
    return session
