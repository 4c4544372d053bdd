"""Fed watch live: the CME method on CME's settlements of the 30-day fed funds futures, else on
Yahoo's dated ZQ contracts, with Kalshi and Polymarket beside them (and standing in when no
futures price answered). Composed by `tui.panes.fed`, exactly as replay's pane is. Changes over
1 day, 1 week and 1 month compare like with like: the readings the cache kept on earlier days
from the same source and method.

The futures prices each source gave are kept in the cache too (`keep_prices`), with today's
prediction-market odds: a start from the cache computes the odds from them (`load_kept`) by the
same method, dated by the day the prices arrived and marked with their time, until a source
answers.

The CME and prediction-market adapters load with their first refresh: composing the pane (from
the cache, before any source answered) needs neither."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from tui import bundled
from tui.fed_odds import OddsReading, OddsSource
from tui.measures import new_york_day
from tui.model import FedWatch
from tui.panes.fed_inputs import live_fedwatch, stored_reading
from tui.sources.base import SourceError
from tui.sources.live.context import Context

if TYPE_CHECKING:
    from tui.sources import cme, prediction_markets

MONTH_CODES = "FGHJKMNQUVXZ"
MEETINGS_SHOWN = 4
KEPT_DAYS = 40
"""Days of kept readings read back for the 1-day, 1-week and 1-month changes."""
MARKET_SOURCES = ("kalshi", "polymarket")
"""Prediction markets: their odds are kept per day and stand in, today, until they answer."""


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
    return [d for d in bundled.fomc_decision_days() if d >= today][:MEETINGS_SHOWN]


def zq_wanted(ctx: Context) -> dict[str, str]:
    """Yahoo symbols of the ZQ contracts the next meetings need (`zq:YYYY-MM`), and the front;
    asked only while CME's settlements are not at hand (Yahoo's are the fallback)."""
    if ctx.state.cme_prices:
        return {}
    out = {zq_symbol(y, m): f"zq:{y}-{m:02d}" for y, m in zq_months(upcoming_meetings(ctx))}
    out["ZQ=F"] = "zq:front"
    return out


def load_adapters() -> None:
    """Import the CME and prediction-market adapters now (from a worker thread, on connecting)
    so their first refresh does not load them on the event loop."""
    from tui.sources import cme, prediction_markets  # noqa: F401


async def fetch_cme(ctx: Context) -> cme.Settlements:
    """CME's settlements of the 30-day fed funds futures (one request): the refresh's and the
    check's.

    Raises:
        SourceError: When CME refused or failed.
    """
    from tui.sources import cme

    return await cme.fetch(ctx.fetcher, ctx.url("cme", cme.BASE))


async def fetch_kalshi(ctx: Context) -> list[prediction_markets.MeetingMarket]:
    """Kalshi's FOMC-decision markets (one request): the refresh's and the check's.

    Raises:
        SourceError: When Kalshi failed.
    """
    from tui.sources import prediction_markets

    base = ctx.url("kalshi", prediction_markets.KALSHI_BASE)
    return await prediction_markets.fetch_kalshi(ctx.fetcher, base)


async def fetch_polymarket(ctx: Context) -> list[prediction_markets.MeetingMarket]:
    """Polymarket's FOMC-decision event (one request): the refresh's and the check's.

    Raises:
        SourceError: When Polymarket failed.
    """
    from tui.sources import prediction_markets

    base = ctx.url("polymarket", prediction_markets.POLYMARKET_BASE)
    return await prediction_markets.fetch_polymarket(ctx.fetcher, base)


async def refresh_cme(ctx: Context) -> None:
    """CME's settlements of the 30-day fed funds futures (one request).

    Raises:
        SourceError: When CME refused or its reply held no settlement (a holiday).
    """
    settlements = await fetch_cme(ctx)
    prices = settlements.prices()
    if settlements.empty or not prices:
        raise SourceError("cme", "no settlements in the reply (a holiday?)")
    ctx.state.cme_prices = prices
    ctx.state.cme_received = ctx.clock()
    keep_prices(ctx, "cme", prices, ctx.state.cme_received)


def keep_prices(
    ctx: Context, source: str, prices: Mapping[tuple[int, int], float], received: float
) -> None:
    """Keep the futures prices a source gave in the cache, for the odds of the next start.

    Args:
        ctx: The live context (nothing is kept without a cache).
        source: `cme` or `yahoo`.
        prices: Contract month (year, month) → price.
        received: When they arrived (epoch seconds).
    """
    if ctx.store is not None and prices:
        ctx.store.keep_futures(source, prices, received)


def load_kept(ctx: Context) -> None:
    """Read what the cache kept for the Fed-watch odds: the last futures prices per source and
    today's prediction-market odds. They stand in until the sources answer; reads the cache,
    so call it off the UI thread, once the cached numbers are painted."""
    store = ctx.store
    if store is None:
        return
    today = ctx.today()
    ctx.state.kept_futures = store.kept_futures()
    ctx.state.kept_odds = [
        stored_reading(OddsSource(source), meeting, day, probabilities)
        for source, meeting, day, probabilities in store.fed_odds_since(today)
        if day == today and source in MARKET_SOURCES
    ]


async def refresh_kalshi(ctx: Context) -> None:
    """Kalshi's FOMC-decision markets (one request)."""
    ctx.state.markets["kalshi"] = await fetch_kalshi(ctx)


