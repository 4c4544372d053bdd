"""Fed-watch pane: the next FOMC meetings, each with its odds, the call and how the odds moved.

Below 120 terminal columns a row shows the cut / hold / hike sums, the call, its changes over a
day, a week and a month and the gap to the first prediction market beside it; from 120 columns
the sums give way to the whole distribution as a compact bar. A change is a probability
difference, not a gain or a loss: it is not coloured. Marks: `*` derived (the complement of a
two-outcome reading), `≈` a reading whose day is approximate; "split" when no outcome leads
clearly (`tui.fed_odds.call`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.reactive import reactive

from tui.fed_text import DERIVED, call_text, everything, focus, gap_text
from tui.formatting import MISSING, signed
from tui.model import FedMeeting
from widgets.navigable import ColumnSpec, NavigableTable

WIDE_AT = 120
"""Terminal columns from which the distribution bar replaces the cut / hold / hike sums."""
BAR_WIDTH = 18
NARROW: tuple[tuple[str, str, int], ...] = (
    ("meeting", " Meeting", 11),
    ("cut", "Cut", 6),
    ("hold", "Hold", 6),
    ("hike", "Hike", 6),
    ("call", " Call", 9),
    ("d1", "Δ1d", 6),
    ("d1w", "Δ1w", 6),
    ("d1m", "Δ1m", 6),
    ("gap", "Mkt±", 6),
)
"""The Δ columns and Mkt± (market minus main reading, pp) are about the outcome under Call (the
most probable one known when there is no call)."""
WIDE: tuple[tuple[str, str, int], ...] = (
    ("meeting", " Meeting", 12),
    ("bar", "Odds", BAR_WIDTH),
    ("call", " Call", 9),
    ("d1", "Δ1d", 6),
    ("d1w", "Δ1w", 6),
    ("d1m", "Δ1m", 6),
)
COMPACT: tuple[tuple[str, str, int], ...] = (
    ("meeting", "", 6),
    ("cut", "Cut", 7),
    ("hold", "Hold", 7),
    ("hike", "Hike", 7),
    ("call", " Call", 8),
    ("gap", "Mkt±", 5),
)
"""40 wide, for two panes side by side at 80 columns: the meeting as `12-10` (they are the next
few, in order), no changes; the call fits `hike 75`."""
BROAD_BAR_WIDTH = 45
BROAD: tuple[tuple[str, str, int], ...] = (
    ("meeting", " Meeting", 12),
    ("bar", "Odds: move in bp, probability in %", BROAD_BAR_WIDTH),
    ("call", " Call", 10),
    ("rate", "Rate", 7),
    ("d1", "Δ1d", 6),
    ("d1w", "Δ1w", 6),
    ("d1m", "Δ1m", 6),
    ("gap", "Mkt±", 6),
)
"""98 wide, from 180 columns: the whole distribution, each outcome labelled, and the rate the
odds imply."""
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
    return signed(changes[move], 1)


def _label(move: int, p: float) -> str:
    """Inside a segment: '+75 70' (move in bp, percent); only the move where that is all that
    fits."""
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
        # A bare percentage would be read as another outcome's: a narrow segment keeps its move
        # (its width already shows the probability), or stays blank.
        move = f"{k:+d}" if k else "0"
        fits = [t for t in (_label(k, p) + mark, move + mark, move) if len(t) <= n]
        text = fits[0].center(n) if fits else " " * n
        style = SEGMENT_STYLES[i % 2] + (" italic" if k in m.derived else "")
        bar.append(text, style=style)
    return bar


class FedTable(NavigableTable):
    """One row per upcoming meeting; a missing probability shows as a dash, never as 0.

    Compact: the sums, the call and the gap to the first market beside it (40 wide). Standard:
    the sums and every change below WIDE_AT terminal columns, the bar from it. Wide: a bar wide
    enough to label every outcome, the implied rate and the gap.
    """

    meetings: reactive[tuple[FedMeeting, ...]] = reactive((), always_update=True, repaint=False)
    """The meetings to show."""
    wide: reactive[bool] = reactive(False)
    """True from WIDE_AT terminal columns: the distribution bar replaces the sums."""
    LEFT_COLUMNS = frozenset({"meeting", "bar", "call"})

    def on_mount(self) -> None:
        # Before NavigableTable's on_mount (called after this one) lays the columns out.
        self.wide = self.app.size.width >= WIDE_AT

    def on_resize(self, _: events.Resize) -> None:
        self.wide = self.app.size.width >= WIDE_AT

    def watch_wide(self) -> None:
        if self.pane_layout == "standard":
            self.rebuild()

    def column_specs(self) -> Sequence[ColumnSpec]:
        if self.pane_layout == "compact":
            return COMPACT
        if self.pane_layout == "wide":
            return BROAD
        return WIDE if self.wide else NARROW

    def watch_meetings(self) -> None:
        self.redraw()

    def table_rows(self) -> list[tuple[str, Sequence[Text]]]:
        keys = [key for key, _, _ in self.column_specs()]
        rows: list[tuple[str, Sequence[Text]]] = []
        for m in self.meetings:
            about = focus(m)
            when = m.date.strftime("%m-%d") if self.pane_layout == "compact" else m.date.isoformat()
            cells = {
                "meeting": Text(f" {when}"),
                "call": Text(f" {call_text(m)}" if m.probabilities else f" {MISSING}"),
                "cut": Text(_side(m, -1), justify="right"),
                "hold": Text(_side(m, 0), justify="right"),
                "hike": Text(_side(m, 1), justify="right"),
                "gap": Text(gap_text(m), justify="right"),
                "rate": Text(
                    f"{m.implied_rate:.2f}%" if m.implied_rate is not None else MISSING,
                    justify="right",
                ),
            }
            for key, changes in (
                ("d1", m.change_1d_pp),
                ("d1w", m.change_1w_pp),
                ("d1m", m.change_1m_pp),
            ):
                cells[key] = Text(_change(changes, about), justify="right")
            if "bar" in keys:
                width = next(w for k, _, w in self.column_specs() if k == "bar")
                cells["bar"] = distribution_bar(m, width)
            rows.append((m.date.isoformat(), [cells[k] for k in keys]))
        return rows
