"""Explain a move: data in, findings out. No I/O beyond the bundled history, no widgets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd

from tui.assets import BY_ID, Region, Unit
from tui.explain.analogs import Analog, find_analogs
from tui.explain.attribution import WEAK_R2, Attribution, attribute
from tui.explain.classify import Breadth, Kind, breadth_on, class_peers, decide_kind
from tui.explain.context import ContextItem, context_for
from tui.explain.headlines import Headline, coverage, headlines_for
from tui.explain.move import Horizon, Move, measure
from tui.explain.panel import move_between, panel_for
from tui.history import History

SCHEMA = "riskpulse.explain/1"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything the engine found about one move."""

    asset_id: str
    asked_day: date
    move: Move
    attribution: Attribution | None
    breadth: Breadth | None
    kind: Kind
    context: tuple[ContextItem, ...]
    analogs: tuple[Analog, ...]
    episode: Analog | None
    analog_note: str | None
    headlines: tuple[Headline, ...]
    narrative: tuple[str, ...]
    peer_moves: tuple[tuple[str, float, float], ...] = ()
    episodes: tuple[Analog, ...] = ()
    """Every named episode that can be compared, most alike first."""
    """Class peers that traded on the day: (id, move, z)."""


def _unit(asset_id: str) -> str:
    return "%" if BY_ID[asset_id].unit is Unit.PRICE else " bp"


def explain(
    history: History,
    asset_id: str,
    day: date,
    horizon: Horizon = Horizon.D1,
    headlines: Sequence[Headline] = (),
) -> Explanation:
    """Explain the move of `asset_id` over `horizon` ending on `day`.

    Args:
        history: The daily history (bundled, or bundled plus cache).
        asset_id: A catalogue id.
        day: The day to explain; a market shut that day is explained on its last close.
        horizon: 1d, 5d or 1m.
        headlines: Headlines fetched live, searched with the recorded ones.

    Returns:
        The findings; what cannot be computed is said, never guessed.
    """
    asset = BY_ID[asset_id]
    series = history.series(asset_id)
    move = measure(series, asset, day, horizon)
    panel = panel_for(history)
    size = move.size
    attribution = None
    if size is not None and move.start_day is not None:
        attribution = attribute(panel, asset_id, move.day, move.start_day, horizon, size)
    breadth = None
    peer_z: dict[str, float] = {}
    if size:
        z = panel.z
        if horizon is not Horizon.D1 and move.start_day is not None:
            z = _horizon_z(panel.closes, panel.sigma, move.start_day, move.day)
        breadth = breadth_on(z, asset_id, move.day, size)
        ts = pd.Timestamp(move.day)
        if ts in z.index:
            for peer in class_peers(asset_id):
                if peer in z.columns and pd.notna(z.at[ts, peer]):
                    peer_z[peer] = float(z.at[ts, peer])
    m = attribution.share("market", size) if attribution and size else 0.0
    c = attribution.share("class", size) if attribution and size else 0.0
    if attribution and attribution.r2 is not None and attribution.r2 < WEAK_R2:
        m = c = 0.0  # a weak fit explains nothing: no driver is claimed
    if size is None or breadth is None:
        kind = Kind(
            "quiet" if size == 0 else "mixed",
            "there is no move to classify"
            if size == 0
            else (move.note or "the move could not be measured"),
        )
    else:
        kind = decide_kind(asset_id, move.sigma, size, m, c, breadth, peer_z)
    context = context_for(history, move.day, move.start_day or move.day)
    analogs, episodes, note = find_analogs(panel, move.day)
    episode = episodes[0] if episodes else None
    heads = headlines_for(asset_id, move.day, extra=headlines)
    peers = tuple((p, _peer_move(history, p, move), zv) for p, zv in peer_z.items())
    exp = Explanation(
        asset_id,
        day,
        move,
        attribution,
        breadth,
        kind,
        context,
        analogs,
        episode,
        note,
        heads,
        (),
        peers,
        episodes,
    )
    return replace(exp, narrative=narrate(exp))


def _peer_move(history: History, peer: str, move: Move) -> float:
    peer_move = measure(history.series(peer), BY_ID[peer], move.day, move.horizon)
    return peer_move.size if peer_move.size is not None else float("nan")


