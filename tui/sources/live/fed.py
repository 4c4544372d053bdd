"""Fed watch live: dated 30-day fed funds futures (ZQ) by the CME method, else Kalshi, with
Polymarket beside it. Changes over 1 day, 1 week and 1 month compare like with like: the odds
the cache kept on earlier days from the same method."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

from tui import fedwatch
from tui.bundled import fomc_decision_days
from tui.model import FedMeeting, FedWatch
from tui.sources import prediction_markets
from tui.sources.live.context import Context

MONTH_CODES = "FGHJKMNQUVXZ"
MEETINGS_SHOWN = 4


class FedMethod(StrEnum):
    """Where a set of odds came from: the key their history is stored under."""

    FUTURES = "futures"
    KALSHI = "kalshi"
    POLYMARKET = "polymarket"


MARKET_NAMES = {FedMethod.KALSHI: "Kalshi", FedMethod.POLYMARKET: "Polymarket"}


def zq_symbol(year: int, month: int) -> str:
    """Yahoo's dated 30-day fed funds future: `ZQZ25.CBT` for December 2025."""
    return f"ZQ{MONTH_CODES[month - 1]}{year % 100:02d}.CBT"


def zq_months(meetings: Iterable[date]) -> list[tuple[int, int]]:
    """Contract months the CME method needs: each meeting's month and its neighbours."""
    months: set[tuple[int, int]] = set()
    for m in meetings:
        months.add((m.year, m.month))
        prev = (m.year - 1, 12) if m.month == 1 else (m.year, m.month - 1)
        nxt = (m.year + 1, 1) if m.month == 12 else (m.year, m.month + 1)
        months.update((prev, nxt))
    return sorted(months)


def upcoming_meetings(ctx: Context) -> list[date]:
    """The next FOMC decision days in the calendar, today's included."""
    today = ctx.today()
    return [d for d in fomc_decision_days() if d >= today][:MEETINGS_SHOWN]


def zq_wanted(ctx: Context) -> dict[str, str]:
    """Yahoo symbols of the ZQ contracts the next meetings need (`zq:YYYY-MM`), and the front."""
    out = {zq_symbol(y, m): f"zq:{y}-{m:02d}" for y, m in zq_months(upcoming_meetings(ctx))}
    out["ZQ=F"] = "zq:front"
    return out


async def refresh_kalshi(ctx: Context) -> None:
    """Kalshi's FOMC-decision markets (one request)."""
    base = ctx.url("kalshi", prediction_markets.KALSHI_BASE)
    ctx.state.markets["kalshi"] = await prediction_markets.fetch_kalshi(ctx.fetcher, base)


async def refresh_polymarket(ctx: Context) -> None:
    """Polymarket's FOMC-decision event (one request)."""
    base = ctx.url("polymarket", prediction_markets.POLYMARKET_BASE)
    ctx.state.markets["polymarket"] = await prediction_markets.fetch_polymarket(ctx.fetcher, base)


