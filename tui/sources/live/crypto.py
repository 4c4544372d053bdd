"""Crypto: CoinGecko prices (fallback: Binance spot tickers), BTC perpetual funding and open
interest from Binance futures."""

from __future__ import annotations

from datetime import date, datetime

from tui import bundled
from tui.assets import BY_ID
from tui.history import Series
from tui.panes import derivatives
from tui.readings import Reading
from tui.sources import binance, coingecko
from tui.sources.base import SourceError
from tui.sources.live.context import Context


def coins(ctx: Context) -> list[str]:
    """Tracked coins CoinGecko quotes."""
    return [a for a in ctx.tracked() if BY_ID[a].coingecko]


async def refresh_coingecko(ctx: Context) -> None:
    """CoinGecko's markets in USD, one request; Binance spot for any coin it did not give.

    Raises:
        SourceError: When CoinGecko failed (the Binance fallback has run by then).
    """
    wanted = coins(ctx)
    try:
        quotes = await coingecko.fetch(ctx.fetcher, ctx.url("coingecko", coingecko.DEFAULT_BASE))
    except SourceError as exc:
        ctx.lose(wanted, "coingecko", exc.reason)
        await binance_spot(ctx, wanted)
        raise
    received = ctx.clock()
    for asset_id in wanted:
        q = quotes.get(asset_id)
        if q is None:
            ctx.lose([asset_id], "coingecko", "sent no price")
            continue
        prev = q.price - q.change_24h if q.change_24h is not None else None
        pct = q.change_pct_24h
        if pct is None and prev:
            pct = (q.price / prev - 1) * 100
        ctx.keep(
            asset_id,
            Reading(
                q.price,
                q.change_24h,
                pct,
                q.updated.date() if q.updated else None,
                q.updated,
                "coingecko",
                received,
                detail="24 h change",
                symbol=f"{asset_id.upper()}/USD",
                currency="USD",
            ),
        )
    missing = [a for a in wanted if a not in quotes]
    if missing:
        await binance_spot(ctx, missing)


async def binance_spot(ctx: Context, asset_ids: list[str]) -> None:
    """CoinGecko's fallback: Binance spot tickers in USDT, one request."""
    if not asset_ids:
        return
    try:
        tickers = await binance.fetch_tickers(ctx.fetcher, ctx.url("binance", binance.SPOT_BASE))
    except SourceError as exc:
        for a in asset_ids:
            before = ctx.state.gaps.get(a)
            why = f"{before.text()}; " if before is not None else ""
            ctx.lose([a], None, f"{why}binance: {exc.reason}")
        return
    received = ctx.clock()
    for asset_id in asset_ids:
        t = tickers.get(BY_ID[asset_id].binance or "")
        if t is None:
            continue
        ctx.keep(
            asset_id,
            Reading(
                t.last,
                t.change,
                t.change_pct,
                t.close_time.date(),
                t.close_time,
                "binance",
                received,
                detail="24 h change",
                symbol=f"{asset_id.upper()}/USDT",
                currency="USDT",
            ),
        )


class Derivatives:
    """BTC perpetual funding and open interest, with the prints seen so far for the sparkline."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.funding_prints: dict[datetime, float] = {}
        self.oi_points: dict[date, float] = {}
        self.funding_history: Series | None = None
        self.oi_history: Series | None = None

    async def refresh(self) -> None:
        """Funding (required) and open interest (its failure alone does not fail Binance).

        Raises:
            SourceError: When the funding request failed or held no readable print.
        """
        ctx = self.ctx
        base = ctx.url("binance", binance.FUTURES_BASE)
        try:
            prints = await binance.fetch_funding(ctx.fetcher, base)
        except SourceError as exc:
            ctx.lose(["btc_funding", "btc_oi"], "binance", exc.reason)
            raise
        try:
            interest = await binance.fetch_open_interest(ctx.fetcher, base)
        except SourceError as exc:
            ctx.lose(["btc_oi"], "binance", exc.reason)
        else:
            self._open_interest(interest)
        if not prints:
            ctx.lose(["btc_funding"], "binance", "sent no readable funding print")
            raise SourceError("binance", "no readable funding print in the reply")
        if not self.funding_prints:
            since = ctx.today().toordinal() - 10
            for old in bundled.btc_funding():
                if old.time.date().toordinal() >= since:
                    self.funding_prints[old.time] = old.rate
        for new in prints:
            self.funding_prints[new.time] = new.rate
        got = derivatives.funding(self.funding_prints.items(), "binance", ctx.clock())
        if got is not None:
            reading, history = got
            if ctx.keep("btc_funding", reading):
                self.funding_history = history

    def _open_interest(self, interest: list[binance.OpenInterest]) -> None:
        if not interest:
            return
        for p in interest:
            self.oi_points[p.time.date()] = p.value_usdt
        last = interest[-1]
        got = derivatives.open_interest(
            self.oi_points.items(),
            "binance",
            self.ctx.clock(),
            time=last.time,
            detail=f"{last.contracts:,.0f} BTC",
        )
        if got is not None:
            reading, history = got
            if self.ctx.keep("btc_oi", reading):
                self.oi_history = history