def _horizon_z(closes: pd.DataFrame, sigma: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """z of each asset's move over [start, end] against σ_1·√(days), as a one-row frame."""
    row = {}
    for col in closes.columns:
        s = closes[col].dropna()
        i = s.index.searchsorted(pd.Timestamp(end), side="right") - 1
        j = s.index.searchsorted(pd.Timestamp(start), side="right") - 1
        if i <= j or j < 0 or s.index[i] != pd.Timestamp(end):
            continue
        sig = sigma[col].reindex([s.index[i]]).iloc[0]
        if pd.isna(sig) or sig <= 0:
            continue
        row[col] = move_between(col, float(s.iloc[j]), float(s.iloc[i])) / (sig * (i - j) ** 0.5)
    return pd.DataFrame([row], index=[pd.Timestamp(end)])


def narrate(exp: Explanation) -> tuple[str, ...]:
    """Plain sentences, strongest evidence first, each with its numbers."""
    asset = BY_ID[exp.asset_id]
    move = exp.move
    u = _unit(exp.asset_id)
    out: list[str] = []
    if move.size is None:
        return (f"{asset.name}: {move.note or 'no move to explain'}.",)
    when = (
        f"on {move.day}"
        if move.horizon is Horizon.D1
        else f"over {move.horizon.value} to {move.day}"
    )
    if move.day != exp.asked_day:
        when += f" (its last close on or before {exp.asked_day})"
    rank = (
        f", the #{move.rank_1y} largest {move.horizon.value} move of the past year"
        if move.rank_1y
        else ""
    )
    if move.sigma is not None:
        out.append(
            f"{asset.name} moved {move.size:+.2f}{u} {when}: {move.sigma:+.1f}σ of its own "
            f"recent moves{rank}."
        )
    else:
        out.append(
            f"{asset.name} moved {move.size:+.2f}{u} {when}; there is too little history "
            f"to size this move."
        )
    att = exp.attribution
    if att and att.r2 is not None:
        if att.r2 < WEAK_R2:
            out.append(
                f"Cross-asset moves explain little of this asset's day-to-day moves "
                f"(R² {att.r2:.2f} over {att.rows} days), so no driver is claimed."
            )
        else:
            ranked = sorted(
                (d for d in att.drivers if d.contribution is not None),
                key=lambda d: -abs(d.contribution or 0),
            )
            if ranked:
                top = ranked[0]
                fu = (
                    "bp"
                    if top.factor.id in ("ust10y", "ust2y")
                    else " pts"
                    if top.factor.id == "vix"
                    else "%"
                )
                out.append(
                    f"{top.factor.label}'s {top.factor_move:+.2f}{fu} move accounts for "
                    f"{top.contribution:+.2f} ({(top.contribution or 0) / move.size:.0%}) of "
                    f"the {move.size:+.2f}{u} (beta {top.beta:.2f}, "
                    f"R² {att.r2:.2f}); the residual is {att.residual:+.2f}{u}."
                )
    elif att and att.note:
        out.append(f"No attribution: {att.note}.")
    if asset.region is Region.ASIA:
        out.append(
            "Tokyo, Seoul, Hong Kong and Shanghai close before New York opens, so US "
            "factors are taken from the previous New York session."
        )
        lagged = [d for d in (att.drivers if att else ()) if d.factor.lagged]
        for d in lagged:
            if d.factor_move is not None and d.contribution is not None:
                out.append(
                    f"{d.factor.label}: {d.factor_move:+.2f}%, which with beta {d.beta:.2f} "
                    f"accounts for {d.contribution:+.2f} of the move."
                )
    out.append(f"Kind: {exp.kind.kind.replace('_', ' ')} — {exp.kind.reason}.")
    if exp.peer_moves:
        out.append(
            "Its class peers that day: "
            + "; ".join(
                f"{BY_ID[p].name} {v:+.2f}{_unit(p)} ({z:+.1f}σ)" for p, v, z in exp.peer_moves
            )
            + "."
        )
    if exp.breadth and exp.breadth.risk_assets:
        out.append(
            f"Breadth was {exp.breadth.label}: {exp.breadth.same_direction} of "
            f"{exp.breadth.risk_assets} other risk assets moved ≥1σ the same way."
        )
    ranked_ctx = sorted((c for c in exp.context if c.value is not None), key=lambda c: -c.extreme)
    out += [c.text for c in ranked_ctx]
    if exp.episode:
        others = "; ".join(f"{a.name} {a.similarity:.2f}" for a in exp.episodes[1:])
        out.append(
            f"Of the named episodes it most resembles {exp.episode.date} "
            f"({exp.episode.name}), similarity {exp.episode.similarity:.2f}"
            + (f" (others: {others})" if others else "")
            + "."
        )
    if exp.analogs:
        best = exp.analogs[0]
        out.append(
            f"The closest past day across markets is {best.date}"
            f"{f' ({best.name})' if best.name else ''}, similarity {best.similarity:.2f}."
        )
    missing = [c.text for c in exp.context if c.value is None]
    if not exp.headlines:
        first, last = coverage()
        missing.append(
            f"No headline about it was found within 36 hours before the close (recorded news "
            f"covers {first} to {last}, with gaps; live mode also searches the feeds it fetched)."
        )
    out += missing
    return tuple(out)


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def to_json(exp: Explanation) -> dict[str, Any]:
    """The explanation as `riskpulse.explain/1`."""
    move = exp.move
    att = exp.attribution
    drivers = [
        {
            "id": d.factor.id,
            "label": d.factor.label,
            "factor_move_pct": _r(d.factor_move),
            "beta": _r(d.beta),
            "contribution_pct": _r(d.contribution),
        }
        for d in (att.drivers if att else ())
    ]
    residual = att.residual if att else None
    if att and residual is not None and move.size is not None:
        # Rounded parts must still add up to the rounded move.
        parts = [_r(d.contribution) or 0.0 for d in att.drivers]
        residual = round(move.size, 4) - sum(parts)
    return {
        "schema": SCHEMA,
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
        "residual_pct": _r(residual),
        "r2": _r(att.r2 if att else None),
        "breadth": {
            "risk_assets": exp.breadth.risk_assets,
            "same_direction": exp.breadth.same_direction,
            "label": exp.breadth.label,
        }
        if exp.breadth
        else None,
        "kind": exp.kind.kind,
        "context": [
            {"id": c.id, "value": c.value, "change": c.change, "text": c.text} for c in exp.context
        ],
        "analogs": [
            {"date": a.date.isoformat(), "name": a.name, "similarity": round(a.similarity, 3)}
            for a in exp.analogs
        ]
        + (
            [
                {
                    "date": exp.episode.date.isoformat(),
                    "name": exp.episode.name,
                    "similarity": round(exp.episode.similarity, 3),
                }
            ]
            if exp.episode
            else []
        ),
        "headlines": [
            {
                "time": h.time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "title": h.title,
                "source": h.source,
                "url": h.url,
            }
            for h in exp.headlines
        ],
        "narrative": list(exp.narrative),
    }


def to_text(exp: Explanation) -> str:
    """A terminal-friendly rendering."""
    asset = BY_ID[exp.asset_id]
    lines = [f"{asset.name} ({asset.symbol}) · {exp.move.horizon.value} to {exp.move.day}", ""]
    lines += [f"- {s}" for s in exp.narrative]
    att = exp.attribution
    if att and att.drivers:
        lines += ["", f"Attribution (R² {att.r2:.2f}, {att.rows} days):"]
        for d in att.drivers:
            fm = "—" if d.factor_move is None else f"{d.factor_move:+.2f}"
            ct = "—" if d.contribution is None else f"{d.contribution:+.2f}"
            lines.append(
                f"  {d.factor.label:<38} move {fm:>8}  beta {d.beta:+.2f}  "
                f"contribution {ct:>7}  [{d.factor.kind}]"
            )
        if att.residual is not None:
            lines.append(f"  {'residual':<38} {'':>14} {'':>12} {att.residual:+.2f}")
    if exp.analogs:
        lines += [
            "",
            "Closest past days: "
            + ", ".join(f"{a.date} ({a.similarity:.2f})" for a in exp.analogs),
        ]
    if exp.headlines:
        lines += ["", "Headlines (UTC):"]
        for h in exp.headlines:
            seen = " first seen" if h.time_quality == "first_seen" else ""
            lines.append(f"  {h.time:%m-%d %H:%M}{seen}  {h.title} — {h.source}")
    return "\n".join(lines)
