"""Answer clauses for the channels that moved: one clause each, with its numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.explain.channels import Channel
from tui.explain.fedodds import outcome_name

if TYPE_CHECKING:
    from tui.explain.engine import Explanation


def channel_clause(c: Channel, exp: Explanation) -> str:
    """The clause a moved channel adds to the answer."""
    if c.id == "fed_odds":
        return _fed_clause(exp)
    if c.id in ("stock_sentiment", "crypto_sentiment"):
        return _sentiment_clause(exp)
    top = max(c.items, key=lambda i: i.score)
    return top.text


def _fed_clause(exp: Explanation) -> str:
    """The Fed-odds change that moved most against its threshold (the window's, or the month
    before's), with the other end's level when it says more."""
    h, m = exp.fed.horizon, exp.fed.month
    ch = h if h is not None and (m is None or abs(h.change_pp) / 10 >= abs(m.change_pp) / 20) else m
    if ch is None:
        return ""
    word = "fell" if ch.change_pp < 0 else "rose"
    text = (
        f"{outcome_name(ch.move_bp, ch.meeting)} odds {word} from {ch.then * 100:.1f}% "
        f"({ch.then_day}) to {ch.now * 100:.1f}% ({ch.now_day})"
    )
    if (
        ch is h
        and m is not None
        and (m.meeting, m.move_bp, m.source) == (h.meeting, h.move_bp, h.source)
    ):
        text += f", against {m.then * 100:.1f}% a month before ({m.then_day})"
    return text


def _sentiment_clause(exp: Explanation) -> str:
    """Both fear & greed indices in one clause, with the providers' labels."""
    items = [
        i
        for c in exp.channels
        if c.id in ("stock_sentiment", "crypto_sentiment")
        for i in c.items
        if i.checked
        and i.value is not None
        and (c.relevant or i.extreme or "Extreme" in (i.label or ""))
    ]
    parts = []
    for i in items:
        who = "stock" if i.id.startswith("stock") else "crypto"
        decile = ", its extreme decile" if i.extreme else ""
        parts.append(f"{who} {i.value:.0f} ({i.label or 'no label'}{decile})")
    return "fear & greed " + ", ".join(parts)
