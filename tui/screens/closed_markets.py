"""Closed markets in the live panes: a shut market's row says `close 11-26` in its Date column."""

from __future__ import annotations

from textual.screen import Screen
from textual.timer import Timer

from tui.model import Snapshot
from widgets.quote_table import QuoteTable


class ClosedMarkets:
    """`close 11-26` in the Date column of a live row whose market is shut now.

    The app reads the exchange calendars off the UI thread when first asked
    (`RiskPulseApp.close_label`), so the first answer is "none"; a light timer notices when a
    reading arrives (the feed swaps in a new list, each minute) and labels the rows again.
    """

    POLL_SECONDS = 2.0
    """How often to look for a new calendar reading (a cheap identity check)."""

    def __init__(self, screen: Screen[None]) -> None:
        self.screen = screen
        self.snapshot: Snapshot | None = None
        self._seen: object = None
        self._timer: Timer | None = None

    def update(self, snap: Snapshot | None) -> None:
        """Label the rows of a live snapshot (None: a replayed day, where every row is a close)."""
        self.snapshot = snap
        ask = getattr(self.screen.app, "close_label", None)
        labels: dict[str, str] = {}
        if snap is not None and ask is not None:
            for q in (*snap.indices.quotes, *snap.crypto.quotes, *snap.macro.quotes):
                label = ask(q.id, q.as_of)
                if isinstance(label, str):
                    labels[q.id] = label
            if self._timer is None and getattr(self.screen.app, "sessions", None) is not None:
                self._timer = self.screen.set_interval(
                    self.POLL_SECONDS, self._poll, name="closed-markets"
                )
        for pane_id in ("indices", "crypto", "macro"):
            table = self.screen.query_one(f"#table-{pane_id}", QuoteTable)
            shown = {k: v for k, v in labels.items() if any(q.id == k for q in table.quotes)}
            if shown != table.closes:
                table.closes = shown

    def _poll(self) -> None:
        feed = getattr(self.screen.app, "sessions", None)
        current = getattr(feed, "sessions", None)
        if current is not self._seen:
            self._seen = current
            if self.snapshot is not None and self.snapshot is getattr(
                self.screen, "snapshot", None
            ):
                self.update(self.snapshot)
