"""Since you last looked: the largest moves ranked by |σ|, Fed odds, fear & greed, headlines
and the sources that failed, between the end of the last session and now.

A move over n of the asset's own closes is sized against σ·√n, σ being the explain engine's
daily EWMA volatility up to the day before the move began (`tui.sigma`). In replay the recap
covers the previous trading day to the replayed day. What the data do not hold stays missing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tui.assets import BY_ID, PANE_ASSETS, Asset, Unit
from tui.formatting import fg_label
from tui.history import History
from tui.model import Snapshot
from tui.numtext import signed, table
from tui.sigma import SigmaTable

RECAP_AFTER = timedelta(hours=4)
"""The app shows the recap on start when the last session ended longer ago than this."""
SESSION_FILE = "session.json"


class RecapError(Exception):
    """A `--since` that cannot be read, or a day outside the data."""


@dataclass(frozen=True, slots=True)
class Move:
    """One asset's move over the recap's span.

    Attributes:
        asset_id: Catalogue id.
        label: Name and symbol for display.
        start: The close the move is measured from.
        end: The latest close.
        size: The move in percent (prices) or basis points (rates, spreads).
        unit: `%` or `bp`.
        sigma: The move in σ of the asset's own daily moves, scaled by √closes; None when the
            history is too short.
    """

    asset_id: str
    label: str
    start: date
    end: date
    size: float
    unit: str
    sigma: float | None


@dataclass(frozen=True, slots=True)
class OddsChange:
    """One outcome's odds for one meeting, then and now (probabilities 0–1)."""

    meeting: date
    move_bp: int
    before: float | None
    after: float | None
    change_pp: float | None
    basis: str


@dataclass(frozen=True, slots=True)
class Recap:
    """What changed between two moments.

    Attributes:
        since: What the recap starts from, in words.
        until: What it ends at, in words.
        moves: Largest |σ| first (moves without σ last).
        fed: Odds changes per meeting and outcome.
        fear_greed: (name, before, after) per index.
        headlines: New headlines recorded in the span; None when none are kept.
        failed: Sources that failed in the span; None when not known (replay).
        fear_greed_basis: What "before" means for fear & greed.
        fed_missing: Why there are no odds, as the Fed-watch pane says it (no meeting known
            ahead, none recorded), or None.
    """

    since: str
    until: str
    moves: tuple[Move, ...]
    fed: tuple[OddsChange, ...]
    fear_greed: tuple[tuple[str, float | None, float | None], ...]
    headlines: int | None
    failed: tuple[str, ...] | None
    fear_greed_basis: str = "then"
    fed_missing: str | None = None


def close_moment(asset: Asset, day: date) -> datetime:
    """When `day`'s close was known: the UTC candle's end for crypto, else 16:00 at home (an
    hour either way for Tokyo, Seoul, Shanghai and Xetra: the recap needs the day, not the
    minute)."""
    if asset.weekends:
        return datetime.combine(day + timedelta(days=1), time(0, 0), UTC)
    return datetime.combine(day, time(16, 0), ZoneInfo(asset.tz))


def moves_between(
    history: History,
    start: date | datetime,
    end: date,
    asset_ids: Iterable[str] | None = None,
) -> list[Move]:
    """Each asset's move from its last close before `start` to its last on or before `end`.

    Args:
        history: The daily series.
        start: A day (its close included) or a moment (closes known by then).
        end: The last day.
        asset_ids: Which assets; the dashboard's when None.

    Returns:
        Moves ranked by |σ|; assets that did not close in between are left out.
    """
    sigma = SigmaTable(history)
    ids = asset_ids or dict.fromkeys(a for pane in PANE_ASSETS.values() for a in pane)
    out: list[Move] = []
    for asset_id in ids:
        asset = BY_ID.get(asset_id)
        if asset is None or not asset.file:
            continue
        series = history.series(asset_id)
        if isinstance(start, datetime):
            i = series.index_at(start.astimezone(UTC).date())
            while i >= 0 and close_moment(asset, series.dates[i]) > start:
                i -= 1
        else:
            i = series.index_at(start)
        j = series.index_at(end)
        if i < 0 or j <= i:
            continue
        a, b = series.values[i], series.values[j]
        if asset.unit is Unit.PRICE:
            if a <= 0:
                continue
            size, unit = (b / a - 1) * 100, "%"
        else:
            size, unit = (b - a) * (100 if asset.unit is Unit.RATE else 1), "bp"
        daily = sigma(asset_id, series.dates[i + 1])
        z = size / (daily * math.sqrt(j - i)) if daily else None
        label = f"{asset.name} ({asset.symbol})"
        out.append(Move(asset_id, label, series.dates[i], series.dates[j], size, unit, z))
    return sorted(out, key=lambda m: -abs(m.sigma) if m.sigma is not None else math.inf)


def odds_changes(then: Snapshot, now: Snapshot, basis: str) -> list[OddsChange]:
    """Per meeting and recorded outcome, the odds in `then` and in `now`."""
    before = {m.date: m.probabilities for m in then.fedwatch.meetings}
    out = []
    for meeting in now.fedwatch.meetings:
        old = before.get(meeting.date, {})
        for move, p in sorted(meeting.probabilities.items()):
            q = old.get(move)
            change = (p - q) * 100 if q is not None else None
            out.append(OddsChange(meeting.date, move, q, p, change, basis))
    return out


