"""Yahoo quotes (indices, stocks, futures, the dollar, VIX, the 10Y and the ZQ contracts), with
its fallbacks in order for the assets Yahoo did not answer: Cboe's delayed quotes (about 15
minutes; the S&P 500, the Nasdaq 100 and VIX), then Stooq's daily CSV."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from tui import measures
from tui.assets import BY_ID, Unit
from tui.panes.quotes import SESSION_OPENS
from tui.readings import Reading
from tui.sources import cboe, stooq, yahoo
from tui.sources.base import SourceError
from tui.sources.live.context import Context
from tui.sources.live.fed import keep_prices, zq_wanted

YAHOO_ID = "yahoo"


class Quotes:
    """The Yahoo → Stooq chain for one live context.

    Args:
        ctx: The shared live context.
        stooq_interval: Seconds between two Stooq fetches of one asset.
        stooq_key: Finds Stooq's key once, in a thread (`stooq.key_in_force`, env then
            keyring, when None).
    """

    def __init__(
        self,
        ctx: Context,
        stooq_interval: float = 300.0,
        stooq_key: Callable[[], str | None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.stooq_interval = stooq_interval
        self._session: yahoo.YahooSession | None = None
        self._stooq_last: dict[str, float] = {}
        self._cboe_last: dict[str, float] = {}
        self.cboe_interval = 60.0
        """Seconds between two Cboe fetches of one asset while Yahoo is down."""
        self._stooq_key: str | None = None
        self._stooq_key_looked_up = False
        self._stooq_key_lookup = stooq_key

    def symbols(self) -> dict[str, str]:
        """Yahoo symbol → asset id for one batched request, plus the ZQ contracts (`zq:…`)."""
        out = {BY_ID[a].yahoo or "": a for a in self.ctx.tracked() if BY_ID[a].yahoo}
        out.update(zq_wanted(self.ctx))
        return out

    async def refresh(self) -> None:
        """One Yahoo refresh; Stooq for what Yahoo did not answer.

        Raises:
            SourceError: When Yahoo failed (the Stooq fallback has run by then).
        """
        ctx = self.ctx
        wanted = self.symbols()
        assets = {s: a for s, a in wanted.items() if not a.startswith("zq:")}
        try:
            quotes = await self.fetch_yahoo(wanted)
        except SourceError as exc:
            lost = [a for a in assets.values() if not self._stands_in(a)]
            ctx.lose(lost, YAHOO_ID, exc.reason)
            ctx.state.zq_missing = []  # Yahoo failed (its error says why): it withheld nothing
            await self.fallbacks(list(assets.values()))
            raise
        received = ctx.clock()
        zq: dict[tuple[int, int], float] = {}
        missing_zq: list[str] = []
        unanswered: list[str] = []
        for symbol, asset_id in wanted.items():
            q = quotes.get(symbol)
            if asset_id.startswith("zq:"):
                if asset_id != "zq:front" and q is None:
                    missing_zq.append(symbol)
                elif asset_id != "zq:front" and q is not None:
                    year, month = asset_id[3:].split("-")
                    zq[(int(year), int(month))] = q.price
                continue
            if q is None:
                if not self._stands_in(asset_id):
                    unanswered.append(asset_id)
                continue
            asset = BY_ID[asset_id]
            prev = q.previous_close
            change = q.change if q.change is not None else (q.price - prev if prev else None)
            pct = q.change_pct
            if pct is None and prev:
                pct = (q.price / prev - 1) * 100
            ctx.keep(
                asset_id,
                Reading(
                    q.price,
                    change,
                    pct if asset.unit is Unit.PRICE else None,
                    q.time.astimezone(ZoneInfo(asset.tz)).date() if q.time else None,
                    q.time,
                    YAHOO_ID,
                    received,
                    symbol=symbol if symbol != asset.symbol else None,
                    currency=asset.quote_currency if asset.unit is Unit.PRICE else None,
                ),
            )
        today = ctx.today()
        front = quotes.get(next((s for s, a in wanted.items() if a == "zq:front"), ""))
        if front is not None and (today.year, today.month) not in zq:
            # The rolling front month is this month's contract: with today's EFFR it still
            # gives the next meeting when that meeting is this month.
            zq[(today.year, today.month)] = front.price
        ctx.state.zq, ctx.state.zq_missing, ctx.state.zq_received = zq, missing_zq, received
        keep_prices(ctx, YAHOO_ID, zq, received)
        ctx.lose([a for a in unanswered if not self._stooq_holds(a)], YAHOO_ID, "sent no quote")
        await self.fallbacks(unanswered)

    async def fetch_yahoo(self, symbols: Iterable[str]) -> dict[str, yahoo.YahooQuote]:
        """Yahoo's quotes of `symbols` (a refresh asks `symbols()`), 50 a request, after the
        cookie and crumb: the request of every refresh and of `riskpulse sources --check`.

        Raises:
            SourceError: When Yahoo failed.
        """
        if self._session is None:
            base = self.ctx.url(YAHOO_ID, yahoo.QUERY_BASE)
            self._session = yahoo.YahooSession(self.ctx.fetcher, base)
        return await self._session.quotes(list(symbols))

    async def fetch_cboe(self, asset_ids: Sequence[str]) -> dict[str, cboe.CboeQuote]:
        """Cboe's delayed quotes of these assets (those in `cboe.US_SYMBOLS`), one request each,
        an older trade than New York's last session marked stale: the fallback's request and
        the check's.

        Raises:
            SourceError: When no quote could be read.
        """
        ctx = self.ctx
        asked = measures.last_session_opened(
            ctx.now(), "America/New_York", SESSION_OPENS["America/New_York"], weekends=False
        )
        base = ctx.url("cboe", cboe.DEFAULT_BASE)
        return await cboe.fetch_us(ctx.fetcher, base, tuple(asset_ids), asked)

    async def fetch_stooq(self, asset_id: str) -> list[tuple[str, float]]:
        """Stooq's daily closes of one asset over the last two weeks, with the key in force:
        the fallback's request and the check's.

        Raises:
            SourceError: On any non-CSV answer or a close older than the range.
        """
        ctx = self.ctx
        await self._look_up_stooq_key()
        base = ctx.url("stooq", stooq.DEFAULT_BASE)
        symbol = BY_ID[asset_id].stooq or ""
        return await stooq.fetch_daily(ctx.fetcher, symbol, ctx.today(), base, key=self._stooq_key)

    async def _look_up_stooq_key(self) -> None:
        """Env or keyring, once, off the event loop (awaited before Stooq's requests run side
        by side, so none of them goes without the key)."""
        if not self._stooq_key_looked_up:
            self._stooq_key_looked_up = True
            lookup = self._stooq_key_lookup or stooq.key_in_force
            self._stooq_key = await asyncio.to_thread(lookup)

    async def fallbacks(self, asset_ids: list[str]) -> None:
        """Yahoo's fallbacks in order: Cboe's delayed quotes for the US indices and VIX it
        carries, then Stooq's daily closes for what is left."""
        left = await self.cboe_fallback(asset_ids)
        await self.stooq_fallback(left)

    async def cboe_fallback(self, asset_ids: list[str]) -> list[str]:
        """Cboe's delayed quotes (about 15 minutes) for the assets it carries, one request per
        symbol, at most every `cboe_interval` seconds; returns the assets still without one."""
        ctx = self.ctx
        now = ctx.clock()
        wanted = tuple(a for a in asset_ids if a in cboe.US_SYMBOLS)
        due = tuple(a for a in wanted if now - self._cboe_last.get(a, -1e12) >= self.cboe_interval)
        if due:
            for a in due:
                self._cboe_last[a] = now
            st = ctx.state.status["cboe"]
            try:
                got = await self.fetch_cboe(due)
            except SourceError as exc:
                st.error, st.failures = exc.reason, st.failures + 1
                ctx.fallback_failed(due, "cboe", exc.reason)
                got = {}
            else:
                st.last_ok, st.error, st.failures = ctx.clock(), None, 0
            received = ctx.clock()
            for asset_id, q in got.items():
                asset = BY_ID[asset_id]
                ctx.keep(
                    asset_id,
                    Reading(
                        q.price,
                        q.change,
                        q.change_pct,
                        q.time.astimezone(ZoneInfo(asset.tz)).date() if q.time else None,
                        q.time,
                        "cboe",
                        received,
                        detail=cboe.DELAY_NOTE,
                        currency=asset.quote_currency,
                    ),
                )
        held = {
            a
            for a in wanted
            if (r := ctx.state.readings.get(a)) is not None
            and r.source == "cboe"
            and a not in ctx.state.gaps
        }
        return [a for a in asset_ids if a not in held]

    async def stooq_fallback(self, asset_ids: list[str]) -> None:
        """Daily closes from Stooq for the assets Yahoo did not give (not more often than every
        `stooq_interval` seconds per asset)."""
        ctx = self.ctx
        now = ctx.clock()
        todo = [
            a
            for a in asset_ids
            if BY_ID[a].stooq and now - self._stooq_last.get(a, -1e12) >= self.stooq_interval
        ]
        if not todo:
            return
        await self._look_up_stooq_key()  # before the requests run side by side
        errors: list[str] = []
        semaphore = asyncio.Semaphore(4)

        async def one(asset_id: str) -> None:
            self._stooq_last[asset_id] = now
            try:
                async with semaphore:
                    rows = await self.fetch_stooq(asset_id)
            except SourceError as exc:
                errors.append(exc.reason)
                ctx.fallback_failed([asset_id], "stooq", exc.reason)
                return
            closes = sorted({date.fromisoformat(day): close for day, close in rows}.items())
            if closes:
                day, value = closes[-1]
                prev = closes[-2][1] if len(closes) > 1 else None
                ctx.keep(
                    asset_id,
                    Reading(
                        value,
                        value - prev if prev is not None else None,
                        (value / prev - 1) * 100 if prev else None,
                        day,
                        None,
                        "stooq",
                        ctx.clock(),
                        currency=BY_ID[asset_id].quote_currency,
                    ),
                )

        await asyncio.gather(*(one(a) for a in todo))
        st = ctx.state.status["stooq"]
        if errors:
            # The first failure is the cause: later ones in the same refresh are often the
            # breaker it opened refusing the rest ("paused after 3 failures").
            st.error, st.failures = errors[0], st.failures + 1
        else:
            st.last_ok, st.error, st.failures = ctx.clock(), None, 0

    def _stooq_holds(self, asset_id: str) -> bool:
        """Stooq's close, fetched within its interval, stands in while Yahoo stays silent: the
        row does not flip to stale between two Stooq fetches."""
        r = self.ctx.state.readings.get(asset_id)
        return (
            r is not None
            and r.source == "stooq"
            and asset_id not in self.ctx.state.gaps
            and self.ctx.clock() - r.received < self.stooq_interval
        )

    def _stands_in(self, asset_id: str) -> bool:
        """Another source serves the asset while Yahoo is silent (FRED's 10Y, Stooq's close)."""
        r = self.ctx.state.readings.get(asset_id)
        fred_serves = (
            BY_ID[asset_id].fred is not None
            and r is not None
            and r.source == "fred"
            and asset_id not in self.ctx.state.gaps
        )
        return fred_serves or self._stooq_holds(asset_id)
