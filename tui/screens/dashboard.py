"""The dashboard: five panes on one screen, a header with mode and breadth, keys in the footer.

The screen owns the state (the day and its snapshot) and pushes it down into dumb widgets.
The first frame is the header and the footer; the panes mount after it already holding the
day's first numbers (a replayed day's read in place from the bundled files, or the cache's), and
what holds the interpreter lock for longer (reading the whole history, connecting the live
sources) runs in thread workers once those numbers are painted.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from tui import source_status
from tui.model import Mode, Snapshot
from tui.screens import dashboard_layout as layouts
from tui.screens.closed_markets import ClosedMarkets
from tui.screens.dashboard_live import (
    LiveConnected,
    LiveUpdated,
    ScreenDriver,
    SnapshotLoaded,
)
from tui.sources.replay import ReplaySource
from widgets.fear_greed_table import FearGreedTable
from widgets.fed_table import FedTable
from widgets.footer import KeysFooter
from widgets.navigable import Layout, NavigableTable
from widgets.pane_box import PaneBox
from widgets.quote_table import QuoteTable
from widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tui.live_session import LiveSession
    from tui.scheduler import RefreshScheduler
    from tui.screens.drill_data import DrillData
    from tui.screens.drilldown import DrillDownScreen
    from widgets.chart import ChartStyle

PANES: tuple[tuple[str, str], ...] = tuple(layouts.FULL_TITLES.items())
"""Pane id and title, in Tab order."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "column-a": ("indices", "crypto", "fedwatch"),
    "column-b": ("macro", "fear_greed"),
}
"""Side by side from 100 columns, and from 80 in the compact layout; stacked below."""

DRILL_SCREEN = "replay-drill-down"
DRILL_WAIT = 0.15
ANSWERS_KEPT = 32
"""Replay drill-down answers kept by the dashboard (explained ahead, or shown)."""
"""Seconds Enter waits for a re-targeted drill-down's answer before showing its spinner: an
answer in by then shows complete in one frame, with no spinner flashing over it."""
"""Name the replay drill-down is installed under."""
FIRST_FRAME_WAIT = 0.5
"""Seconds after the screen mounts when the panes mount even if the app never said its first
frame was out."""
CONNECT_WAIT = 1.0
"""Seconds the live start waits for the cached numbers to be painted before it connects (it
connects regardless after that)."""
SHOWN_AFTER = 2.0
"""Seconds after the panes mount when the dashboard counts as shown even without numbers."""
FULL_AFTER = 0.5
"""Seconds after a day's first numbers when the full history is read even if the panes have
not repainted (it starts as soon as they have)."""


