"""An explanation as JSON (`riskpulse.explain/2`, `/1` on request) and as terminal text.

JSON is strict: a number that is NaN or infinite is `null`, never a token JSON lacks.
"""

from __future__ import annotations

import math
from typing import Any

from tui.assets import BY_ID
from tui.explain.analogs import Analog
from tui.explain.answer import is_unattributed
from tui.explain.channels import MOVED, NO_DATA, QUIET
from tui.explain.engine import Explanation
from tui.explain.fedodds import OddsChange
from tui.explain.headlines import Headline
from tui.model import Breadth
from tui.numtext import rounded, signed, table

SCHEMA_V1 = "riskpulse.explain/1"
SCHEMA_V2 = "riskpulse.explain/2"
SCHEMAS = (SCHEMA_V2, SCHEMA_V1)


def _r(value: float | None, digits: int = 4) -> float | None:
    """Rounded for JSON: None unless finite, and never `-0.0`."""
    if value is None or not math.isfinite(value):
        return None
    return rounded(value, digits)


def _level_unit(asset_id: str) -> str:
    """The unit of `move.change`: the level's own."""
    unit = BY_ID[asset_id].unit.value
    if asset_id == "wti":
        return "$/bbl"
    return {"price": "price", "rate": "pp", "bp": "bp", "funding": "pp"}[unit]


def _analog(a: Analog, v2: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "date": a.date.isoformat(),
        "name": a.name,
        "similarity": _r(a.similarity, 3),
    }
    if v2:
        out |= {"common": a.common, "after_5d_pct": _r(a.after_5d), "after_1m_pct": _r(a.after_1m)}
    return out


def _drivers(exp: Explanation, v2: bool) -> tuple[list[dict[str, Any]], float | None]:
    att, move = exp.attribution, exp.move
    drivers = []
    for d in att.drivers if att else ():
        row: dict[str, Any] = {
            "id": d.factor.id,
            "label": d.factor.label,
            "factor_move_pct": _r(d.factor_move),
            "beta": _r(d.beta),
            "contribution_pct": _r(d.contribution),
        }
        if v2:
            row |= {"kind": d.factor.kind, "t": _r(d.t, 2), "shown": d.shown, "note": d.note}
        drivers.append(row)
    residual = att.residual if att else None
    if att and residual is not None and move.size is not None:
        # Rounded parts must still add up to the rounded move.
        residual = round(move.size, 4) - sum(r["contribution_pct"] or 0.0 for r in drivers)
    return drivers, _r(residual, 6)


