"""Live start-up as the command line runs it (`live_session.prepare`, then the dashboard warms
and connects after the cached numbers are painted), driven with Pilot.

From a warm cache, the panes complete themselves from the cache and the bundled history (σ,
52-week highs, sparklines, Fed odds, fear & greed) whether or not any source ever answers, with
what the connected path shows for the same cache. With nothing cached and no network, nothing
is concluded from the first source to fail: one line says how many failed and why once every
source has been tried.

The reference is the connected path itself: a session on the same cache whose sources answer
from the loopback server of recorded responses. The history refill is held off
(`BACKFILL_AFTER`) so that every run reads the same kept history.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.loopback import serving
from tests.test_app import wait_until
from tests.test_live import NOW
from tui import live_session, scheduler
from tui.app import RiskPulseApp
from tui.assets import BY_ID
from tui.config import Config
from tui.history import History
from tui.live_session import LiveSession
from tui.model import Mode, Quote, Snapshot
from tui.screens.dashboard import DashboardScreen
from tui.sources import SOURCE_IDS
from tui.sources.live import REFRESHED
from widgets.navigable import NavigableTable
from widgets.status_bar import StatusBar

CLOSED = "http://127.0.0.1:9"
"""A port nothing listens on: every connection is refused."""
WIDE = (200, 60)
"""The layout with every column: σ, 52wH, the sparkline, the Fed odds' implied rate."""
SHOWN = ("last", "sigma", "high", "spark")
"""The quote columns compared: the price and what the history adds to it."""


def prepared_app(history: History, home: Path, urls: str | dict[str, str]) -> RiskPulseApp:
    """The app as `riskpulse` starts it: a session prepared (cache, no client), connected by
    the dashboard once the cached numbers are painted; every source at `urls`."""
    cfg = Config(home / "none.toml", False, timeout=5)
    per_source = urls if isinstance(urls, dict) else dict.fromkeys(SOURCE_IDS, urls)
    env = {f"RISKPULSE_{s.upper()}_URL": per_source[s] for s in SOURCE_IDS}
    env["XDG_CACHE_HOME"] = str(home)

    def factory() -> LiveSession:
        return live_session.prepare(cfg, lambda: NOW, environ=env)

    return RiskPulseApp(history=history, live=factory, refresh=cfg.refresh)


CLOCK = re.compile(r"\b\d\d:\d\d:\d\d\b")
"""The header's update time (`updated 18:39:43`, or bare where the header is narrow)."""


def assert_no_update_time(app: RiskPulseApp, status: StatusBar) -> None:
    """No source has answered: neither the header's forms nor its painted line say `updated`
    or give a time of day as if the numbers were fresh (CACHED keeps its own `08:12 (… old)`)."""
    strips = app.screen._compositor.render_strips()
    header = "".join(segment.text for segment in strips[0])
    for text in (*status.as_of, header):
        assert "updated" not in text and not CLOCK.search(text), text


def dash(app: RiskPulseApp) -> DashboardScreen:
    screen = app.dashboard()
    assert screen is not None
    return screen


def complete(snap: Snapshot | None) -> bool:
    """σ and the 52-week high of a cached quote, and Fed odds, are there."""
    gold = snap.quote("gold") if snap is not None else None
    return (
        snap is not None
        and gold is not None
        and gold.sigma is not None
        and gold.from_high_pct is not None
        and bool(snap.fedwatch.meetings)
        and bool(snap.fedwatch.meetings[0].probabilities)
    )


def untried(snap: Snapshot) -> list[str]:
    """Sources with a refresh of their own that have neither answered nor failed yet."""
    return [h.id for h in snap.sources if h.id in REFRESHED and not h.last_ok and not h.error]


def settled(snap: Snapshot | None) -> bool:
    """Every source has had its first say."""
    return snap is not None and not untried(snap)


def cells(app: RiskPulseApp) -> dict[str, dict[str, str]]:
    """The text of every table row on screen, by table id, row key and column key."""
    out: dict[str, dict[str, str]] = {}
    for table in dash(app).query(NavigableTable):
        for key in table.row_keys:
            out[f"{table.id}/{key}"] = {
                c.key: str(table.get_cell(key, c.key)) for c in table.columns
            }
    return out


def quotes(snap: Snapshot) -> dict[str, Quote]:
    return {q.id: q for pane in (snap.indices, snap.crypto, snap.macro) for q in pane.quotes}


