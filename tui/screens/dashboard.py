"""The dashboard: five panes on one screen, a header with mode and breadth, keys in the footer.

The screen owns the state (the day and its snapshot) and pushes it down into dumb widgets.
Loading runs in a thread worker, so the first frame never waits for the data.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.lazy import Lazy
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from tui.model import Snapshot
from tui.sources.replay import ReplaySource
from widgets.fear_greed_table import FearGreedTable
from widgets.fed_table import FedTable
from widgets.navigable import NavigableTable
from widgets.quote_table import QuoteTable
from widgets.status_bar import StatusBar

PANES: tuple[tuple[str, str], ...] = (
    ("indices", "Stock indices"),
    ("crypto", "Crypto · USDT"),
    ("fedwatch", "Fed watch"),
    ("macro", "Gold & macro"),
    ("fear_greed", "Fear & greed"),
)
"""Pane id and title, in Tab order."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "column-a": ("indices", "crypto", "fedwatch"),
    "column-b": ("macro", "fear_greed"),
}
"""Side by side from 100 columns; stacked (and scrolled) below that."""


class SnapshotLoaded(Message):
    """A snapshot for the requested day is ready."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        super().__init__()


class DashboardScreen(Screen[None]):
    """Indices, crypto, gold & macro, Fed watch and fear & greed for one day."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

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
    ]

    day: reactive[date | None] = reactive(None, init=False)
    """The replayed day; None when no data is shown (no live source)."""
    snapshot: reactive[Snapshot | None] = reactive(None, init=False)
    """What the panes show."""

    def __init__(self, source: ReplaySource, day: date | None) -> None:
        super().__init__()
        self.source = source
        self._initial_day = day

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        titles = dict(PANES)
        # The panes mount just after the first frame: the header paints at once.
        with Lazy(VerticalScroll(id="panes", can_focus=False)):
            for column, pane_ids in COLUMNS.items():
                with Vertical(id=column, classes="column"):
                    for pane_id in pane_ids:
                        with Vertical(id=f"pane-{pane_id}", classes="pane") as pane:
                            pane.border_title = titles[pane_id]
                            yield self._table_for(pane_id)
                            if pane_id in ("fedwatch", "fear_greed"):
                                yield Static(
                                    "", id=f"{pane_id}-notes", classes="notes", markup=False
                                )
        yield Static("", id="notice", markup=False)
        yield Footer()

    @staticmethod
    def _table_for(pane_id: str) -> Widget:
        if pane_id == "fedwatch":
            return FedTable(id="table-fedwatch")
        if pane_id == "fear_greed":
            return FearGreedTable(id="table-fear_greed")
        return QuoteTable(id=f"table-{pane_id}")

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        if self._initial_day is None:
            status.mode = "NO DATA"
            self.query_one("#notice", Static).update(
                "No live source is available in this build. "
                "Press r to replay the last bundled day, or g to pick a day."
            )
            self.query_one("#notice").display = True
            return
        self.day = self._initial_day

    # -- data ---------------------------------------------------------------------------------

    def watch_day(self, day: date | None) -> None:
        if day is None:
            return
        self.query_one(StatusBar).mode = f"REPLAY {day.isoformat()}"
        # Parsing CSVs holds the GIL: start only once the frame with the header is out.
        self.call_after_refresh(self.load, day)

    @work(
        thread=True,
        group="replay",
        exclusive=True,
        exit_on_error=False,
        description="Load the replayed day from the bundled data",
    )
    def load(self, day: date) -> None:
        """Build the day's snapshot off the UI thread."""
        snapshot = self.source.snapshot(day)
        # The trading calendar reads every bundled file once: do it here, not on the first `]`.
        self.source.history.trading_days()
        self.post_message(SnapshotLoaded(snapshot))

    @on(SnapshotLoaded)
    def _loaded(self, message: SnapshotLoaded) -> None:
        if message.snapshot.day == self.day:
            self.snapshot = message.snapshot

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.query_one("#notice", Static).update(f"Could not load the day: {error}")
            self.query_one("#notice").display = True
            for table in self.query(NavigableTable):
                table.loading = False

    def watch_snapshot(self, snap: Snapshot | None) -> None:
        if snap is not None:
            self._apply(snap)

    def _apply(self, snap: Snapshot) -> None:
        """Push the snapshot into the panes (once they are mounted)."""
        if not self.query("#table-indices"):
            self.call_after_refresh(self._apply, snap)
            return
        if snap is not self.snapshot:
            return
        self.query_one("#notice").display = False
        status = self.query_one(StatusBar)
        status.as_of = snap.as_of.strftime("as of %Y-%m-%d %H:%MZ")
        status.breadth = snap.breadth.sentence()
        status.direction = (
            "loss"
            if snap.breadth.down > snap.breadth.up
            else "gain"
            if snap.breadth.up > snap.breadth.down
            else "flat"
        )
        for pane_id in ("indices", "crypto", "macro"):
            table = self.query_one(f"#table-{pane_id}", QuoteTable)
            table.day = snap.day
            table.quotes = getattr(snap, pane_id).quotes
            table.loading = False
            self._subtitle(pane_id, snap)
        fed = self.query_one(FedTable)
        fed.meetings = snap.fedwatch.meetings
        fed.loading = False
        fg = self.query_one(FearGreedTable)
        fg.day = snap.day
        fg.readings = snap.fear_greed.indices
        fg.loading = False
        self._notes(snap)
        if not isinstance(self.focused, NavigableTable):
            self.query_one("#table-indices").focus()

    def _subtitle(self, pane_id: str, snap: Snapshot) -> None:
        pane = self.query_one(f"#pane-{pane_id}")
        stale = [q for q in getattr(snap, pane_id).quotes if q.stale]
        parts = []
        if pane_id == "macro" and (target := snap.quote("fed_target")) and target.detail:
            parts.append(f"Fed target {target.detail}%")
        if stale:
            parts.append(f"{len(stale)} stale: {stale[0].stale_reason}")
        pane.border_subtitle = Content(" · ".join(parts)) if parts else None

    def _notes(self, snap: Snapshot) -> None:
        fed = snap.fedwatch
        lines = [f"source: {fed.source}" if fed.source else "source: none recorded"]
        if fed.error:
            lines.append(fed.error)
        lines += [f"{m.date}: {m.note}" for m in fed.meetings if m.note]
        lines += list(fed.notes)
        self.query_one("#fedwatch-notes", Static).update(Content("\n".join(lines)))
        comps = [f"{name}: {text}" for f in snap.fear_greed.indices for name, text in f.components]
        sources = " · ".join(f"{f.name}: {f.source}" for f in snap.fear_greed.indices)
        body = ([f"CNN components ({_stock_date(snap)})", *comps] if comps else []) + [sources]
        if snap.fear_greed.error:
            body.insert(0, snap.fear_greed.error)
        self.query_one("#fear_greed-notes", Static).update(Content("\n".join(body)))

    # -- keys ---------------------------------------------------------------------------------

    def _tables(self) -> list[NavigableTable]:
        return [self.query_one(f"#table-{pane_id}", NavigableTable) for pane_id, _ in PANES]

    def action_focus_pane(self, offset: int) -> None:
        """Move focus to the next or previous pane (Tab / Shift+Tab)."""
        tables = self._tables()
        focused = self.focused
        i = tables.index(focused) if focused in tables else -1
        tables[(i + offset) % len(tables)].focus()

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
        """Step one trading day back or forward."""
        if self.day is None:
            return
        self.day = self.source.history.step(self.day, offset)

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
        if self.day is None:
            self.query_one("#notice").display = False
            for table in self.query(NavigableTable):
                table.loading = True
            self.query_one("#table-indices").focus()
        self.day = day

    def action_replay_latest(self) -> None:
        """Replay the last day in the bundle."""
        self.set_day(self.source.history.span()[1])

    @on(QuoteTable.Opened)
    def _open(self, message: QuoteTable.Opened) -> None:
        self.open_asset(message.asset_id)

    @on(DataTable.RowSelected)
    def _not_a_quote(self, event: DataTable.RowSelected) -> None:
        if not isinstance(event.data_table, QuoteTable):
            self.notify(
                "The drill-down explains quotes: pick an index, coin or macro row.",
                severity="information",
            )

    def open_asset(self, asset_id: str) -> None:
        """Open the drill-down of an asset on the shown day."""
        from tui.assets import BY_ID
        from tui.screens.drilldown import DrillDownScreen

        if self.day is None:
            return
        if asset_id not in BY_ID:
            self.notify("No drill-down for this row yet: it has no daily close of its own.")
            return
        self.app.push_screen(DrillDownScreen(self.source, asset_id, self.day))


def _stock_date(snap: Snapshot) -> str:
    stock = next((f for f in snap.fear_greed.indices if f.id == "stock"), None)
    return str(stock.as_of) if stock and stock.as_of else "—"