class DashboardScreen(Screen[None]):
    """Indices, crypto, gold & macro, Fed watch and fear & greed: live, cached or replayed."""

    HORIZONTAL_BREAKPOINTS = layouts.HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = layouts.VERTICAL_BREAKPOINTS

    BINDINGS = [
        Binding("tab", "focus_pane(1)", "Next pane", show=False, id="dash.next_pane"),
        Binding("shift+tab", "focus_pane(-1)", "Prev pane", show=False, id="dash.prev_pane"),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Prev day",
            key_display="[",
            id="dash.prev_day",
            tooltip="One trading day back",
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Next day",
            key_display="]",
            id="dash.next_day",
            tooltip="One trading day forward",
        ),
        Binding("g", "goto", "Go to date", id="dash.goto", tooltip="Jump to a date"),
        Binding(
            "r",
            "replay_latest",
            "Replay latest",
            show=False,
            id="dash.replay_latest",
            tooltip="Replay the last bundled day",
        ),
        Binding(
            "L",
            "live",
            "Live",
            show=False,
            id="dash.live",
            tooltip="Back to the live panes",
        ),
        Binding(
            "d",
            "density",
            "Density",
            show=False,
            id="dash.density",
            tooltip="Every pane on the screen (compact), or the roomy layout for the width",
        ),
    ]

    day: reactive[date | None] = reactive(None, init=False, repaint=False)
    """The replayed day; None when no data is shown (no live source)."""
    snapshot: reactive[Snapshot | None] = reactive(None, init=False, repaint=False)
    """What the panes show."""
    density: reactive[layouts.Density] = reactive[layouts.Density]("auto", init=False)
    """The density key's choice for the session: follow the size, dense or roomy."""
    pane_layout: reactive[Layout] = reactive[Layout]("standard", init=False)
    """The layout in force (from the size and `density`); pushed into every table."""

    class Shown(Message):
        """The dashboard's first numbers are painted (or it has none to show): the app's
        start-up work that can wait (the recap check) goes now."""

    def __init__(
        self,
        source: ReplaySource,
        day: date | None,
        live: Callable[[], LiveSession] | None = None,
        refresh: Mapping[str, int] | None = None,
    ) -> None:
        # Start in the standard layout's class, so the first styles need no second pass.
        super().__init__(classes=layouts.LAYOUT_CLASSES["standard"])
        self.source = source
        self._initial_day = day
        self._live_factory = live
        self._refresh = dict(refresh or {})
        self.session: LiveSession | None = None
        """The live source with its client and cache, once started."""
        self.live_snapshot: Snapshot | None = None
        """The latest live (or cached) snapshot, kept while a replayed day is shown."""
        self.scheduler: RefreshScheduler | None = None
        """Refresh cadence, backoff and cache saves, once live has started."""
        self._note_text: dict[str, str] = {}
        self._live_started = False
        self._full_titles = dict(layouts.FULL_TITLES)
        self._closes = ClosedMarkets(self)
        self._laid_out = False
        self._mounting = False
        self._shown = False
        self._focus_to: NavigableTable | None = None
        self._drill: DrillDownScreen | None = None
        self._drill_opening = False
        self._answers: OrderedDict[tuple[str, date], DrillData] = OrderedDict()
        """Replay drill-down answers (1-day horizon) computed ahead, by asset and day: the
        last ANSWERS_KEPT, so Enter on a row the cursor rested on shows at once."""
        self._drill_warm = False
        """True once the drill-down's modules and bundled files are loaded (replay)."""
        self._wanted: tuple[str, date, ChartStyle | None] | None = None
        self._wanted_lock = threading.Lock()
        self._computing_ahead = False
        """True from the first Enter until the replay drill-down is shown."""
        """The replay drill-down, installed once and re-targeted (see `open_asset`)."""
        self._boxes: dict[str, tuple[PaneBox, NavigableTable]] = {}
        """Each pane's box and table, kept as they are built (no DOM query per update)."""
        self._when_painted: list[Callable[[], None]] = []
        """Called once the next snapshot applied is painted (the live start's connect)."""
        self._panes_mounted = False

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Static("", id="notice", markup=False)
        # The panes mount once the first frame (header and footer) is out: see `on_resize`.
        yield VerticalScroll(id="panes", can_focus=False)
        yield KeysFooter()

    def _columns(self) -> list[Vertical]:
        """The panes' columns, each pane a bordered box around its table (and notes)."""
        titles = dict(PANES)
        columns = []
        for column, pane_ids in COLUMNS.items():
            boxes = []
            for pane_id in pane_ids:
                table = self._table_for(pane_id)
                table.pane_layout = self.pane_layout
                table.pane_title = titles[pane_id]
                children: list[Widget] = [table]
                if pane_id in ("fedwatch", "fear_greed"):
                    children.append(
                        Static("", id=f"{pane_id}-notes", classes="notes", markup=False)
                    )
                box = PaneBox(*children, id=f"pane-{pane_id}", classes="pane")
                box.border_title = titles[pane_id]
                self._boxes[pane_id] = (box, table)
                boxes.append(box)
            columns.append(Vertical(*boxes, id=column, classes="column"))
        return columns

    @staticmethod
    def _table_for(pane_id: str) -> NavigableTable:
        if pane_id == "fedwatch":
            return FedTable(id="table-fedwatch")
        if pane_id == "fear_greed":
            return FearGreedTable(id="table-fear_greed")
        return QuoteTable(id=f"table-{pane_id}")

    def first_frame(self) -> None:
        """The app's first frame is due (its `Ready`): paint it with the header and footer
        alone, then mount the panes (the app calls this; a timer does if it never does)."""
        if not self._mounting:
            self._mounting = True
            self.refresh()  # a repaint is due, so the callback below waits for it
            self.call_after_refresh(self._mount_panes)

    def on_resize(self) -> None:
        # The breakpoint classes are set by Screen's own resize handler: read them after it.
        self.call_after_refresh(self._choose_layout)

    async def _mount_panes(self) -> None:
        """Mount the panes, and fill them before their first frame (replay: the day's numbers)."""
        self._choose_layout()
        if self.day is None and self._live_factory is not None and not self._live_started:
            self._start_live()  # the cache's numbers go into the panes as they mount
        await self.query_one("#panes").mount(*self._columns())
        self._panes_mounted = True
        if self.day is None and self._live_factory is None:
            self._first_shown()  # no data in this run: nothing to wait for
        else:
            self.query_one("#table-indices", QuoteTable).after_rows_painted(self._first_shown)
            # Live with nothing cached and no answer yet: go on regardless.
            self.set_timer(SHOWN_AFTER, self._first_shown)
        if self.day is not None:
            self._show_day(self.day)
        elif self.snapshot is not None:
            self._apply(self.snapshot)

    def _choose_layout(self) -> None:
        self.pane_layout = layouts.effective(self.density, set(self.classes))

    def watch_density(self) -> None:
        self._choose_layout()

    def watch_pane_layout(self, layout: Layout) -> None:
        # One restyle of the screen for the change, not one per class.
        self.update_classes({cls: name == layout for name, cls in layouts.LAYOUT_CLASSES.items()})
        for table in self._tables():
            table.pane_layout = layout
        self._titles()

    def action_density(self) -> None:
        """Toggle between every pane on screen (compact) and the roomy layout for the width."""
        self.density = layouts.toggled(self.pane_layout)
        names = {"compact": "compact: every pane", "standard": "standard", "wide": "wide"}
        self.notify(f"Layout: {names[self.pane_layout]} (d toggles)", timeout=2)

    def _titles(self) -> None:
        """Each pane's title for the layout and its order: in its border, or its header row."""
        if not self._panes_mounted:
            return
        for pane_id, _ in PANES:
            pane, table = self._boxes[pane_id]
            sort_by = table.sort_by if isinstance(table, QuoteTable) else ""
            full = self._full_titles[pane_id]
            title = layouts.pane_title(pane_id, self.pane_layout, sort_by, full)
            table.pane_title = title
            if str(pane.border_title) != title:  # setting it repaints the whole pane
                pane.border_title = title

    @on(QuoteTable.Sorted)
    def _sorted(self, _: QuoteTable.Sorted) -> None:
        self._titles()

    def on_mount(self) -> None:
        self.set_timer(FIRST_FRAME_WAIT, self.first_frame)
        # The layout is chosen when the panes mount: the breakpoint classes it reads are set by
        # the first resize.
        status = self.query_one(StatusBar)
        if self._initial_day is None and self._live_factory is not None:
            status.mode = "CONNECTING"
            # The cache opens as the panes mount (after the first frame), the sources after it.
            return
        if self._initial_day is None:
            status.mode = "NO DATA"
            self.query_one("#notice", Static).update(
                "Live data is off in this run. "
                "Press r to replay the latest bundled day, or g to pick a day."
            )
            self.query_one("#notice").display = True
            return
        self.day = self._initial_day

    # -- live ---------------------------------------------------------------------------------

    def _start_live(self) -> None:
        """Open the cache and show what it kept, now (a few tens of milliseconds: it imports
        no HTTP client); then, in a thread once that is painted, read the history and the Fed
        inputs the cache kept and connect the sources."""
        self._live_started = True
        assert self._live_factory is not None
        try:
            session = self._live_factory()
            cached = session.cached()
        except Exception as exc:  # an unreadable cache or config: said, never a crash
            self.query_one("#notice", Static).update(f"The live sources cannot start: {exc}")
            self.query_one("#notice").display = True
            return
        painted = threading.Event()
        self._live_opened(session, cached, painted if cached is not None else None)
        self.run_worker(
            partial(self._connect_live, session, painted if cached is not None else None),
            thread=True,
            group="live-start",
            exclusive=True,
            exit_on_error=False,
            description="Connect the live sources",
        )

    def _connect_live(self, session: LiveSession, painted: threading.Event | None) -> None:
        """Once the cached numbers are painted, complete them from the history and the Fed
        inputs the cache kept (`_warm`), then connect the sources (httpx, the TLS context and
        the client load here). Each holds the interpreter lock for a good part of a second,
        so both wait for the paint; the completed panes come first, and come whether or not
        connecting or the network ever answers. With nothing cached there is nothing to
        complete: the sources connect at once and the scheduler reads the history."""
        worker = get_current_worker()
        if painted is not None:
            for _ in range(round(CONNECT_WAIT / 0.05)):
                if painted.wait(0.05) or worker.is_cancelled:
                    break
            if worker.is_cancelled:
                return
            self._warm(session)
        if worker.is_cancelled:
            return
        if not session.connected:
            session.connect()
        self.post_message(LiveConnected(session))

    def _warm(self, session: LiveSession) -> None:
        """Read the history and the Fed inputs the cache kept, then show the snapshot they
        complete (σ, 52-week highs, sparklines, Fed odds); a cache that fails here is said in a
        toast and the sources connect regardless."""
        try:
            session.warm(self.source.history)
            snap = session.live.snapshot()
        except Exception as exc:  # sqlite3.Error from a damaged cache, an unreadable file
            self.notify(
                f"The kept history could not be read: {exc}",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        self.post_message(LiveUpdated(snap))

    def _live_opened(
        self, session: LiveSession, cached: Snapshot | None, painted: threading.Event | None
    ) -> None:
        """Show the cached snapshot at once (the refresh loops start once connected); set
        `painted` once it is on screen."""
        self.session = session
        if session.warning:
            self.notify(session.warning, severity="warning", timeout=10)
        if painted is not None:
            if self.day is None and cached is not None:
                self._when_painted.append(painted.set)  # `_apply` hands it on
            else:
                painted.set()  # a day is replayed: nothing of the cache to paint
        if cached is not None:
            self.live_snapshot = cached
            if self.day is None:
                self.snapshot = cached

    @on(LiveConnected)
    def _live_connected(self, message: LiveConnected) -> None:
        """The sources can fetch: start the refresh loops."""
        from tui.scheduler import RefreshScheduler

        session = message.session
        base = self.source.history
        self.scheduler = RefreshScheduler(
            session,
            {k: float(v) for k, v in self._refresh.items()},
            ScreenDriver(self),
            lambda: session.warm(base),
        )
        self.scheduler.start()

    @on(LiveUpdated)
    def _live_updated(self, message: LiveUpdated) -> None:
        self.live_snapshot = message.snapshot
        if self.day is None:
            self.snapshot = message.snapshot

    def action_live(self) -> None:
        """Back to the live panes from a replayed day."""
        if self._live_factory is None:
            self.notify("Live data is off in this run (it was started with --replay).")
            return
        if not self._live_started:
            self._start_live()
        self.day = None
        if self.live_snapshot is not None:
            self.snapshot = self.live_snapshot
        else:
            self.query_one(StatusBar).mode = "CONNECTING"

    async def on_unmount(self) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
            self.scheduler.final_save()
        if self.session is not None:
            await self.session.close()

    # -- data ---------------------------------------------------------------------------------

    def watch_day(self, day: date | None) -> None:
        if day is None:
            return
        self.query_one(StatusBar).mode = f"REPLAY {day.isoformat()}"
        if self._panes_mounted:
            self._show_day(day)
            table = self.focused
            if isinstance(table, QuoteTable) and table.cursor_key is not None:
                self._explain_ahead(table.cursor_key)
        # else the panes show it as they mount (`_mount_panes`)

    def _first_shown(self) -> None:
        if not self._shown:
            self._shown = True
            self.post_message(self.Shown())

    def _show_day(self, day: date) -> None:
        """The day's numbers now, then what needs the full history.

        Until the bundled history has been read once, the numbers come from the lines around the
        day (`tui.dayslice`: a few milliseconds) and go straight into the panes; reading the
        full history (a thread that holds the interpreter lock for a third of a second) starts
        once they are painted. After that, a day's snapshot is quick and comes whole.
        """
        kept = self.source.kept(day)
        if kept is not None:  # composed already (the neighbours of a day shown are)
            self.snapshot = kept
            self.load(day, compose=False)
            return
        if self.source.history.loaded_all():
            self.load(day)
            return
        self.snapshot = self.source.numbers(day)
        started = False

        def full() -> None:
            nonlocal started
            if not started and self.day == day:
                started = True
                self.load(day)

        if self.query("#table-indices"):
            self.query_one("#table-indices", QuoteTable).after_rows_painted(full)
        # A day whose numbers change nothing on screen paints nothing: go on regardless.
        self.set_timer(FULL_AFTER, full)

    @work(
        thread=True,
        group="replay",
        exclusive=True,
        exit_on_error=False,
        description="Load the replayed day from the bundled data",
    )
    def load(self, day: date, compose: bool = True) -> None:
        """Build the day's whole snapshot off the UI thread (sparklines, 52-week highs, Fed
        watch, fear & greed), then the trading calendar for `[` and `]` (which reads every
        file once), then the days `[` and `]` lead to, while the user reads this one.

        Args:
            day: The day shown.
            compose: False when the day's snapshot is shown already (only the neighbours).
        """
        worker = get_current_worker()
        if compose:
            self.post_message(SnapshotLoaded(self.source.snapshot(day)))
        if worker.is_cancelled:
            return
        history = self.source.history
        for offset in (1, -1):  # where `]` and `[` lead: the same steps the keys take
            neighbour = history.step(day, offset)
            if worker.is_cancelled:
                return
            if neighbour != day:
                self.source.snapshot(neighbour)

    @on(SnapshotLoaded)
    def _loaded(self, message: SnapshotLoaded) -> None:
        if message.snapshot.day == self.day:
            self.snapshot = message.snapshot

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            what = event.worker.description or "a task"
            self.query_one("#notice", Static).update(f"{what} failed: {error}")
            self.query_one("#notice").display = True
            for table in self.query(NavigableTable):
                table.loading = False

    def watch_snapshot(self, snap: Snapshot | None) -> None:
        if snap is not None:
            self._apply(snap)

    def _apply(self, snap: Snapshot) -> None:
        """Push the snapshot into the panes (once mounted: `_mount_panes` applies it then)."""
        if not self._panes_mounted:
            return
        if snap is not self.snapshot:
            return
        if not self._laid_out:
            self._laid_out = True  # the panes have just mounted: lay them out for the size
            self.watch_pane_layout(self.pane_layout)
        notice = self.query_one("#notice", Static)
        status = self.query_one(StatusBar)
        if snap.mode is Mode.REPLAY:
            status.mode = snap.mode_label()
            status.as_of = (snap.as_of.strftime("as of %Y-%m-%d %H:%MZ"), f"{snap.as_of:%H:%MZ}")
            notice.display = False
        else:
            status.mode = source_status.mode_text(snap, datetime.now(UTC))
            status.as_of = source_status.header_time(snap)
            self._live_notice(snap, notice)
        status.breadth = snap.breadth.forms()
        status.direction = (
            "flat"
            if snap.breadth.label == "mixed"
            else "loss"
            if snap.breadth.down > snap.breadth.up
            else "gain"
            if snap.breadth.up > snap.breadth.down
            else "flat"
        )
        for pane_id in ("indices", "crypto", "macro"):
            table = self._boxes[pane_id][1]
            assert isinstance(table, QuoteTable)
            table.day = snap.day
            table.quotes = getattr(snap, pane_id).quotes
            table.loading = False
            self._subtitle(pane_id, snap)
        self._closes.update(snap if snap.mode is not Mode.REPLAY else None)
        if not isinstance(self.focused, NavigableTable):
            self.query_one("#table-indices").focus()
        indices = self.query_one("#table-indices", QuoteTable)
        for callback in self._when_painted:
            indices.after_rows_painted(callback)
        self._when_painted.clear()
        if snap.partial:
            return  # the day's first numbers: Fed watch and fear & greed follow with the rest
        fed = self.query_one(FedTable)
        fed.meetings = snap.fedwatch.meetings
        fed.loading = False
        fg = self.query_one(FearGreedTable)
        fg.day = snap.day
        fg.readings = snap.fear_greed.indices
        fg.loading = False
        self._notes(snap)
        # Alerts are checked on every snapshot shown (the app ignores cached and offline ones).
        on_snapshot = getattr(self.app, "on_snapshot", None)
        if on_snapshot is not None:
            on_snapshot(snap)

    def _live_notice(self, snap: Snapshot, notice: Static) -> None:
        """One line once every source has been tried and none answered: how many failed and
        why, and what is shown instead (`source_status.offline_line`); per-source reasons stay
        in the header (a few failing) and the panes' subtitles and notes."""
        line = source_status.offline_line(snap)
        if line is None:
            notice.display = False
            return
        if str(notice.content) != line:  # no repaint for the same line on each refresh
            notice.update(Content(line))
        notice.display = True

    def _subtitle(self, pane_id: str, snap: Snapshot) -> None:
        pane = self._boxes[pane_id][0]
        quote_pane = getattr(snap, pane_id)
        stale = [q for q in quote_pane.quotes if q.stale]
        if pane_id == "crypto":
            currencies = {q.currency for q in quote_pane.quotes if q.currency}
            title = "Crypto · " + (" / ".join(sorted(currencies)) or "USDT")
            if self._full_titles["crypto"] != title:
                self._full_titles["crypto"] = title
                self._titles()
        parts = []
        if pane_id == "macro" and (target := snap.quote("fed_target")) and target.detail:
            parts.append(f"Fed target {target.detail}%")
        if quote_pane.error:
            parts.append(quote_pane.error)  # a failing source is named first, whatever is stale
        elif stale:
            parts.append(source_status.stale_footer(stale))
        pane.footer = " · ".join(parts)

    def _notes(self, snap: Snapshot) -> None:
        fed = snap.fedwatch
        lines = [f"source: {fed.source}" if fed.source else "source: none recorded"]
        if fed.error:
            lines.append(fed.error)
        lines += [f"{m.date}: {m.note}" for m in fed.meetings if m.note]
        lines += list(fed.notes)
        self._update_static("#fedwatch-notes", "\n".join(lines))
        comps = [f"{name}: {text}" for f in snap.fear_greed.indices for name, text in f.components]
        sources = " · ".join(f"{f.name}: {f.source}" for f in snap.fear_greed.indices)
        body = ([f"CNN components ({_stock_date(snap)})", *comps] if comps else []) + [sources]
        if snap.fear_greed.error:
            body.insert(0, snap.fear_greed.error)
        self._update_static("#fear_greed-notes", "\n".join(body))

    def _update_static(self, selector: str, text: str) -> None:
        """Replace a note's text only when it changed (no repaint for an identical refresh)."""
        if self._note_text.get(selector) != text:
            self._note_text[selector] = text
            self.query_one(selector, Static).update(Content(text))

    # -- keys ---------------------------------------------------------------------------------

    def _tables(self) -> list[NavigableTable]:
        if not self._panes_mounted:
            return []
        return [self._boxes[pane_id][1] for pane_id, _ in PANES]

    def action_focus_pane(self, offset: int) -> None:
        """Move focus to the next or previous pane (Tab / Shift+Tab)."""
        tables = self._tables()
        if not tables:
            return  # the panes are still mounting
        # Focus moves after this handler: a second Tab read in the same burst starts from the
        # pane the first one chose, not from the one still focused.
        focused = self._focus_to if self._focus_to is not None else self.focused
        i = tables.index(focused) if focused in tables else -1
        target = tables[(i + offset) % len(tables)]
        target.focus()
        self._focus_to = target
        self.call_after_refresh(self._focus_moved)

    def _focus_moved(self) -> None:
        self._focus_to = None

    @on(NavigableTable.Leave)
    def _leave(self, message: NavigableTable.Leave) -> None:
        """Walk off a pane's edge into its neighbour, following the on-screen layout."""
        tables = self._tables()
        here = message.table
        region = here.region
        others = [t for t in tables if t is not here and t.region.width]
        if message.direction in ("up", "down"):
            offset = 1 if message.direction == "down" else -1
            target = tables[(tables.index(here) + offset) % len(tables)]
            target.focus()
            target.move_cursor(row=0 if offset > 0 else max(0, target.row_count - 1))
            return
        sideways = [
            t
            for t in others
            if (t.region.x > region.x if message.direction == "right" else t.region.x < region.x)
        ]
        if not sideways:
            return
        target = min(
            sideways, key=lambda t: (abs(t.region.y - region.y), abs(t.region.x - region.x))
        )
        target.focus()

    def action_step(self, offset: int) -> None:
        """Step one trading day back or forward (from live, back to the last bundled day)."""
        if self.day is None:
            if offset < 0 and self.live_snapshot is not None:
                self.set_day(self.source.history.step(self._live_day(), -1))
            return
        self.day = self.source.history.step(self.day, offset)

    def _live_day(self) -> date:
        snap = self.live_snapshot
        return snap.day if snap is not None and snap.day else date.today()

    def action_goto(self) -> None:
        """Ask for a day and jump to it."""
        from tui.screens.goto import GotoDateScreen

        first, last = self.source.history.span()

        def chosen(day: date | None) -> None:
            if day is not None:
                self.set_day(day)

        self.app.push_screen(GotoDateScreen(first, last, self.day), chosen)

    def set_day(self, day: date) -> None:
        """Show another day."""
        if self.day is None and self.snapshot is None:
            self.query_one("#notice").display = False
            for table in self.query(NavigableTable):
                table.loading = True
            self.query_one("#table-indices").focus()
        self.day = day

    def action_replay_latest(self) -> None:
        """Replay the latest day most markets in the bundle printed."""
        self.set_day(self.source.history.latest_full_day())

    @on(QuoteTable.Opened)
    def _open(self, message: QuoteTable.Opened) -> None:
        self.open_asset(message.asset_id)

    @on(NavigableTable.RowSelected)
    def _not_a_quote(self, event: NavigableTable.RowSelected) -> None:
        if not isinstance(event.table, QuoteTable):
            self.notify(
                "The drill-down explains quotes: pick an index, coin or macro row.",
                severity="information",
            )

    def open_asset(self, asset_id: str) -> None:
        """Open the drill-down of an asset on the shown day (today, in live mode)."""
        from tui.assets import BY_ID
        from tui.screens.drilldown import DrillDownScreen

        if asset_id not in BY_ID:
            from tui.assets import row

            name = row(asset_id)
            label = name.name if name is not None else asset_id
            self.notify(
                f"{label} has no move of its own to explain; it is context for Bitcoin: "
                "BTC's drill-down shows it in its leverage channel.",
                markup=False,
            )
            return
        if self.day is not None:
            # One replay drill-down, kept installed and re-targeted for each Enter.
            if self._drill_opening:
                return  # the first one is being opened
            if self._drill is None:
                self._first_drill(asset_id, self.day)
            elif not self._drill.is_mounted:
                # Still being composed ahead (`_compose_drill`): open it once it is.
                self._drill.call_after_refresh(self._show_drill, self._drill, asset_id, self.day)
            else:
                self._show_drill(self._drill, asset_id, self.day)
            return
        session = self.session
        if session is None or self.live_snapshot is None:
            return
        from tui.history import MergedHistory
        from tui.sources.replay import ReplaySource

        history = (
            MergedHistory(self.source.history, session.store.merged)
            if session.store is not None
            else self.source.history
        )
        day = self._live_day()
        from tui.sources.live.explain_inputs import builder

        self.app.push_screen(
            DrillDownScreen(
                ReplaySource(history, self.source.watchlists),
                asset_id,
                day,
                session.live.headlines(),
                live_day=day,
                more_headlines=session.live.asset_headlines,
                inputs=builder(session.live),  # the panes' own readings, not the bundle's
                fill_history=session.live.backfill_asset if session.connected else None,
            )
        )

    def _first_drill(self, asset_id: str, day: date) -> None:
        """Install the replay drill-down and show it once its answer is computed (here, while
        the panes still show), composed with it in one frame; an answer slower than DRILL_WAIT
        shows the screen with its spinner and its own computation instead."""
        from tui.screens.drilldown import DrillDownScreen

        drill = self._drill = DrillDownScreen(self.source, asset_id, day)
        self.app.install_screen(drill, DRILL_SCREEN)
        ready = self._answers.get((asset_id, day))
        if ready is not None:
            drill.preset(ready)
            self.app.push_screen(DRILL_SCREEN)
            return
        self._drill_opening = True

        def show(data: DrillData | None) -> None:
            if not self._drill_opening:
                return
            self._drill_opening = False
            timer.stop()
            if data is not None:
                drill.preset(data)
                self._keep_answer(data)
            self.app.push_screen(DRILL_SCREEN)

        def work() -> None:
            from tui.explain.move import Horizon
            from tui.screens.drill_data import compute

            try:
                data = compute(self.source, asset_id, day, Horizon.D1, ())
            except Exception:  # the screen computes again and says why, as it always does
                data = None
            self.app.call_from_thread(show, data)

        timer = self.set_timer(DRILL_WAIT, partial(show, None), name="drill-wait")
        self.run_worker(
            work,
            thread=True,
            group="first-drill",
            exit_on_error=False,
            description="Explain the move before the drill-down is shown",
        )

    def _show_drill(self, drill: DrillDownScreen, asset_id: str, day: date) -> None:
        """Re-target the kept drill-down and show it once its answer is in, in one frame; an
        answer slower than DRILL_WAIT shows the screen with its spinner instead."""
        shown = False

        def show() -> None:
            nonlocal shown
            if shown:
                return
            shown = True
            timer.stop()
            if drill.answer is not None and drill.answer.horizon is Horizon.D1:
                self._keep_answer(drill.answer)
            if self.app.screen is not drill and drill not in self.app.screen_stack:
                self.app.push_screen(DRILL_SCREEN)

        def too_slow() -> None:
            if not shown:
                drill.cover()
                show()

        from tui.explain.move import Horizon

        timer = self.set_timer(DRILL_WAIT, too_slow, name="drill-wait")
        drill.retarget(asset_id, day, answered=show, data=self._answers.get((asset_id, day)))

    def _keep_answer(self, data: DrillData) -> None:
        self._answers[(data.asset.id, data.day)] = data
        self._answers.move_to_end((data.asset.id, data.day))
        while len(self._answers) > ANSWERS_KEPT:
            self._answers.popitem(last=False)

    def drill_warm(self, data: DrillData | None) -> None:
        """The drill-down's modules and bundled files are loaded (replay), with the answer for
        one asset of the day when the warm-up computed one: rows the cursor rests on are
        explained ahead from now on, starting with the one it is on."""
        self._drill_warm = True
        if data is not None:
            self._keep_answer(data)
            if self._drill is None and self.day == data.day:
                self._compose_drill(data)
        table = self.focused
        if isinstance(table, QuoteTable) and table.cursor_key is not None:
            self._explain_ahead(table.cursor_key)

    def _compose_drill(self, data: DrillData) -> None:
        """Install the replay drill-down and have it composed now, off the screen stack, with
        the warm-up's answer: the first Enter is then a re-target like every other (composing
        the screen's widgets and footer took about a quarter of a second of that Enter).

        Textual composes an installed screen when it is first pushed; `App._get_screen` is
        what push_screen calls to compose it (Textual 8; the dependency is pinned below 9).
        """
        from tui.screens.drilldown import DrillDownScreen

        drill = self._drill = DrillDownScreen(self.source, data.asset.id, data.day)
        drill.preset(data)
        self.app.install_screen(drill, DRILL_SCREEN)
        self.app._get_screen(DRILL_SCREEN)

    @on(NavigableTable.Highlighted)
    def _highlighted(self, event: NavigableTable.Highlighted) -> None:
        if isinstance(event.table, QuoteTable) and event.table.has_focus:
            self._explain_ahead(event.row_key)

    def _explain_ahead(self, asset_id: str) -> None:
        """Compute, in a thread, the replay drill-down's answer for the row the cursor is on,
        while the user reads: one at a time, the latest row wanted next (a burst of cursor
        moves computes the row it stops on, not each one)."""
        from tui.assets import BY_ID

        day = self.day
        if day is None or not self._drill_warm or asset_id not in BY_ID:
            return
        if (asset_id, day) in self._answers:
            return
        with self._wanted_lock:
            self._wanted = (asset_id, day, self._chart_style())
            if self._computing_ahead:
                return
            self._computing_ahead = True
        self.run_worker(
            self._compute_ahead,
            thread=True,
            group="explain-ahead",
            exit_on_error=False,
            description="Explain the highlighted row ahead of Enter",
        )

    def _compute_ahead(self) -> None:
        from tui.explain.move import Horizon
        from tui.screens.drill_data import compute
        from widgets.chart import figure

        while True:
            with self._wanted_lock:
                wanted, self._wanted = self._wanted, None
                if wanted is None:
                    self._computing_ahead = False
                    return
            asset_id, day, style = wanted
            try:
                data = compute(self.source, asset_id, day, Horizon.D1, ())
                if style is not None and data.chart is not None and len(data.chart.values) > 1:
                    figure(data.chart, False, style)  # drawn ahead, kept for the chart's render
            except Exception:  # Enter computes it again and says why
                continue
            self.app.call_from_thread(self._keep_answer, data)

    def _chart_style(self) -> ChartStyle | None:
        """How the kept drill-down draws its chart (size, colours), once it has been shown."""
        if self._drill is None or not self._drill.is_attached:
            return None
        from widgets.chart import PlotextChart

        charts = self._drill.query(PlotextChart)
        return charts.first().chart_style() if charts else None


def _stock_date(snap: Snapshot) -> str:
    stock = next((f for f in snap.fear_greed.indices if f.id == "stock"), None)
    return str(stock.as_of) if stock and stock.as_of else "—"