def live_odds_changes(now: Snapshot, since: datetime) -> list[OddsChange]:
    """Odds changes from the cache's recorded odds, over the nearest span it keeps (1d/1w/1m)."""
    days = (now.as_of - since).total_seconds() / 86400
    attr, basis = (
        ("change_1d_pp", "1 day")
        if days <= 1.5
        else ("change_1w_pp", "1 week")
        if days <= 10
        else ("change_1m_pp", "1 month")
    )
    out = []
    for meeting in now.fedwatch.meetings:
        changes: dict[int, float] = getattr(meeting, attr)
        for move, p in sorted(meeting.probabilities.items()):
            change = changes.get(move)
            before = p - change / 100 if change is not None else None
            out.append(OddsChange(meeting.date, move, before, p, change, f"over {basis}"))
    return out


def _fear_greed(
    then: Snapshot | None, now: Snapshot
) -> tuple[tuple[str, float | None, float | None], ...]:
    old = {f.id: f.value for f in then.fear_greed.indices} if then else {}
    return tuple(
        (f.name, old.get(f.id) if then else f.previous, f.value) for f in now.fear_greed.indices
    )


def replay_recap(history: History, day: date) -> Recap:
    """The replayed day against the previous trading day."""
    from tui.explain.headlines import all_headlines
    from tui.sources.replay import ReplaySource, new_york_close

    source = ReplaySource(history)
    previous = history.step(day, -1)
    then, now = source.snapshot(previous), source.snapshot(day)
    start, end = new_york_close(previous), new_york_close(day)
    heads = sum(1 for h in all_headlines() if start < h.time <= end)
    return Recap(
        f"the previous trading day ({previous})",
        f"{day} (replay)",
        tuple(moves_between(history, previous, day)),
        tuple(odds_changes(then, now, "recorded")),
        _fear_greed(then, now),
        heads,
        None,
        fed_missing=now.fedwatch.error,
    )


def live_recap(history: History, now: Snapshot, since: datetime) -> Recap:
    """The cached live snapshot against the moment the last session ended."""
    failed = tuple(
        h.id
        for h in now.sources
        if h.error and (h.last_ok is None or h.last_ok < now.as_of - timedelta(minutes=1))
    )
    until = now.day or now.as_of.astimezone(UTC).date()
    return Recap(
        f"{since.astimezone():%Y-%m-%d %H:%M}",
        f"{now.as_of.astimezone():%Y-%m-%d %H:%M} ({now.mode.value})",
        tuple(moves_between(history, since, until)),
        tuple(live_odds_changes(now, since)),
        _fear_greed(None, now),
        None,
        failed,
        "the reading a day before",  # the cache keeps today's reading and the previous one
        now.fedwatch.error,
    )


def _pp(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def recap_text(recap: Recap, limit: int = 8) -> str:
    """The recap as plain lines (for the terminal and the app's recap screen)."""
    lines = [f"Since {recap.since}, until {recap.until}", "", "Largest moves (by |σ|):"]
    moves = [
        [m.label, signed(m.size, 2, m.unit), signed(m.sigma, 1, "σ"), f"{m.start} → {m.end}"]
        for m in recap.moves[:limit]
    ]
    lines += table(moves, "<>>", indent="  ")
    if not recap.moves:
        lines.append("  no market closed in between")
    lines += ["", "Fed odds:"]
    odds = [
        [
            str(o.meeting),
            "no change" if o.move_bp == 0 else f"{o.move_bp:+d} bp",
            f"{_pp(o.before)} → {_pp(o.after)}",
            signed(o.change_pp, 1, " pp"),
            f"({o.basis})",
        ]
        for o in recap.fed
    ]
    lines += table(odds, "<<>>", indent="  ")
    if not recap.fed:
        lines.append(f"  {recap.fed_missing or 'no odds recorded'}")
    lines += ["", f"Fear & greed ({recap.fear_greed_basis} → now):"]
    readings = [
        [name, f"{fg_label(before)} → {fg_label(after)}"]
        for name, before, after in recap.fear_greed
    ]
    lines += table(readings, indent="  ")
    heads = "not kept for this span" if recap.headlines is None else str(recap.headlines)
    lines += ["", f"New headlines: {heads}"]
    if recap.failed is None:
        lines.append("Sources failing meanwhile: not applicable in replay")
    else:
        lines.append(f"Sources failing meanwhile: {', '.join(recap.failed) or 'none'}")
    return "\n".join(lines)


def parse_since(text: str, now: datetime) -> datetime:
    """`30m`, `12h`, `2d` before `now`, or a day (its start, UTC).

    Raises:
        RecapError: When the text is neither.
    """
    if m := re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhd])\s*", text.lower()):
        unit = {"m": "minutes", "h": "hours", "d": "days"}[m[2]]
        return now - timedelta(**{unit: float(m[1])})
    try:
        return datetime.combine(date.fromisoformat(text.strip()), datetime.min.time(), UTC)
    except ValueError:
        raise RecapError(f"--since takes 12h, 30m, 2d or YYYY-MM-DD, not {text!r}") from None


def last_session_end(directory: Path) -> datetime | None:
    """When the last dashboard session ended, from the state directory."""
    try:
        doc = json.loads((directory / SESSION_FILE).read_text(encoding="utf-8"))
        return datetime.fromisoformat(doc["ended"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def mark_session_end(directory: Path, when: datetime) -> None:
    """Keep the moment the session ended (atomically)."""
    from tui.alerts.state import write_atomic

    write_atomic(directory / SESSION_FILE, json.dumps({"ended": when.isoformat()}))
