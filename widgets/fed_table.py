"""Fed-watch pane: cut / hold / hike odds for the next FOMC meetings, the most likely outcome
and how its probability changed over a day, a week and a month (a change is a probability
difference, not a gain or a loss: it is not coloured)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive

from tui.formatting import MISSING, move_name
from tui.model import FedMeeting
from widgets.navigable import NavigableTable

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("meeting", "Meeting", 11),
    ("cut", "Cut", 6),
    ("hold", "Hold", 6),
    ("hike", "Hike", 6),
    ("likely", "Likely", 8),
    ("d1", "Δ1d", 6),
    ("d1w", "Δ1w", 6),
    ("d1m", "Δ1m", 6),
)
"""The Δ columns are the change, in percentage points, of the outcome named under Likely."""


def _side(probabilities: dict[int, float], sign: int) -> str:
    """Sum of the recorded probabilities on one side (cuts, hold or hikes), or missing."""
    picked = [p for move, p in probabilities.items() if (move > 0) - (move < 0) == sign]
    return f"{sum(picked) * 100:.1f}%" if picked else MISSING


def likely(probabilities: dict[int, float]) -> int | None:
    """The recorded outcome with the highest probability (the move in bp)."""
    if not probabilities:
        return None
    return max(probabilities.items(), key=lambda kv: kv[1])[0]


def _change(changes: dict[int, float], move: int | None) -> str:
    """The change of one outcome in percentage points, or a dash when none was kept."""
    if move is None or move not in changes:
        return MISSING
    return f"{changes[move]:+.1f}"


class FedTable(NavigableTable):
    """One row per upcoming meeting; a missing probability shows as a dash, never as 0."""

    meetings: reactive[tuple[FedMeeting, ...]] = reactive((), always_update=True, repaint=False)
    """The meetings to show."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.cell_padding = 0
        for key, label, width in COLUMNS:
            self.add_column(
                Text(label, justify="left" if key == "meeting" else "right"), width=width, key=key
            )
        # The signal comes after the new theme's variables are in force; a watch on `theme`
        # would recolour with the old ones.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._recolour())

    def _recolour(self) -> None:
        self.forget_rows()
        self.watch_meetings(self.meetings)

    def watch_meetings(self, meetings: tuple[FedMeeting, ...]) -> None:
        if not self.columns:
            return
        rows = []
        for m in meetings:
            probs = m.probabilities
            main = likely(probs)
            deltas = [_change(c, main) for c in (m.change_1d_pp, m.change_1w_pp, m.change_1m_pp)]
            cells = (
                Text(f" {m.date.isoformat()}"),
                Text(_side(probs, -1), justify="right"),
                Text(_side(probs, 0), justify="right"),
                Text(_side(probs, 1), justify="right"),
                Text(f" {move_name(main)}" if main is not None else f" {MISSING}"),
                *(Text(d, justify="right") for d in deltas),
            )
            rows.append((m.date.isoformat(), cells))
        self.show_rows(rows)