async def refresh_polymarket(ctx: Context) -> None:
    """Polymarket's FOMC-decision event (one request)."""
    ctx.state.markets["polymarket"] = await fetch_polymarket(ctx)


def _when(seconds: float, now: float) -> str:
    """`17:38Z` on the day of `now` (UTC), `2026-12-05 17:38Z` on an earlier one."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    today = moment.date() == datetime.fromtimestamp(now, tz=UTC).date()
    return moment.strftime("%H:%MZ" if today else "%Y-%m-%d %H:%MZ")


Prices = tuple[dict[tuple[int, int], float] | None, OddsSource, float | None, str | None]
"""Futures prices by contract month, their source, when they arrived, a line when they are old."""


def _prices(ctx: Context) -> Prices:
    """The futures prices the odds are computed from: CME's settlements, else Yahoo's ZQ
    prices, as received in this session; else the ones the cache kept, in the same order."""
    state = ctx.state
    now = ctx.clock()
    if state.cme_prices:
        error = state.status["cme"].error
        received = state.cme_received
        old = f"settlements of {_when(received or 0, now)}; cme: {error}" if error else None
        return state.cme_prices, OddsSource.CME, received, old
    if state.zq:
        error = state.status["yahoo"].error
        received = state.zq_received
        old = f"futures prices of {_when(received or 0, now)}; yahoo: {error}" if error else None
        return state.zq, OddsSource.YAHOO, received, old
    for source, what in (("cme", "settlements"), ("yahoo", "futures prices")):
        kept = state.kept_futures.get(source)
        if kept:
            received, prices = kept
            st = state.status[source]
            if st.error:
                why = f"{source}: {st.error}"
            else:
                why = f"{source} sent none since" if st.last_ok else "waiting for a refresh"
            return (
                prices,
                OddsSource(source),
                received,
                f"cached {what} of {_when(received, now)}; {why}",
            )
    return None, OddsSource.CME, None, None


def _markets(ctx: Context, today: date) -> list[OddsReading]:
    return [
        m.reading(today)
        for source in ("kalshi", "polymarket")
        for m in ctx.state.markets.get(source, [])
    ]


def _earlier(ctx: Context, today: date) -> list[OddsReading]:
    if ctx.store is None:
        return []
    out = []
    for source, meeting, day, probabilities in ctx.store.fed_odds_since(
        today - timedelta(days=KEPT_DAYS)
    ):
        if day < today and source in OddsSource._value2member_map_:
            out.append(stored_reading(OddsSource(source), meeting, day, probabilities))
    return out


def _why_none(ctx: Context) -> str:
    failing = [
        f"{sid}: {ctx.state.status[sid].error}"
        for sid in ("cme", "yahoo", "kalshi", "polymarket")
        if ctx.state.status[sid].error
    ]
    missing = ctx.state.zq_missing
    if missing:
        shown = ", ".join(missing[:3]) + ("…" if len(missing) > 3 else "")
        failing.append(f"Yahoo sent no price for {shown}")
    return "no odds yet" + (f" ({'; '.join(failing)})" if failing else "")


def pane(ctx: Context) -> FedWatch:
    """The Fed-watch pane from what the sources answered so far (what the cache kept stands in
    until they do). Futures odds are dated by the New York day their prices arrived."""
    today = ctx.today()
    prices, source, received, old = _prices(ctx)
    prices_day = new_york_day(datetime.fromtimestamp(received, tz=UTC)) if received else None
    answered = ctx.state.markets
    kept = [r for r in ctx.state.kept_odds if r.source.value not in answered]
    effr = ctx.state.readings.get("effr")
    fw = live_fedwatch(
        today,
        bundled.fomc_calendar(),
        prices=prices,
        prices_source=source,
        prices_day=prices_day,
        current_rate=effr.price if effr else None,
        rate_as_of=effr.day if effr else None,
        markets=[*_markets(ctx, today), *kept],
        earlier=_earlier(ctx, today),
        as_of=ctx.now(),
        no_odds=_why_none(ctx),
    )
    if old is not None and fw.error is None:
        from dataclasses import replace

        fw = replace(fw, error=old)
    return fw


def record(ctx: Context) -> None:
    """Keep today's readings in the cache, per source, for tomorrow's changes."""
    if ctx.store is None:
        return
    today = ctx.today()
    for m in pane(ctx).meetings:
        futures = m.source in (OddsSource.CME, OddsSource.YAHOO)
        if futures and m.source is not None and m.probabilities and m.as_of == today:
            ctx.store.add_fed_odds(m.source.value, m.date, today, m.probabilities)
    for reading in _markets(ctx, today):
        ctx.store.add_fed_odds(reading.source.value, reading.meeting, today, reading.probabilities)
