"""Fed-watch pane: the next FOMC meetings, each with its odds, the call and how the odds moved.

Below 120 terminal columns a row shows the cut / hold / hike sums, the call, its changes over a
day, a week and a month and the gap to the first prediction market beside it; from 120 columns
the sums give way to the whole distribution as a compact bar. A change is a probability
difference, not a gain or a loss: it is not coloured. Marks: `*` derived (the complement of a
two-outcome reading), `≈` a reading whose day is approximate; "split" when no outcome leads
clearly (`tui.fed_odds.call`).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.reactive import reactive

from tui.fed_text import DERIVED, call_text, everything, focus, gap_text
from tui.formatting import MISSING
from tui.model import FedMeeting
from widgets.navigable import NavigableTable

WIDE_AT = 120
"""Terminal columns from which the distribution bar replaces the cut / hold / hike sums."""
BAR_WIDTH = 18
NARROW: tuple[tuple[str, str, int], ...] = (
    ("meeting", "Meeting", 11),
    ("cut", "Cut", 6),
    ("hold", "Hold", 6),
    ("hike", "Hike", 6),
    ("call", "Call", 9),
    ("d1", "Δ1d", 6),
    ("d1w", "Δ1w", 6),
    ("d1m", "Δ1m", 6),
    ("gap", "Mkt±", 6),
)
"""The Δ columns and Mkt± (market minus main reading, pp) are about the outcome under Call (the
most probable one known when there is no call)."""
WIDE: tuple[tuple[str, str, int], ...] = (
    ("meeting", "Meeting", 12),
    ("bar", "Odds", BAR_WIDTH),
    ("call", "Call", 9),
    ("d1", "Δ1d", 6),
    ("d1w", "Δ1w", 6),
    ("d1m", "Δ1m", 6),
)
SEGMENT_STYLES = ("reverse", "reverse dim")
"""Neighbouring outcomes alternate; reverse video reads in 16 colours and under NO_COLOR."""


def _side(m: FedMeeting, sign: int) -> str:
    """Sum of the known probabilities on one side (cuts, hold or hikes), or missing."""
    known = everything(m)
    picked = [p for move, p in known.items() if (move > 0) - (move < 0) == sign]
    derived = any((move > 0) - (move < 0) == sign for move in m.derived)
    return f"{sum(picked) * 100:.1f}%{DERIVED if derived else ''}" if picked else MISSING


def _change(changes: dict[int, float], move: int | None) -> str:
    """The change of one outcome in percentage points, or a dash when none was kept."""
    if move is None or move not in changes:
        return MISSING
    return f"{changes[move]:+.1f}"


def _label(move: int, p: float) -> str:
    """Inside a segment: '+75 70' (move in bp, percent); only the percent where that is all
    that fits."""
    return f"{move:+d} {p * 100:.0f}" if move else f"0 {p * 100:.0f}"


def distribution_bar(m: FedMeeting, width: int = BAR_WIDTH) -> Text:
    """Each outcome a segment as wide as its probability (largest remainders), labelled where
    the label fits; derived outcomes are italic and marked."""
    known = everything(m)
    if not known:
        return Text("no recorded odds", style="dim")
    total = sum(known.values()) or 1.0
    exact = [(k, p / total * width) for k, p in known.items()]
    cells = {k: int(w) for k, w in exact}
    spare = width - sum(cells.values())
    for k, _ in sorted(exact, key=lambda kw: kw[1] - int(kw[1]), reverse=True)[:spare]:
        cells[k] += 1
    bar = Text(no_wrap=True, overflow="crop")
    for i, (k, p) in enumerate(known.items()):
        n = cells[k]
        if n == 0:
            continue
        mark = DERIVED if k in m.derived else ""
        fits = [t for t in (_label(k, p) + mark, f"{p * 100:.0f}{mark}") if len(t) <= n]
        text = fits[0].center(n) if fits else " " * n
        style = SEGMENT_STYLES[i % 2] + (" italic" if k in m.derived else "")
        bar.append(text, style=style)
    return bar


class FedTable(NavigableTable):
    """One row per upcoming meeting; a missing probability shows as a dash, never as 0."""

    meetings: reactive[tuple[FedMeeting, ...]] = reactive((), always_update=True, repaint=False)
    """The meetings to show."""
    wide: reactive[bool] = reactive(False)
    """True from WIDE_AT terminal columns: the distribution bar replaces the sums."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.cell_padding = 0
        self.wide = self.app.size.width >= WIDE_AT
        self._columns()
        # The signal comes after the new theme's variables are in force; a watch on `theme`
        # would recolour with the old ones.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._recolour())

    def on_resize(self, _: events.Resize) -> None:
        self.wide = self.app.size.width >= WIDE_AT

    def watch_wide(self) -> None:
        if self.is_mounted and self.columns:
            self._columns()
            self.watch_meetings(self.meetings)

    def _columns(self) -> None:
        self.forget_rows()
        self.clear(columns=True)
        for key, label, width in WIDE if self.wide else NARROW:
            left = key in ("meeting", "bar", "call")
            self.add_column(Text(label, justify="left" if left else "right"), width=width, key=key)

    def _recolour(self) -> None:
        self.forget_rows()
        self.watch_meetings(self.meetings)

    def watch_meetings(self, meetings: tuple[FedMeeting, ...]) -> None:
        if not self.columns:
            return
        rows = []
        for m in meetings:
            about = focus(m)
            deltas = [_change(c, about) for c in (m.change_1d_pp, m.change_1w_pp, m.change_1m_pp)]
            head = [Text(f" {m.date.isoformat()}")]
            call = Text(f" {call_text(m)}" if m.probabilities else f" {MISSING}")
            if self.wide:
                middle = [distribution_bar(m), call]
                tail: list[Text] = []
            else:
                middle = [Text(_side(m, s), justify="right") for s in (-1, 0, 1)] + [call]
                tail = [Text(gap_text(m), justify="right")]
            cells = (*head, *middle, *(Text(d, justify="right") for d in deltas), *tail)
            rows.append((m.date.isoformat(), cells))
        self.show_rows(rows)
