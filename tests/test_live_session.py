"""Opening live mode in two steps: `prepare` shows the cached snapshot with neither httpx nor
feedparser imported, no client and no write to the cache; `connect` then lets the sources
refresh."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.loopback import FIXTURES, serving
from tests.test_live import NOW
from tui import live_session
from tui.config import Config
from tui.history import History
from tui.model import Mode, Quote, Snapshot
from tui.snapshot_output import snapshot_json
from tui.sources import SOURCE_IDS
from tui.sources.live import LiveSource, NotConnected
from tui.sources.replay import ReplaySource
from tui.store import Store, cache_path

ROOT = Path(__file__).resolve().parents[1]
SAVED_AT = NOW - 3600.0
"""The cache was written an hour before the clock the sessions run on."""


@pytest.fixture
def cache_env(tmp_path: Path, history: History) -> dict[str, str]:
    """An environment whose cache holds a saved snapshot (a replayed day, as tests keep one)."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    store = Store(cache_path(env), clock=lambda: SAVED_AT)
    store.save_snapshot(snapshot_json(ReplaySource(history).snapshot(date(2025, 11, 20))))
    store.close()
    return env


def config(tmp_path: Path) -> Config:
    return Config(tmp_path / "none.toml", False, timeout=5)


def quotes(snap: Snapshot) -> dict[str, Quote]:
    return {q.id: q for pane in (snap.indices, snap.crypto, snap.macro) for q in pane.quotes}


def test_the_cached_snapshot_imports_neither_httpx_nor_feedparser(
    cache_env: dict[str, str], tmp_path: Path
) -> None:
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from tui import live_session
        from tui.config import Config

        session = live_session.prepare(Config(Path({str(tmp_path / "none.toml")!r}), False))
        snap = session.cached()
        loaded = [m for m in ("httpx", "feedparser") if m in sys.modules]
        print(",".join(loaded) or "none", snap.mode.name if snap else None, session.connected)
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKPULSE_")} | cache_env
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out.split() == ["none", "CACHED", "False"], out


def composed_as_always(
    cfg: Config, env: dict[str, str]
) -> tuple[Snapshot, Store, httpx.AsyncClient]:
    """The cached snapshot as live mode always composed it: a live source built with its
    fetcher, seeded from the cache, then `snapshot()`."""
    from tui.sources.base import Fetcher, make_client

    client = make_client(cfg.timeout)
    store = Store(cache_path(env))
    live = LiveSource(
        Fetcher(client, retries=0),
        urls=live_session.source_urls(cfg, env),
        watchlists=cfg.watchlists,
        clock=lambda: NOW,
        store=store,
    )
    loaded = store.load_snapshot()
    assert loaded is not None
    live.seed(loaded[1], loaded[0])
    return live.snapshot(), store, client


def comparable(snap: Snapshot) -> dict[str, tuple[object, ...]]:
    return {
        i: (q.price, q.change, q.change_pct, q.as_of, q.stale, q.stale_reason)
        for i, q in quotes(snap).items()
    }


async def test_prepare_composes_the_snapshot_start_and_the_fetching_source_do(
    cache_env: dict[str, str], tmp_path: Path
) -> None:
    cfg = config(tmp_path)
    prepared = live_session.prepare(cfg, lambda: NOW, environ=cache_env)
    started = live_session.start(cfg, lambda: NOW, retries=0, environ=cache_env)
    always, store, client = composed_as_always(cfg, cache_env)
    try:
        assert not prepared.connected and started.connected
        lean, full = prepared.cached(), started.cached()
    finally:
        await prepared.close()
        await started.close()
        await client.aclose()
        store.close()
    assert lean is not None and full is not None
    assert lean.mode is Mode.CACHED and full.mode is Mode.CACHED and always.mode is Mode.CACHED
    assert sum(q.price is not None for q in quotes(lean).values()) > 10  # the cache was read
    assert all(q.stale for q in quotes(lean).values() if q.price is not None)
    assert comparable(lean) == comparable(full) == comparable(always)
    doc = json.dumps(snapshot_json(lean))
    assert doc == json.dumps(snapshot_json(full)) == json.dumps(snapshot_json(always))


async def test_connect_lets_the_prepared_source_refresh_and_go_live(
    cache_env: dict[str, str], tmp_path: Path
) -> None:
    coins = json.loads(
        (FIXTURES / "coins_markets_bitcoin,ethereum,solana_usd_pcp_all_2026-04-27.json").read_text()
    )
    btc_price = next(c["current_price"] for c in coins if c["id"] == "bitcoin")
    with serving() as server:
        env = cache_env | {f"RISKPULSE_{s.upper()}_URL": server.url for s in SOURCE_IDS}
        session = live_session.prepare(config(tmp_path), lambda: NOW, environ=env)
        try:
            cached = session.cached()
            assert cached is not None and cached.mode is Mode.CACHED
            with pytest.raises(NotConnected):
                await session.live.refresh("coingecko")
            # A drill-down opened on the cached snapshot gets the kept headlines (none yet).
            assert await session.live.asset_headlines("gold") == ()
            assert server.requests == []  # nothing asked before connecting
            session.connect(retries=0)
            assert session.connected
            assert await session.live.refresh("coingecko")
            snap = session.live.snapshot()
        finally:
            await session.close()
    assert snap.mode is Mode.LIVE
    btc = quotes(snap)["btc"]
    assert btc.price == btc_price and btc.source == "coingecko"
    assert quotes(cached)["btc"].price != btc_price  # the number came from the refresh
    assert [s for s, _ in server.requests] == ["coingecko"]


def test_reading_the_cache_waits_for_no_writer(cache_env: dict[str, str], tmp_path: Path) -> None:
    """Another process holding the cache's write lock does not hold up the cached snapshot:
    opening an existing cache and reading it writes nothing."""
    writer = sqlite3.connect(cache_path(cache_env), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO history (asset, day, value) VALUES ('gold', '2025-11-21', 1)")
        began = time.monotonic()
        session = live_session.prepare(config(tmp_path), lambda: NOW, environ=cache_env)
        try:
            snap = session.cached()
        finally:
            if session.store is not None:
                session.store.close()
        took = time.monotonic() - began
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert session.store is not None and session.warning is None
    assert snap is not None and snap.mode is Mode.CACHED
    assert took < 2.0  # a write would wait out sqlite's 5 s busy timeout, then fail
