"""`riskpulse snapshot` output: the `riskpulse.snapshot/1` JSON contract and a plain table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tui.formatting import (
    MISSING,
    fg_label,
    fmt_change,
    fmt_pct,
    fmt_price,
    move_name,
    signed,
)
from tui.model import FearGreedPane, FedWatch, Quote, QuotePane, Snapshot

SCHEMA = "riskpulse.snapshot/1"


def _clean(value: float | None, digits: int) -> float | None:
    """Round away float noise from differences (-0.030000000000000249 → -0.03)."""
    return None if value is None else round(value, digits)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def quote_json(quote: Quote) -> dict[str, Any]:
    """One Quote as the contract spells it; missing values are null, never 0."""
    return {
        "symbol": quote.symbol,
        "id": quote.id,
        "name": quote.name,
        "price": quote.price,
        "change": _clean(quote.change, 10),
        "change_pct": _clean(quote.change_pct, 6),
        "as_of": quote.as_of.isoformat() if quote.as_of else None,
        "source": quote.source,
        "stale": quote.stale,
        "from_high_pct": _clean(quote.from_high_pct, 6),
    }


def _pane_json(pane: QuotePane) -> dict[str, Any]:
    return {"quotes": [quote_json(q) for q in pane.quotes], "error": pane.error}


def _bp_keys(values: dict[int, float], digits: int) -> dict[str, float] | None:
    return {str(k): round(v, digits) for k, v in sorted(values.items())} or None


def _fed_json(fed: FedWatch) -> dict[str, Any]:
    return {
        "meetings": [
            {
                "date": m.date.isoformat(),
                "probabilities": _bp_keys(m.probabilities, 4),
                "change_1w_pp": _bp_keys(m.change_1w_pp, 2),
                "implied_rate": m.implied_rate,
            }
            for m in fed.meetings
        ],
        "source": fed.source,
        "as_of": _iso(fed.as_of),
        "error": fed.error,
    }


def _fg_json(pane: FearGreedPane) -> dict[str, Any]:
    return {
        "indices": [
            {
                "id": f.id,
                "value": f.value,
                "label": f.label,
                "previous": f.previous,
                "as_of": f.as_of.isoformat() if f.as_of else None,
                "source": f.source,
            }
            for f in pane.indices
        ],
        "error": pane.error,
    }


def snapshot_json(snap: Snapshot) -> dict[str, Any]:
    """The whole snapshot as `riskpulse.snapshot/1`."""
    return {
        "schema": SCHEMA,
        "as_of": _iso(snap.as_of),
        "mode": snap.mode.value,
        "panes": {
            "indices": _pane_json(snap.indices),
            "crypto": _pane_json(snap.crypto),
            "macro": _pane_json(snap.macro),
            "fedwatch": _fed_json(snap.fedwatch),
            "fear_greed": _fg_json(snap.fear_greed),
        },
        "breadth": {
            "risk_assets": snap.breadth.risk_assets,
            "down": snap.breadth.down,
            "label": snap.breadth.label,
        },
    }


def _quote_lines(title: str, pane: QuotePane, day: object) -> list[str]:
    lines = [title]
    if pane.error:
        lines.append(f"  ! {pane.error}")
    for q in pane.quotes:
        dated = q.as_of.isoformat() if q.as_of and q.as_of != day else ""
        note = q.detail or ""
        if q.stale_reason:
            note = f"{note} [stale: {q.stale_reason}]".strip()
        chg_pct = fmt_pct(q.change_pct) if q.change_pct is not None else ""
        high = fmt_pct(q.from_high_pct, 1) if q.from_high_pct is not None else ""
        lines.append(
            f"  {q.name:<22}{fmt_price(q):>12} {fmt_change(q):>10} {chg_pct:>8} "
            f"{high:>7} {dated:>10} {note}".rstrip()
        )
    return lines


def snapshot_table(snap: Snapshot) -> str:
    """Plain-text panes for a terminal or a log."""
    day = snap.day
    mode = f"REPLAY {day.isoformat()}" if day else snap.mode.value.upper()
    lines = [f"riskpulse  {mode}  as of {_iso(snap.as_of)}", snap.breadth.sentence(), ""]
    for title, pane in (
        ("INDICES", snap.indices),
        ("CRYPTO (USDT)", snap.crypto),
        ("GOLD & MACRO", snap.macro),
    ):
        lines += [*_quote_lines(title, pane, day), ""]
    fed = snap.fedwatch
    lines.append(f"FED-WATCH  source: {fed.source or MISSING}")
    if fed.error:
        lines.append(f"  ! {fed.error}")
    for m in fed.meetings:
        probs = (
            "  ".join(f"{move_name(k)} {v * 100:.1f}%" for k, v in sorted(m.probabilities.items()))
            or "no recorded odds"
        )
        lines.append(f"  {m.date.isoformat()}  {probs}")
        if m.note:
            lines.append(f"      {m.note}")
    lines += [f"  {n}" for n in fed.notes] + ["", "FEAR & GREED"]
    for f in snap.fear_greed.indices:
        dated = f" ({f.as_of})" if f.as_of and f.as_of != day else ""
        prev = signed(
            f.value - f.previous if f.value is not None and f.previous is not None else None
        )
        week = signed(
            f.value - f.week_ago if f.value is not None and f.week_ago is not None else None
        )
        lines.append(
            f"  {f.name:<12}{fg_label(f.value):>4}  {f.label or MISSING:<14} "
            f"1d {prev:>4}  1w {week:>4}{dated}"
        )
        lines += [f"      {name}: {text}" for name, text in f.components]
    return "\n".join(lines)
