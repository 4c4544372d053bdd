"""`riskpulse snapshot` output: the `riskpulse.snapshot/1` JSON contract and a plain table."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from tui import fed_text
from tui.assets import BY_ID, EXTRA_ROWS
from tui.fed_odds import Basis, CallState, OddsMethod, OddsSource
from tui.formatting import (
    MISSING,
    fg_label,
    fmt_change,
    fmt_pct,
    fmt_price,
    signed,
)
from tui.history import json_number
from tui.model import (
    Breadth,
    FearGreed,
    FearGreedPane,
    FedCross,
    FedMeeting,
    FedWatch,
    Mode,
    Quote,
    QuotePane,
    Snapshot,
    age_text,
)
from tui.numtext import rounded, table

SCHEMA = "riskpulse.snapshot/1"


def _clean(value: float | None, digits: int) -> float | None:
    """Round away float noise from differences (-0.030000000000000249 → -0.03)."""
    return None if value is None else rounded(value, digits)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _finite(value: float | None, digits: int) -> float | None:
    """A number for strict JSON: rounded (never `-0.0`), and None (null) unless finite."""
    if value is None or not math.isfinite(value):
        return None
    return rounded(value, digits)


def quote_json(quote: Quote) -> dict[str, Any]:
    """One Quote as the contract spells it; missing values are null, never 0.

    Prices are rounded to the instrument's precision (`Asset.decimals`), changes to two more
    digits; every number is finite (strict JSON).
    """
    digits = quote.decimals
    return {
        "symbol": quote.symbol,
        "id": quote.id,
        "name": quote.name,
        "price": _finite(quote.price, digits),
        "change": _finite(quote.change, digits + 2),
        "change_pct": _finite(quote.change_pct, 4),
        "as_of": quote.as_of.isoformat() if quote.as_of else None,
        "source": quote.source,
        "stale": quote.stale,
        "from_high_pct": _finite(quote.from_high_pct, 4),
        "stale_reason": quote.stale_reason,
        "updated": _iso(quote.updated),
        "received": _iso(quote.received),
        "currency": quote.currency,
        "detail": quote.detail,
        "sigma": _finite(quote.sigma, 2),
    }


def dumps(doc: Mapping[str, Any]) -> str:
    """Strict JSON text (`NaN`/`Infinity` tokens are refused, never written).

    Raises:
        ValueError: When a non-finite number slipped through (a bug, not data).
    """
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)


def _pane_json(pane: QuotePane) -> dict[str, Any]:
    return {"quotes": [quote_json(q) for q in pane.quotes], "error": pane.error}


def _bp_keys(values: dict[int, float], digits: int) -> dict[str, float] | None:
    return {str(k): rounded(v, digits) for k, v in sorted(values.items())} or None


def _cross_json(c: FedCross) -> dict[str, Any]:
    return {
        "source": c.source.value,
        "as_of": c.as_of.isoformat(),
        "approximate": c.approximate,
        "basis": c.basis.value,
        "probabilities": _bp_keys(c.probabilities, 4),
        "derived": _bp_keys(c.derived, 4),
        "gap_pp": _bp_keys(c.gap_pp, 2),
    }


def _fed_json(fed: FedWatch) -> dict[str, Any]:
    return {
        "meetings": [
            {
                "date": m.date.isoformat(),
                "probabilities": _bp_keys(m.probabilities, 4),
                "derived": _bp_keys(m.derived, 4),
                "change_1d_pp": _bp_keys(m.change_1d_pp, 2),
                "change_1w_pp": _bp_keys(m.change_1w_pp, 2),
                "change_1m_pp": _bp_keys(m.change_1m_pp, 2),
                "implied_rate": m.implied_rate,
                "note": m.note,
                "source": m.source.value if m.source else None,
                "method": m.method.value if m.method else None,
                "as_of": m.as_of.isoformat() if m.as_of else None,
                "approximate": m.approximate,
                "basis": m.basis.value,
                "call": m.call,
                "call_state": m.call_state.value if m.call_state else None,
                "markets": [_cross_json(c) for c in m.markets],
            }
            for m in fed.meetings
        ],
        "source": fed.source,
        "as_of": _iso(fed.as_of),
        "error": fed.error,
        "notes": list(fed.notes),
        "last_decision": fed.last_decision,
        "calendar_ends": fed.calendar_ends.isoformat() if fed.calendar_ends else None,
    }


def _fg_json(pane: FearGreedPane) -> dict[str, Any]:
    return {
        "indices": [
            {
                "id": f.id,
                "value": f.value,
                "label": f.label,
                "previous": f.previous,
                "week_ago": f.week_ago,
                "as_of": f.as_of.isoformat() if f.as_of else None,
                "source": f.source,
                "name": f.name,
                "components": [list(c) for c in f.components],
                "stale": f.stale,
                "stale_reason": f.stale_reason,
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
            "up": snap.breadth.up,
            "label": snap.breadth.label,
            "same_direction": snap.breadth.same_direction,
            "scope": snap.breadth.scope or None,
            "text": snap.breadth.sentence(),
        },
        "sources": {
            h.id: {
                "ok": h.ok,
                "last_ok": _iso(h.last_ok),
                "error": h.error,
                "retry_in_s": None if h.retry_in is None else round(h.retry_in, 1),
            }
            for h in snap.sources
        },
        "saved_at": _iso(snap.saved_at),
    }


def _date(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _moment(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def _quote_from(row: Mapping[str, Any], saved_at: datetime | None) -> Quote | None:
    asset_id = str(row.get("id", ""))
    asset = BY_ID.get(asset_id) or EXTRA_ROWS.get(asset_id)
    if asset is None:
        return None
    text = row.get("stale_reason") if isinstance(row.get("stale_reason"), str) else None
    if saved_at is not None:
        # Shown from the cache: nothing in it is current, whatever it said when saved.
        when = saved_at.astimezone(UTC).strftime("%H:%MZ")
        text = f"cached {when}" + (f"; {text}" if text else "")
    currency = row.get("currency")
    return Quote(
        asset_id,
        str(row.get("symbol") or asset.symbol),
        str(row.get("name") or asset.name),
        json_number(row.get("price")),
        json_number(row.get("change")),
        json_number(row.get("change_pct")),
        _date(row.get("as_of")),
        str(row.get("source") or "cache"),
        stale=saved_at is not None or bool(row.get("stale")),
        stale_reason=text,
        from_high_pct=json_number(row.get("from_high_pct")),
        unit=asset.unit,
        detail=row.get("detail") if isinstance(row.get("detail"), str) else None,
        updated=_moment(row.get("updated")),
        received=_moment(row.get("received")) or saved_at,
        currency=currency if isinstance(currency, str) else None,
        decimals=asset.decimals,
        sigma=json_number(row.get("sigma")),
    )


def _bp_dict(values: Any) -> dict[int, float]:
    if not isinstance(values, dict):
        return {}
    out = {}
    for k, v in values.items():
        num = json_number(v)
        if num is not None and str(k).lstrip("+-").isdigit():
            out[int(k)] = num
    return out


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_E = TypeVar("_E", OddsSource, OddsMethod, Basis, CallState)


def _enum(kind: type[_E], value: Any) -> _E | None:
    try:
        return kind(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _meeting_from(m: Any) -> FedMeeting | None:
    """A cached meeting row; fields it lacks (an older cache) stay at their defaults."""
    day = _date(m.get("date")) if isinstance(m, dict) else None
    if day is None:
        return None
    markets = []
    for c in m.get("markets") or []:
        if not isinstance(c, dict):
            continue
        source, as_of = _enum(OddsSource, c.get("source")), _date(c.get("as_of"))
        if source is not None and as_of is not None:
            markets.append(
                FedCross(
                    source,
                    as_of,
                    _bp_dict(c.get("probabilities")),
                    _bp_dict(c.get("derived")),
                    _bp_dict(c.get("gap_pp")),
                    _enum(Basis, c.get("basis")) or Basis.AT_MEETING,
                    c.get("approximate") is True,
                )
            )
    call = m.get("call")
    return FedMeeting(
        day,
        _bp_dict(m.get("probabilities")),
        _bp_dict(m.get("change_1d_pp")),
        _bp_dict(m.get("change_1w_pp")),
        json_number(m.get("implied_rate")),
        _text(m.get("note")),
        _bp_dict(m.get("change_1m_pp")),
        _bp_dict(m.get("derived")),
        _enum(OddsSource, m.get("source")),
        _enum(OddsMethod, m.get("method")),
        _date(m.get("as_of")),
        m.get("approximate") is True,
        call if isinstance(call, int) and not isinstance(call, bool) else None,
        _enum(CallState, m.get("call_state")),
        _enum(Basis, m.get("basis")) or Basis.FROM_TODAY,
        tuple(markets),
    )


def snapshot_from_json(doc: Mapping[str, Any], saved_at: datetime | None = None) -> Snapshot:
    """Read a `riskpulse.snapshot/1` document back (the cache), marked CACHED.

    Raises:
        ValueError: When the document is not a snapshot riskpulse wrote.
    """
    if doc.get("schema") != SCHEMA or not isinstance(doc.get("panes"), dict):
        raise ValueError("not a riskpulse.snapshot/1 document")
    panes = doc["panes"]

    def quotes(name: str) -> QuotePane:
        pane = panes.get(name) or {}
        rows = pane.get("quotes") if isinstance(pane, dict) else None
        found = [_quote_from(r, saved_at) for r in rows or [] if isinstance(r, dict)]
        return QuotePane(tuple(q for q in found if q is not None))

    fed_doc = panes.get("fedwatch") or {}
    meetings = [m for m in (_meeting_from(d) for d in fed_doc.get("meetings") or []) if m]
    fg_doc = panes.get("fear_greed") or {}
    readings = []
    for f in fg_doc.get("indices") or []:
        if not isinstance(f, dict):
            continue
        readings.append(
            FearGreed(
                str(f.get("id")),
                str(f.get("name") or f.get("id")),
                json_number(f.get("value")),
                f.get("label") if isinstance(f.get("label"), str) else None,
                json_number(f.get("previous")),
                json_number(f.get("week_ago")),
                _date(f.get("as_of")),
                str(f.get("source")),
                tuple(
                    (str(c[0]), str(c[1]))
                    for c in f.get("components") or []
                    if isinstance(c, list) and len(c) == 2
                ),
                stale=True,
                stale_reason="cached reading",
            )
        )
    b = doc.get("breadth") or {}
    as_of = _moment(doc.get("as_of")) or saved_at or datetime.now(UTC)
    return Snapshot(
        as_of=as_of,
        mode=Mode.CACHED,
        day=as_of.date(),
        indices=quotes("indices"),
        crypto=quotes("crypto"),
        macro=quotes("macro"),
        fedwatch=FedWatch(
            tuple(meetings),
            _text(fed_doc.get("source")),
            _moment(fed_doc.get("as_of")),
            _text(fed_doc.get("error")),
            tuple(str(n) for n in fed_doc.get("notes") or []),
            _text(fed_doc.get("last_decision")),
            _date(fed_doc.get("calendar_ends")),
        ),
        fear_greed=FearGreedPane(tuple(readings)),
        breadth=Breadth(
            int(b.get("risk_assets") or 0),
            int(b.get("down") or 0),
            int(b.get("up") or 0),
            str(b.get("label") or "mixed"),
            same_direction=int(b.get("same_direction") or 0),
            scope=str(b.get("scope") or ""),
            text=str(b.get("text") or ""),
        ),
        saved_at=saved_at,
    )


def stale_text(quote: Quote, now: datetime) -> str | None:
    """Why a quote is stale, with when its data last arrived and how old that is."""
    if not quote.stale_reason:
        return None
    if quote.received is None:
        return quote.stale_reason
    age = age_text((now - quote.received).total_seconds())
    return f"{quote.stale_reason}; last data {quote.received:%H:%MZ} ({age} ago)"


QUOTE_HEADER = ("", "Last", "Chg", "Chg%", "σ", "52wH", "Date", "")
"""The quote columns' names, as the panes name them (σ: the day's move in σ of the asset's own
daily moves; 52wH: from the 52-week closing high; Date: the close's day when not the day's)."""


def _quote_cells(q: Quote, day: object, now: datetime) -> list[str]:
    """One quote's cells: name, price, change, change %, σ, from the high, date, note."""
    dated = q.as_of.isoformat() if q.as_of and q.as_of != day else ""
    note = q.detail or ""
    if q.stale:
        note = f"{note} [stale: {stale_text(q, now)}]".strip()
    chg_pct = fmt_pct(q.change_pct) if q.change_pct is not None else ""
    sigma = f"{signed(q.sigma, 1)}σ" if q.sigma is not None else ""
    high = fmt_pct(q.from_high_pct, 1) if q.from_high_pct is not None else ""
    return [q.name, fmt_price(q), fmt_change(q), chg_pct, sigma, high, dated, note]