def _breadth(b: Breadth | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {
        "risk_assets": b.risk_assets,
        "same_direction": b.same_direction,
        "label": b.scope,
        "groups": list(b.groups),
        "movers": [{"id": a, "z": _r(z, 3)} for a, z in b.movers],
        "down": b.down,
        "up": b.up,
        "text": b.text,
    }


def _odds(c: OddsChange | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "meeting": c.meeting.isoformat(),
        "move_bp": c.move_bp,
        "then": _r(c.then),
        "now": _r(c.now),
        "then_day": c.then_day.isoformat(),
        "now_day": c.now_day.isoformat(),
        "change_pp": _r(c.change_pp, 2),
        "source": c.source,
        "approximate": c.approximate,
    }


def _context(exp: Explanation) -> list[dict[str, Any]]:
    """v1's context list, from the channels' readings."""
    out = []
    for c in exp.channels:
        if c.id in ("equities", "dollar", "rates", "risk_appetite", "headlines"):
            continue
        for i in c.items:
            out.append(
                {"id": i.id, "value": _r(i.value, 6), "change": _r(i.change, 6), "text": i.text}
            )
    return out


def to_json(exp: Explanation, schema: str = SCHEMA_V2) -> dict[str, Any]:
    """The explanation as `riskpulse.explain/2` (or `/1`, the earlier shape).

    Args:
        exp: The explanation.
        schema: One of `SCHEMAS`.
    """
    v2 = schema == SCHEMA_V2
    move = exp.move
    att = exp.attribution
    drivers, residual = _drivers(exp, v2)
    doc: dict[str, Any] = {
        "schema": schema,
        "asset": exp.asset_id,
        "as_of": move.day.isoformat(),
        "horizon": move.horizon.value,
        "move": {
            "change_pct": _r(move.size),
            "sigma": _r(move.sigma, 3),
            "rank_1y": move.rank_1y,
            "from_high_pct": _r(move.from_high_pct),
            "high_date": move.high_date.isoformat() if move.high_date else None,
        },
        "drivers": drivers,
        "residual_pct": residual,
        "r2": _r(att.r2 if att else None),
    }
    if not v2:
        b = exp.breadth
        return doc | {
            "breadth": {
                "risk_assets": b.risk_assets,
                "same_direction": b.same_direction,
                "label": b.scope,
            }
            if b
            else None,
            "kind": exp.kind.kind,
            "context": _context(exp),
            "analogs": [_analog(a, False) for a in (*exp.analogs, *exp.episodes[:1])],
            "headlines": [_headline(h, False) for h in exp.headlines],
            "narrative": list(exp.narrative),
        }
    doc["move"] |= {
        "change": _r(move.change, 6),
        "unit": "bp" if BY_ID[exp.asset_id].unit.value != "price" else "%",
        "change_unit": _level_unit(exp.asset_id),
        "rank_basis": "level" if move.rank_by_level else "relative",
        "note": move.note,
    }
    if move.change_pct is None and move.change_bp is not None:
        doc["move"]["change_bp"] = _r(move.change_bp, 2)
    s = exp.shape
    seq = exp.sequence
    market = att.market() if att else None
    return doc | {
        "answer": " ".join(exp.answer),
        "unattributed": is_unattributed(exp),
        "kind": exp.kind.kind,
        "kind_reason": exp.kind.reason,
        "shape": None
        if s is None
        else {
            "open_pct": _r(s.open_pct),
            "high_pct": _r(s.high_pct),
            "low_pct": _r(s.low_pct),
            "close_pct": _r(s.close_pct),
            "range_pct": _r(s.range_pct),
            "typical_range_pct": _r(s.typical_range_pct),
            "gap": s.gap,
            "wide": s.wide,
            "reversal": s.reversal,
            "closed_at": s.closed_at,
            "text": s.text,
        },
        "sequence": None
        if seq is None
        else {
            "regions": [
                {
                    "region": r.region,
                    "name": r.name,
                    "day": r.day.isoformat(),
                    "median_z": _r(r.median_z, 3),
                    "traded": [{"id": a, "z": _r(z, 3)} for a, z in r.traded],
                }
                for r in seq.regions
            ],
            "started": seq.started,
            "text": seq.text,
        },
        "leaders": [
            {"id": x.id, "move_pct": _r(x.move_pct), "z": _r(x.z, 3), "led": x.led}
            for x in exp.leaders
        ],
        "market": None
        if market is None or market.contribution is None or move.size is None
        else {
            "id": market.factor.id,
            "factor_move_pct": _r(market.factor_move),
            "beta": _r(market.beta),
            "contribution_pct": _r(market.contribution),
            "own_pct": _r(move.size - market.contribution),
        },
        "other_factors_pct": _r(att.folded) if att else None,
        "channels": [
            {
                "id": c.id,
                "label": c.label,
                "status": c.status,
                "relevant": c.relevant,
                "score": _r(c.score, 3),
                "text": c.text,
                "reason": c.reason or None,
                "items": [
                    {
                        "id": i.id,
                        "value": _r(i.value, 6),
                        "change": _r(i.change, 6),
                        "unit": i.unit,
                        "z": _r(i.z, 3),
                        "z_basis": i.basis or None,
                        "contribution": _r(i.contribution, 6),
                        "extreme": i.extreme,
                        "text": i.text,
                    }
                    for i in c.items
                ],
            }
            for c in exp.channels
        ],
        "fed_odds": {"horizon": _odds(exp.fed.horizon), "month": _odds(exp.fed.month)},
        "breadth": _breadth(exp.breadth),
        "market_breadth": _breadth(exp.market_breadth),
        "analogs": [_analog(a, True) for a in exp.analogs],
        "episodes": [_analog(a, True) for a in exp.episodes],
        "headlines": [_headline(h, True) for h in exp.headlines],
        "findings": list(exp.findings),
        "narrative": list(exp.narrative),
        "limits": list(exp.limits),
        "inputs": exp.inputs_source,
    }


def _headline(h: Headline, v2: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "time": h.time.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "title": h.title,
        "source": h.source,
        "url": h.url,
    }
    if v2:
        out |= {"relevance": h.score, "time_quality": h.time_quality}
    return out


def to_text(exp: Explanation) -> str:
    """A terminal rendering: the answer, ranked findings, channels, attribution, analogs,
    headlines and limits."""
    asset = BY_ID[exp.asset_id]
    lines = [f"{asset.name} ({asset.symbol}) · {exp.move.horizon.value} to {exp.move.day}", ""]
    lines += [f"Answer: {' '.join(exp.answer)}", "", "Findings:"]
    lines += [f"- {s}" for s in exp.findings]
    lines += ["", "Channels:"]
    status = {MOVED: "moved", QUIET: "quiet", NO_DATA: "no data"}
    channels = [[status[c.status], c.label, c.text] for c in exp.channels if c.relevant]
    lines += table(channels, indent="  ")
    att = exp.attribution
    if att and att.drivers:
        lines += ["", f"Attribution (R² {att.r2:.2f}, {att.rows} days; |t| < 2 folded into other):"]
        rows = [["factor", "move", "beta", "t", "contribution", "", ""]]
        for d in att.drivers:
            rows.append(
                [
                    d.factor.label,
                    signed(d.factor_move, 2),
                    signed(d.beta, 2),
                    signed(d.t, 1),
                    signed(d.contribution, 2),
                    f"[{d.factor.kind}]",
                    "" if d.shown else "(other factors)",
                ]
            )
        if att.residual is not None:
            rows.append(["residual (no factor)", "", "", "", signed(att.residual, 2)])
        lines += table(rows, "<>>>><<", indent="  ")
    if exp.headlines:
        lines += ["", "Headlines (UTC):"]
        for h in exp.headlines:
            seen = " first seen" if h.time_quality == "first_seen" else ""
            lines.append(f"  {h.time:%m-%d %H:%M}{seen}  {h.title} — {h.source}")
    lines += ["", "What the data cannot tell:"]
    lines += [f"- {s}" for s in exp.limits]
    return "\n".join(lines)
