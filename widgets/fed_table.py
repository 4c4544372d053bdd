"""Fed-watch pane: the next FOMC meetings, each with its odds, the call and how the odds moved.

Below 120 terminal columns a row shows the cut / hold / hike sums, the call, its changes over a
day, a week and a month and the gap to the first prediction market beside it; from 120 columns
the sums give way to the whole distribution as a compact bar. A change is a probability
difference, not a gain or a loss: it is not coloured. Marks: `*` derived (the complement of a
two-outcome reading), `≈` a reading whose day is approximate, `…N` ending a bar: N least probable
outcomes left out for want of room; "split" when no outcome leads clearly (`tui.fed_odds.call`).
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
    """'+75 70' (move in bp, probability in %); '0 17' for a hold."""
    return f"{move:+d} {p * 100:.0f}" if move else f"0 {p * 100:.0f}"


LEFT_OUT = "…"
"""Ends a bar too narrow for every outcome's label, followed by how many were left out (the
least probable ones); the notes and `riskpulse snapshot` give the whole distribution."""


def _widths(
    known: dict[int, float], labels: dict[int, str], width: int
) -> tuple[dict[int, int], int]:
    """Cells per shown outcome and how many outcomes were left out.

    Every shown outcome gets at least its label's width, so its probability is always printed;
    the cells left over go one at a time to the segment furthest below its proportional share.
    Outcomes are left out, least probable first, only when the labels alone overflow `width`.
    """
    by_odds = sorted(known, key=lambda k: known[k], reverse=True)
    shown: list[int] = []
    for count in range(len(by_odds), 0, -1):
        shown = by_odds[:count]
        left = len(by_odds) - count
        mark = len(f"{LEFT_OUT}{left}") if left else 0
        if sum(len(labels[k]) for k in shown) + mark <= width:
            break
    else:
        shown = []
    left = len(known) - len(shown)
    mark = len(f"{LEFT_OUT}{left}") if left else 0
    cells = {k: len(labels[k]) for k in shown}
    total = sum(known[k] for k in shown) or 1.0
    room = width - mark
    for _ in range(max(room - sum(cells.values()), 0) if shown else 0):
        k = max(shown, key=lambda k: known[k] / total * room - cells[k])
        cells[k] += 1
    return cells, left


def distribution_bar(m: FedMeeting, width: int = BAR_WIDTH) -> Text:
    """Each outcome a segment labelled with its move (bp) and probability (%), wider the more
    probable it is; derived outcomes are italic and marked.

    Every outcome with a probability is printed; where the labels cannot all fit in `width`,
    the least probable are left out and the bar ends `…N` (N of them), never silently.
    """
    known = everything(m)
    if not known:
        return Text("no recorded odds", style="dim")
    labels = {k: _label(k, p) + (DERIVED if k in m.derived else "") for k, p in known.items()}
    cells, left = _widths(known, labels, width)
    bar = Text(no_wrap=True, overflow="crop")
    for i, k in enumerate(k for k in known if k in cells):
        style = SEGMENT_STYLES[i % 2] + (" italic" if k in m.derived else "")
        bar.append(labels[k].center(cells[k]), style=style)
    if left:
        bar.append(f"{LEFT_OUT}{left}".rjust(width - bar.cell_len), style="dim")
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