async def connected_run(history: History, home: Path, url: str) -> tuple[Snapshot, dict[str, Any]]:
    """Run the dashboard with every source answering until each has answered and the panes are
    complete; what it shows then (its snapshot is kept in the cache on the way out)."""
    app = prepared_app(history, home, url)
    async with app.run_test(size=WIDE) as pilot:
        await wait_until(
            pilot,
            lambda: settled(dash(app).live_snapshot) and complete(dash(app).live_snapshot),
        )
        await pilot.pause()
        snap = dash(app).live_snapshot
        assert snap is not None and snap.mode is Mode.LIVE
        return snap, cells(app)


class HeldConnect:
    """`LiveSession.connect` held in its thread until `release` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.connected = threading.Event()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldConnect]:
    """Connecting waits for the test; then it connects without retries (the loopback and a
    closed port answer at once, so no retry could change the outcome)."""
    hold = HeldConnect()
    connect = LiveSession.connect

    def held_connect(self: LiveSession, **_: Any) -> None:
        hold.release.wait(60)
        connect(self, retries=0)
        hold.connected.set()

    monkeypatch.setattr(LiveSession, "connect", held_connect)
    yield hold
    hold.release.set()


@pytest.mark.parametrize("failing", ["refused", "503"])
async def test_a_cached_start_completes_the_panes_without_any_source(
    history: History,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: HeldConnect,
    failing: str,
) -> None:
    monkeypatch.setattr(scheduler, "BACKFILL_AFTER", 3600.0)
    held.release.set()  # the connected runs connect as soon as they ask
    with serving() as server:
        await connected_run(history, tmp_path, server.url)  # a first session fills the cache
        reference, reference_cells = await connected_run(history, tmp_path, server.url)
    held.release.clear()
    held.connected.clear()

    with serving() as server:
        for sid in SOURCE_IDS:
            server.faults[sid] = "503"
        app = prepared_app(history, tmp_path, server.url if failing == "503" else CLOSED)
        async with app.run_test(size=WIDE) as pilot:
            screen = dash(app)
            try:
                await wait_until(pilot, lambda: complete(screen.snapshot))
                await pilot.pause()
                # Completed before any client exists: nothing was asked of any source.
                assert not held.connected.is_set()
                assert server.requests == []
                before, before_cells = screen.snapshot, cells(app)
                assert_no_update_time(app, screen.query_one(StatusBar))
            finally:
                held.release.set()  # the app's exit waits for the connecting thread
            notice = screen.query_one("#notice", Static)
            await wait_until(pilot, lambda: "offline:" in str(notice.render()))
            await pilot.pause()
            after, after_cells = screen.snapshot, cells(app)
            line = str(notice.render())
            assert_no_update_time(app, screen.query_one(StatusBar))
    assert before is not None and after is not None
    assert failing == "refused" or server.requests  # the 503s were asked for and given

    for shown, shown_cells in ((before, before_cells), (after, after_cells)):
        assert shown.mode is Mode.CACHED  # never shown as live
        kept, live = quotes(shown), quotes(reference)
        compared = [i for i, q in kept.items() if i in BY_ID and q.price is not None]
        assert {"gold", "btc", "eth", "sol", "ust10y"} <= set(compared)
        for i in compared:
            q, ref = kept[i], live[i]
            assert q.stale and q.price == ref.price
            assert q.from_high_pct == ref.from_high_pct and q.spark == ref.spark
            # The cache keeps a change to four decimals of a percent: σ, the change over
            # the asset's own daily σ, agrees to that precision and reads the same on screen.
            assert q.sigma == pytest.approx(ref.sigma, rel=1e-3)
            row = f"table-{_pane_of(shown, i)}/{i}"
            for column in SHOWN:
                assert shown_cells[row][column] == reference_cells[row][column], (i, column)
            assert shown_cells[row]["sigma"] != "—" and shown_cells[row]["spark"].strip()
        # The Fed odds computed from the futures prices and market odds the cache kept: every
        # meeting as the connected path showed it, marked with the prices' time.
        assert shown.fedwatch.meetings == reference.fedwatch.meetings
        assert reference.fedwatch.error is None
        assert shown.fedwatch.error is not None
        assert shown.fedwatch.error.startswith("cached settlements of 12:00Z; ")
        assert shown.fedwatch.source == reference.fedwatch.source
        fed_rows = [r for r in shown_cells if r.startswith("table-fedwatch/")]
        assert fed_rows and all(shown_cells[r] == reference_cells[r] for r in fed_rows)
        assert shown_cells[fed_rows[0]]["rate"] != "—"
        # Fear & greed: the cached readings, stale until their sources answer.
        assert [(f.id, f.value, f.as_of) for f in shown.fear_greed.indices] == [
            (f.id, f.value, f.as_of) for f in reference.fear_greed.indices
        ]
        assert all(f.stale for f in shown.fear_greed.indices)
    assert before.fedwatch.error is not None
    assert before.fedwatch.error.endswith("waiting for a refresh")
    reason = "connection refused" if failing == "refused" else "server error 503"
    assert after.fedwatch.error == f"cached settlements of 12:00Z; cme: {reason}"
    every = len(SOURCE_IDS)  # the fallbacks were tried too
    reasons = {
        "refused": "connection refused",
        "503": f"server error 503 ×{every - 1}, server error 503 while getting a crumb ×1",
    }
    assert line == (
        f"offline: {every} of {every} sources failed ({reasons[failing]}), retrying"
        " — showing the cached snapshot"
    )


def _pane_of(snap: Snapshot, asset_id: str) -> str:
    for pane in ("indices", "crypto", "macro"):
        if any(q.id == asset_id for q in getattr(snap, pane).quotes):
            return pane
    raise KeyError(asset_id)


async def test_with_nothing_cached_and_no_network_one_line_says_so_once_all_were_tried(
    history: History, tmp_path: Path
) -> None:
    app = prepared_app(history, tmp_path, CLOSED)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = dash(app)
        status = screen.query_one(StatusBar)
        notice = screen.query_one("#notice", Static)
        await wait_until(pilot, lambda: bool(notice.display) and "offline" in str(notice.render()))
        await pilot.pause()
        snap = screen.live_snapshot
        assert snap is not None and settled(snap)
        tried = [h for h in snap.sources if h.error or h.last_ok]
        assert len(tried) == len(SOURCE_IDS)  # the fallbacks were tried as well
        assert str(notice.render()) == (
            f"offline: {len(tried)} of {len(tried)} sources failed (connection refused), "
            "retrying — nothing cached; r replays the latest bundled day"
        )
        assert status.mode == "OFFLINE"
        # Nothing answered: no time is called "updated", nor given bare as if it were fresh.
        assert status.as_of[0] == f"{len(tried)} of {len(SOURCE_IDS)} sources failing"
        assert_no_update_time(app, status)
        # Per source, where the panes already say it.
        indices = screen.query_one("#pane-indices")
        assert "yahoo: connection refused" in str(indices.border_subtitle)


async def test_the_first_failure_is_not_the_verdict(history: History, tmp_path: Path) -> None:
    """One source refused while the others have not answered yet: the header says how many
    are still being tried and names none, no line concludes anything; once the others fail
    too, the one line gives every reason."""
    with serving() as server:
        for sid in SOURCE_IDS:
            server.faults[sid] = "hang"  # held until `release` (at most 10 s)
        urls = dict.fromkeys(SOURCE_IDS, server.url) | {"fred": CLOSED}
        app = prepared_app(history, tmp_path, urls)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = dash(app)
            status = screen.query_one(StatusBar)
            notice = screen.query_one("#notice", Static)

            def fred_failed() -> bool:
                snap = screen.live_snapshot
                return snap is not None and any(h.id == "fred" and h.error for h in snap.sources)

            try:
                await wait_until(pilot, fred_failed, limit=8)
                await pilot.pause()
                snap = screen.live_snapshot
                assert snap is not None
                waiting = untried(snap)
                assert len(waiting) == 9 and "fred" not in waiting
                assert status.mode == "CONNECTING"  # not OFFLINE on the first failure
                assert status.as_of[0] == "waiting for 9 sources"
                assert_no_update_time(app, status)
                assert not any("fred" in f or "failing" in f for f in status.as_of)
                assert not notice.display
            finally:
                server.release.set()
            await wait_until(pilot, lambda: "offline:" in str(notice.render()))
            line = str(notice.render())
    snap = screen.live_snapshot
    assert snap is not None
    hung = {h.error for h in snap.sources if h.id != "fred" and h.error}
    assert len(hung) == 1  # every held source failed the same way
    (why,) = hung
    tried = sum(1 for h in snap.sources if h.error)
    assert line == (
        f"offline: {tried} of {tried} sources failed ({why} ×{tried - 1}, "
        "connection refused ×1), retrying — nothing cached; r replays the latest bundled day"
    )