def _quote_lines(panes: list[tuple[str, QuotePane]], day: object, now: datetime) -> list[str]:
    """The quote panes under their titles, in one set of columns shared by all of them, named
    once above the first."""
    rows = [list(QUOTE_HEADER)]
    rows += [_quote_cells(q, day, now) for _, pane in panes for q in pane.quotes]
    laid = iter(table(rows, "<>>>>>><", indent="  "))
    lines = [next(laid)]
    for title, pane in panes:
        lines.append(title)
        if pane.error:
            lines.append(f"  ! {pane.error}")
        lines += [next(laid) for _ in pane.quotes]
        lines.append("")
    return lines


def snapshot_table(snap: Snapshot) -> str:
    """Plain-text panes for a terminal or a log."""
    day = snap.day
    now = datetime.now(UTC) if snap.mode is Mode.CACHED else snap.as_of
    mode = snap.mode_label(now if snap.mode is Mode.CACHED else None)
    lines = [f"riskpulse  {mode}  as of {_iso(snap.as_of)}", snap.breadth.sentence()]
    failing = [f"{h.id}: {h.error}" for h in snap.sources if h.error]
    if failing:
        lines.append("failing sources: " + "; ".join(failing))
    lines.append("")
    crypto_title = "CRYPTO (USDT)" if snap.mode is Mode.REPLAY else "CRYPTO"
    panes = [("INDICES", snap.indices), (crypto_title, snap.crypto), ("GOLD & MACRO", snap.macro)]
    lines += _quote_lines(panes, day, now)
    fed = snap.fedwatch
    lines.append(f"FED-WATCH  source: {fed.source or MISSING}")
    if fed.error:
        lines.append(f"  ! {fed.error}")
    for m in fed.meetings:
        lines.append(f"  {fed_text.meeting_line(m, day)}")
        if m.note:
            lines.append(f"      {m.note}")
    lines += [f"  {n}" for n in fed.notes] + ["", "FEAR & GREED"]
    readings = snap.fear_greed.indices
    rows = []
    for f in readings:
        dated = f"({f.as_of})" if f.as_of and f.as_of != day else ""
        prev = signed(
            f.value - f.previous if f.value is not None and f.previous is not None else None
        )
        week = signed(
            f.value - f.week_ago if f.value is not None and f.week_ago is not None else None
        )
        stale = f"[stale: {f.stale_reason}]" if f.stale else ""
        rows.append(
            [
                f.name,
                fg_label(f.value),
                f.label or MISSING,
                f"1d {prev:>4}",
                f"1w {week:>4}",
                " ".join(t for t in (dated, stale) if t),
            ]
        )
    for f, line in zip(readings, table(rows, "<><>><", indent="  "), strict=True):
        lines.append(line)
        lines += [f"      {name}: {text}" for name, text in f.components]
    return "\n".join(lines)