def _hhmm(ctx: Context, seconds: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%H:%MZ")


def pane(ctx: Context) -> tuple[FedWatch, FedMethod | None]:
    """The Fed-watch pane and the method its odds came from (None: no fresh odds)."""
    meetings = upcoming_meetings(ctx)
    now = ctx.now()
    if not meetings:
        error = "the FOMC calendar riskpulse carries has run out; update riskpulse"
        return FedWatch(error=error, source=None, as_of=now), None
    notes: list[str] = []
    if len(meetings) < MEETINGS_SHOWN:
        notes.append(f"the FOMC calendar ends at {meetings[-1]}: later meetings are not shown")
    beside = _markets_by_meeting(ctx)
    effr = ctx.state.readings.get("effr")
    solved = fedwatch.solve(ctx.state.zq, meetings, effr.price if effr else None)
    today = ctx.today()
    if solved:
        rows = [
            _with_changes(
                ctx,
                FedMeeting(
                    o.meeting,
                    o.probabilities_bp,
                    implied_rate=round(o.r_end, 4),
                    note=_beside_note(beside.get(o.meeting, [])),
                ),
                today,
                FedMethod.FUTURES,
            )
            for o in solved
        ]
        yahoo_error = ctx.state.status["yahoo"].error
        stale = (
            f"futures prices of {_hhmm(ctx, ctx.state.zq_received)}; yahoo: {yahoo_error}"
            if yahoo_error and ctx.state.zq_received is not None
            else None
        )
        source = "CME FedWatch method on Yahoo 30-day fed funds futures (ZQ)"
        return FedWatch(tuple(rows), source, now, error=stale, notes=tuple(notes)), (
            FedMethod.FUTURES
        )
    missing = ctx.state.zq_missing
    why = (
        f"Yahoo sent no price for {', '.join(missing[:3])}" + ("…" if len(missing) > 3 else "")
        if missing
        else "no futures prices yet"
    )
    for method in (FedMethod.KALSHI, FedMethod.POLYMARKET):
        markets = {m.meeting: m for m in ctx.state.markets.get(method.value, [])}
        if not markets:
            continue
        rows = []
        for meeting in meetings:
            if meeting not in markets:
                continue
            others = [m for m in beside.get(meeting, []) if m.source != method.value]
            rows.append(
                _with_changes(
                    ctx,
                    FedMeeting(meeting, markets[meeting].probabilities, note=_beside_note(others)),
                    today,
                    method,
                )
            )
        source = f"{MARKET_NAMES[method]} prediction market (futures unavailable: {why})"
        return FedWatch(tuple(rows), source, now, notes=tuple(notes)), method
    errors = [
        f"{sid}: {ctx.state.status[sid].error}"
        for sid in ("kalshi", "polymarket")
        if ctx.state.status[sid].error
    ]
    error = f"no odds: futures unavailable ({why})" + (f"; {'; '.join(errors)}" if errors else "")
    cached = ctx.state.cached
    if cached is not None and cached.fedwatch.meetings and ctx.state.cached_at is not None:
        c = cached.fedwatch
        error = f"showing the cached odds of {_hhmm(ctx, ctx.state.cached_at)}; {error}"
        return FedWatch(c.meetings, c.source, c.as_of, error=error, notes=c.notes), None
    empty = tuple(FedMeeting(m) for m in meetings)
    return FedWatch(empty, None, now, error=error, notes=tuple(notes)), None


def record(ctx: Context) -> None:
    """Keep today's odds in the cache, per method, for tomorrow's changes."""
    if ctx.store is None:
        return
    fw, method = pane(ctx)
    if method is None or fw.error:
        return  # nothing new (or cached odds standing in): no history to add
    for m in fw.meetings:
        if m.probabilities:
            ctx.store.add_fed_odds(method.value, m.date, ctx.today(), m.probabilities)


def _markets_by_meeting(ctx: Context) -> dict[date, list[prediction_markets.MeetingMarket]]:
    out: dict[date, list[prediction_markets.MeetingMarket]] = {}
    for source in ("kalshi", "polymarket"):
        for m in ctx.state.markets.get(source, []):
            out.setdefault(m.meeting, []).append(m)
    return out


def _with_changes(ctx: Context, meeting: FedMeeting, today: date, method: FedMethod) -> FedMeeting:
    """Add the 1d/1w/1m changes from the odds of the same method on earlier days."""
    store = ctx.store
    if store is None or not meeting.probabilities:
        return meeting

    def change(days: int) -> dict[int, float]:
        past = store.fed_odds_before(method.value, meeting.date, today - timedelta(days=days - 1))
        if past is None:
            return {}
        return {
            k: round((v - past[k]) * 100, 2) for k, v in meeting.probabilities.items() if k in past
        }

    return FedMeeting(
        meeting.date,
        meeting.probabilities,
        change(1),
        change(7),
        meeting.implied_rate,
        meeting.note,
        change(30),
    )


def _beside_note(markets: list[prediction_markets.MeetingMarket]) -> str | None:
    parts = []
    for m in markets:
        name = "Kalshi" if m.source == "kalshi" else "Polymarket"
        odds = ", ".join(
            f"{'hold' if k == 0 else f'{k:+d}bp'} {v * 100:.0f}%"
            for k, v in sorted(m.probabilities.items())
            if v >= 0.005
        )
        parts.append(f"{name}: {odds}")
    return "; ".join(parts) or None
