"""Words and marks for the Fed-watch pane, shared by the widget and `riskpulse snapshot`.

Plain text only; styling is the caller's business.
"""

from __future__ import annotations

from tui.fed_odds import SHORT_LABEL, CallState, call, is_complete
from tui.formatting import MISSING, move_name, signed
from tui.model import FedCross, FedMeeting

DERIVED = "*"
"""Marks a probability computed as the complement of a two-outcome reading."""
APPROXIMATE = "≈"
"""Marks a reading whose day the data give only approximately."""
LEGEND = f"{DERIVED} derived: 1 − the one outcome recorded; {APPROXIMATE} approximate date"


def everything(m: FedMeeting | FedCross) -> dict[int, float]:
    """Recorded and derived outcomes together, by move."""
    return dict(sorted({**m.probabilities, **m.derived}.items()))


def stated(m: FedMeeting) -> tuple[int | None, CallState | None]:
    """The meeting's call; for a row whose producer did not state one (a cache written before
    the call existed), the same rule applied to what it holds."""
    if m.call_state is not None or not m.probabilities:
        return m.call, m.call_state
    known = everything(m)
    return call(known, is_complete(known))


def focus(m: FedMeeting) -> int | None:
    """The outcome the row is about: the call, else the most probable one known."""
    called, _ = stated(m)
    if called is not None:
        return called
    known = everything(m)
    return max(known.items(), key=lambda kv: kv[1])[0] if known else None


def pct(m: FedMeeting | FedCross, move: int) -> str:
    """'39.1%', '60.9%*' (derived) or the missing mark."""
    if move in m.probabilities:
        return f"{m.probabilities[move] * 100:.1f}%"
    if move in m.derived:
        return f"{m.derived[move] * 100:.1f}%{DERIVED}"
    return MISSING


def call_text(m: FedMeeting) -> str:
    """'hike 75', 'hold*' (the call is a derived outcome), '≈hold', 'split' or the missing mark."""
    mark = APPROXIMATE if m.approximate else ""
    called, state = stated(m)
    if state is CallState.SPLIT:
        return f"{mark}split"
    if called is None:
        return MISSING
    derived = DERIVED if called in m.derived else ""
    return f"{mark}{move_name(called)}{derived}"


def distribution_text(m: FedMeeting | FedCross) -> str:
    """'cut 25 39.1% · hold 60.9%*', every outcome given, or 'no recorded odds'."""
    known = everything(m)
    if not known:
        return "no recorded odds"
    return " · ".join(f"{move_name(k)} {pct(m, k)}" for k in known)


def market_text(m: FedMeeting) -> str | None:
    """'Polymarket: hold 65.5% · cut 25 34.5%*; gap hold +4.6 pp' for each market beside."""
    parts = []
    about = focus(m)
    for c in m.markets:
        text = f"{SHORT_LABEL[c.source]}: {distribution_text(c)}"
        if about is not None and about in c.gap_pp:
            text += f"; gap {move_name(about)} {signed(c.gap_pp[about], 1)} pp"
        elif c.gap_pp:
            k, gap = next(iter(c.gap_pp.items()))
            text += f"; gap {move_name(k)} {signed(gap, 1)} pp"
        else:
            text += "; no outcome to compare"
        parts.append(text)
    return " | ".join(parts) or None


def gap_text(m: FedMeeting) -> str:
    """The first market's gap on the row's outcome, pp, or the missing mark."""
    about = focus(m)
    for c in m.markets:
        if about is not None and about in c.gap_pp:
            return signed(c.gap_pp[about], 1)
    return MISSING


def meeting_line(m: FedMeeting, day: object) -> str:
    """One text line: date, distribution, call, changes of the call's outcome, reading day."""
    about = focus(m)
    deltas = "  ".join(
        f"Δ{name} {signed(changes[about], 1)}"
        for name, changes in (
            ("1d", m.change_1d_pp),
            ("1w", m.change_1w_pp),
            ("1m", m.change_1m_pp),
        )
        if about is not None and about in changes
    )
    dated = ""
    if m.as_of is not None and m.as_of != day:
        dated = f"(reading of {APPROXIMATE if m.approximate else ''}{m.as_of})"
    elif m.approximate:
        dated = f"({APPROXIMATE} the day is approximate)"
    call = f"call: {call_text(m)}" if m.probabilities else ""
    parts = (m.date.isoformat(), distribution_text(m), call, deltas, dated)
    return "  ".join(p for p in parts if p)
