"""Crypto: CoinGecko prices (fallback: Binance spot tickers), BTC perpetual funding and open
interest from Binance futures."""

from __future__ import annotations

from datetime import date, datetime

from tui import bundled
from tui.assets import BY_ID, USER_IDS
from tui.history import Series, json_number
from tui.panes import derivatives
from tui.readings import Reading
from tui.sources import binance, coingecko
from tui.sources.base import SourceError, rebase
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
    only_binance = [  # pairs added as binance:PAIR, which CoinGecko does not quote
        a
        for a in ctx.tracked()
        if a in USER_IDS and BY_ID[a].binance and not BY_ID[a].coingecko and not BY_ID[a].yahoo
    ]
    try:
        quotes = await fetch_markets(ctx, wanted)
    except SourceError as exc:
        ctx.lose(wanted, "coingecko", exc.reason)
        await binance_spot(ctx, [*wanted, *only_binance])
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
                symbol=f"{_ticker(asset_id)}/USD",
                currency="USD",
            ),
        )
    missing = [a for a in wanted if a not in quotes]
    if missing or only_binance:
        await binance_spot(ctx, [*missing, *only_binance])


def _ticker(asset_id: str) -> str:
    """The coin's ticker for the row's symbol (BTC; DOGE for an added coin)."""
    return BY_ID[asset_id].short or asset_id.upper()


async def fetch_markets(ctx: Context, wanted: list[str]) -> dict[str, coingecko.CoinQuote]:
    """One `/coins/markets` request for every tracked coin, shipped or added by the user: the
    request of every refresh and of `riskpulse sources --check`.

    Raises:
        SourceError: When CoinGecko failed.
    """
    added = {BY_ID[a].coingecko or "": a for a in wanted if a in USER_IDS}
    base = ctx.url("coingecko", coingecko.DEFAULT_BASE)
    if not added:
        return await coingecko.fetch(ctx.fetcher, base)
    url = rebase(f"{coingecko.DEFAULT_BASE}/api/v3/coins/markets", base)
    ids = ",".join([*coingecko.COIN_IDS.values(), *added])
    payload = await ctx.fetcher.get_json(
        "coingecko", url, params={"vs_currency": "usd", "ids": ids}
    )
    quotes = coingecko.parse_markets(payload)
    for row in payload if isinstance(payload, list) else []:
        # The same fields `parse_markets` reads, for the coins it has no catalogue id for.
        asset_id = added.get(str(row.get("id"))) if isinstance(row, dict) else None
        price = json_number(row.get("current_price")) if asset_id else None
        if asset_id is None or price is None:
            continue
        try:
            stamp = datetime.fromisoformat(str(row.get("last_updated")).replace("Z", "+00:00"))
        except ValueError:
            stamp = None
        quotes[asset_id] = coingecko.CoinQuote(
            asset_id,
            price,
            json_number(row.get("price_change_24h")),
            json_number(row.get("price_change_percentage_24h")),
            json_number(row.get("ath")),
            row.get("ath_date") if isinstance(row.get("ath_date"), str) else None,
            stamp,
        )
    return quotes


async def _tickers(ctx: Context, asset_ids: list[str]) -> dict[str, binance.Ticker]:
    """Binance spot tickers in one request: the shipped pairs plus any the user added."""
    base = ctx.url("binance", binance.SPOT_BASE)
    added = [BY_ID[a].binance or "" for a in asset_ids if a in USER_IDS and BY_ID[a].binance]
    if not added:
        return await binance.fetch_tickers(ctx.fetcher, base)
    url = rebase(f"{binance.SPOT_BASE}/api/v3/ticker/24hr", base)
    pairs = dict.fromkeys([*binance.SYMBOLS.values(), *added])
    symbols = "[" + ",".join(f'"{s}"' for s in pairs if s) + "]"
    payload = await ctx.fetcher.get_json("binance", url, params={"symbols": symbols})
    return binance.parse_tickers(payload)


async def binance_spot(ctx: Context, asset_ids: list[str]) -> None:
    """CoinGecko's fallback: Binance spot tickers in USDT, one request."""
    if not asset_ids:
        return
    try:
        tickers = await _tickers(ctx, asset_ids)
    except SourceError as exc:
        ctx.fallback_failed(asset_ids, "binance", exc.reason)
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
                symbol=f"{_ticker(asset_id)}/USDT",
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
        try:
            prints = await self.fetch_funding()
        except SourceError as exc:
            ctx.lose(["btc_funding", "btc_oi"], "binance", exc.reason)
            raise
        try:
            interest = await binance.fetch_open_interest(ctx.fetcher, self._futures_base())
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

    def _futures_base(self) -> str:
        return self.ctx.url("binance", binance.FUTURES_BASE)

    async def fetch_funding(self) -> list[binance.Funding]:
        """The perpetual's latest funding prints (Binance futures, one request): the request
        Binance's refresh cannot do without, and the one `riskpulse sources --check` makes.

        Raises:
            SourceError: When the request failed.
        """
        return await binance.fetch_funding(self.ctx.fetcher, self._futures_base())

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
