"""Fed-watch pane: cut / hold / hike odds for the next FOMC meetings, as recorded."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive

from tui.formatting import MISSING, move_name
from tui.model import FedMeeting
from widgets.navigable import NavigableTable
from widgets.palette import theme_style

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("meeting", "Meeting", 11),
    ("cut", "Cut", 7),
    ("hold", "Hold", 7),
    ("hike", "Hike", 7),
    ("d1", "Δ1d pp", 11),
    ("d1w", "Δ1w pp", 11),
)


def _side(probabilities: dict[int, float], sign: int) -> str:
    """Sum of the recorded probabilities on one side (cuts, hold or hikes), or missing."""
    picked = [p for move, p in probabilities.items() if (move > 0) - (move < 0) == sign]
    return f"{sum(picked) * 100:.1f}%" if picked else MISSING


def _change(changes: dict[int, float]) -> str:
    """The recorded change of the main outcome: 'cut +31.8'."""
    if not changes:
        return MISSING
    move, value = next(iter(sorted(changes.items())))
    return f"{move_name(move).split()[0]} {value:+.1f}"


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
        self.watch(self.app, "theme", self._recolour, init=False)

    def _recolour(self) -> None:
        self.forget_rows()
        self.watch_meetings(self.meetings)

    def watch_meetings(self, meetings: tuple[FedMeeting, ...]) -> None:
        if not self.columns:
            return
        gain, loss = theme_style(self, "gain"), theme_style(self, "loss")
        rows = []
        for m in meetings:
            probs = m.probabilities
            d1, d1w = _change(m.change_1d_pp), _change(m.change_1w_pp)
            cells = (
                Text(f" {m.date.isoformat()}"),
                Text(_side(probs, -1), justify="right"),
                Text(_side(probs, 0), justify="right"),
                Text(_side(probs, 1), justify="right"),
                Text(d1, justify="right", style=gain if "+" in d1 else loss if "-" in d1 else ""),
                Text(
                    d1w, justify="right", style=gain if "+" in d1w else loss if "-" in d1w else ""
                ),
            )
            rows.append((m.date.isoformat(), cells))
        self.show_rows(rows)
