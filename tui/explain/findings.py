"""Ranked findings and limits: one sentence each, strongest first, every one with its numbers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from tui.assets import BY_ID, Region
from tui.explain.attribution import WEAK_R2
from tui.explain.channels import MOVED, NO_DATA, QUIET
from tui.explain.headlines import Headline, coverage
from tui.numtext import plain, share_text, signed

if TYPE_CHECKING:
    from tui.explain.engine import Explanation


def short(asset_id: str) -> str:
    """The name in prose."""
    return BY_ID[asset_id].name.replace(" (adj.)", "")


def _u(asset_id: str) -> str:
    from tui.explain.answer import unit_of

    return unit_of(asset_id)


def move_sentence(exp: Explanation) -> str:
    """The move itself: size, σ, rank."""
    from tui.explain.answer import level_unit, when_text

    m = exp.move
    name = short(exp.asset_id)
    if m.size is None and m.change is not None:
        rank = f", the #{m.rank_1y} largest of the past year" if m.rank_1y else ""
        return (
            f"{name} moved {signed(m.change, 2)} {level_unit(exp.asset_id)} {when_text(exp)}, from "
            f"{m.start_level:g} to {m.level:g}{rank}; a percent change from a close at or below "
            "zero is undefined, so the move is not sized in σ and that day stays out of σ."
        )
    rank = (
        f", the #{m.rank_1y} largest {m.horizon.value} move of the past year" if m.rank_1y else ""
    )
    size = m.size or 0.0
    if size == 0:
        return f"{name} did not move {when_text(exp)} (0{_u(exp.asset_id)})."
    if m.sigma is None:
        return (
            f"{name} moved {signed(size, 2)}{_u(exp.asset_id)} {when_text(exp)}; "
            f"{m.note or 'there is too little history to size this move'}{rank}."
        )
    return (
        f"{name} moved {signed(size, 2)}{_u(exp.asset_id)} {when_text(exp)}: "
        f"{signed(m.sigma, 1)}σ of its own recent moves{rank}."
    )


def _attribution_sentences(exp: Explanation) -> list[str]:
    from tui.explain.answer import market_split

    att, size = exp.attribution, exp.move.size
    out: list[str] = []
    if att is None:
        return out
    if att.r2 is None:
        out.append(f"No attribution: {att.note or 'no regression'}.")
        return out
    if att.r2 < WEAK_R2:
        out.append(
            f"Cross-asset moves explain little of this asset's day-to-day moves "
            f"(R² {att.r2:.2f} over {att.rows} days), so no driver is claimed."
        )
        return out
    split = market_split(exp)
    if split:
        out.append(split[0].upper() + split[1:] + f" (R² {att.r2:.2f}).")
    u = _u(exp.asset_id)
    for d in att.drivers:
        if d.factor.kind != "macro" or not d.shown or d.contribution is None or not size:
            continue
        unit = "bp" if BY_ID[d.factor.id].unit.value != "price" else "%"
        out.append(
            f"{d.factor.label} {signed(d.factor_move, 2)}{unit} accounts for "
            f"{signed(d.contribution, 2)}{u} ({share_text(d.contribution / size)}) "
            f"with beta {plain(d.beta, 2)} (t {plain(d.t, 1)})."
        )
    folded = [d for d in att.drivers if not d.shown]
    if folded:
        parts = "; ".join(f"{d.factor.label}: {d.note}" for d in folded)
        out.append(
            f"Other factors, {signed(att.folded, 2)}{u} together, get no line of their own "
            f"({parts})."
        )
    nulls = [d for d in att.drivers if d.shown and d.factor_move is None]
    out += [f"{d.factor.label}: no move counted ({d.note})." for d in nulls]
    return out


def findings_of(exp: Explanation) -> tuple[str, ...]:
    """Every finding, ranked: the move, its split, the shape, leaders, the kind, the channels
    that moved, the sequence, breadth, peers, the quiet channels, analogs, then the rest."""
    asset = BY_ID[exp.asset_id]
    out = [move_sentence(exp)]
    att_lines = _attribution_sentences(exp)
    out += att_lines[:1]
    if exp.shape is not None and exp.shape.notable:
        out.append(f"Shape of the day: {exp.shape.text}.")
    for lead in exp.leaders:
        how = "led it (≥1.5σ)" if lead.led else "moved with it, under the 1.5σ that makes a leader"
        out.append(f"{short(lead.id)} {signed(lead.move_pct, 2)}% ({signed(lead.z, 1)}σ) {how}.")
    out.append(f"Kind: {exp.kind.kind.replace('_', ' ')} — {exp.kind.reason}.")
    rel = [c for c in exp.channels if c.relevant]
    out += [f"{c.label} moved: {c.text}." for c in rel if c.status == MOVED]
    if exp.sequence is not None:
        out.append(f"Across time zones {exp.sequence.text}.")
    out += att_lines[1:]
    if exp.market_breadth is not None and exp.breadth is not None:
        b = exp.breadth
        out.append(
            f"Breadth (as in the header): {exp.market_breadth.text}. Of the {b.risk_assets} "
            f"other risk assets, {b.same_direction} moved ≥1σ its way ({b.scope})."
        )
    if exp.peer_moves:
        peers = "; ".join(
            f"{short(p)} {signed(v, 2)}{_u(p)} ({signed(z, 1)}σ)" for p, v, z in exp.peer_moves
        )
        out.append(f"Its class peers that day: {peers}.")
    quiet = [f"{c.label.lower()} ({c.text})" for c in rel if c.status == QUIET]
    if quiet:
        rule = "no reading 1.5σ or more or in its extreme decile, no factor carrying half the move"
        out.append(f"Checked, quiet ({rule}): " + "; ".join(quiet) + ".")
    if exp.episode is not None:
        e = exp.episode
        others = "; ".join(f"{a.name} {a.similarity:.2f}" for a in exp.episodes[1:])
        out.append(
            f"Of the named episodes it most resembles {e.date} ({e.name}), similarity "
            f"{e.similarity:.2f}{_after(exp, e.after_5d, e.after_1m)}"
            + (f" (others: {others})" if others else "")
            + "."
        )
    if exp.analogs:
        days = "; ".join(
            f"{a.date} ({a.similarity:.2f}{_after(exp, a.after_5d, a.after_1m)})"
            for a in exp.analogs
        )
        out.append(f"Closest past days across markets: {days}.")
    other = [c for c in exp.channels if not c.relevant and c.status != NO_DATA]
    if other:
        cls = asset.asset_class.value
        out.append(
            f"Also checked, outside the {cls} story: "
            + "; ".join(f"{c.label} {c.status} ({c.text})" for c in other)
            + "."
        )
    return tuple(out)


def _after(exp: Explanation, a5: float | None, a21: float | None) -> str:
    if a5 is None and a21 is None:
        return ""
    u = _u(exp.asset_id)
    f5 = "—" if a5 is None else f"{signed(a5, 1)}{u}"
    f21 = "—" if a21 is None else f"{signed(a21, 1)}{u}"
    return f"; what followed then: {f5} over 5 days, {f21} over a month"


def limits_of(exp: Explanation) -> tuple[str, ...]:
    """What the data cannot tell, including every relevant channel without data."""
    out = []
    for c in exp.channels:
        if c.relevant and c.status == NO_DATA:
            out.append(f"{c.label}: no data — {c.text}.")
        elif c.relevant:
            out += [
                f"{i.text[0].upper()}{i.text[1:]}."
                for i in c.items
                if i.value is None and i.change is None
            ]
    if exp.analog_note:
        out.append(f"No analogs: {exp.analog_note}.")
    if not exp.headlines:
        first, last = coverage()
        out.append(
            f"No headline about it was found within 36 hours before the close (recorded news "
            f"covers {first} to {last}, with gaps; live mode also searches the feeds it fetched)."
        )
    out.append(
        "The data cannot tell who traded or why: order flow, positioning and intraday timing "
        "beyond the open, high, low and close are not recorded; analogs describe what followed "
        "then, not a forecast."
    )
    return tuple(out)


def session_of(asset_id: str, day: datetime) -> tuple[datetime, datetime]:
    """The asset's session on a day, UTC (New York 14:30–21:00; Asia and Europe their local
    day; crypto the UTC day)."""
    asset = BY_ID[asset_id]
    d = day.date()
    if asset.weekends:
        start = datetime.combine(d, time(0), UTC)
        return start, start + timedelta(days=1)
    if asset.region is Region.ASIA:
        return datetime.combine(d, time(0), UTC), datetime.combine(d, time(9), UTC)
    if asset.region is Region.EUROPE:
        return datetime.combine(d, time(7), UTC), datetime.combine(d, time(16, 30), UTC)
    return datetime.combine(d, time(14, 30), UTC), datetime.combine(d, time(21), UTC)


LATE = timedelta(hours=2)
"""A headline published in the session's last two hours came after most of the move: it is
listed, but the answer does not tie the move to it."""


def timely_headline(exp: Explanation) -> Headline | None:
    """The strongest headline naming the asset or a leader, published (not first seen) during
    its session while there was still time for the move to follow it."""
    day = datetime.combine(exp.move.day, time(12), UTC)
    start, end = session_of(exp.asset_id, day)
    for h in exp.headlines:
        if h.score >= 3 and start <= h.time <= end - LATE and h.time_quality == "published":
            return h
    return None
