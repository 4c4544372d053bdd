"""A year of daily closes per tracked asset into the cache, for the drill-down on today's data:
Yahoo charts (one request per symbol, two at a time) and Binance daily candles for crypto (the
bundled crypto history is those candles); a coin added from CoinGecko from CoinGecko's own daily
chart first (the source of its quote), its Binance USDT pair after. Every close passes the
reading gate.

`backfill_one` fills a single asset: the drill-down of a symbol whose history is missing or short
asks for it on opening, without waiting for the next round.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from tui.assets import BY_ID, USER_IDS, Asset
from tui.gate import level_ok
from tui.sources import binance, coingecko, yahoo
from tui.sources.errors import SourceError
from tui.sources.live.context import Context

Points = list[tuple[date, float]]


@dataclass(frozen=True, slots=True)
class HistoryJob:
    """One way to fetch an asset's daily history.

    Attributes:
        what: The source and what it serves ("Yahoo chart", "Binance DOGEUSDT candles").
        fetch: Starts the request.
    """

    what: str
    fetch: Callable[[], Awaitable[Points]]


def jobs_for(ctx: Context, asset: Asset) -> list[HistoryJob]:
    """Where the asset's daily history comes from, in the order tried (empty: nowhere; the
    rates are served by FRED's own history)."""
    fetcher = ctx.fetcher
    yahoo_base = ctx.url("yahoo", yahoo.QUERY_BASE)
    binance_base = ctx.url("binance", binance.SPOT_BASE)
    gecko_base = ctx.url("coingecko", coingecko.DEFAULT_BASE)
    out: list[HistoryJob] = []
    if asset.yahoo and asset.fred is None:
        symbol = asset.yahoo
        out.append(
            HistoryJob("Yahoo chart", lambda: yahoo.fetch_chart(fetcher, symbol, yahoo_base))
        )
        return out
    if asset.coingecko and asset.id in USER_IDS:
        coin = asset.coingecko
        out.append(
            HistoryJob(
                "CoinGecko daily chart",
                lambda: coingecko.fetch_market_chart(fetcher, coin, gecko_base),
            )
        )
    if asset.binance:
        pair = asset.binance
        out.append(
            HistoryJob(
                f"Binance {pair} daily candles",
                lambda: binance.fetch_daily_klines(fetcher, pair, binance_base),
            )
        )
    return out


async def fetch_history(ctx: Context, asset: Asset) -> tuple[Points, str | None]:
    """Fetch one asset's year, trying its sources in order.

    Returns:
        The closes the gate admits up to today, and None; or no closes and one line on why
        (each source tried, with its reason).
    """
    jobs = jobs_for(ctx, asset)
    if not jobs:
        return [], f"no source serves {asset.symbol}'s daily history"
    reasons = []
    for job in jobs:
        try:
            points = await job.fetch()
        except SourceError as exc:
            reasons.append(f"{job.what}: {exc.reason}")
            continue
        except Exception as exc:  # a parser's fault skips this source only
            reasons.append(f"{job.what}: unexpected {type(exc).__name__}")
            continue
        today = ctx.today()
        # Today's bar is the running session: the live quote keeps it current.
        kept = {d: v for d, v in points if d <= today and level_ok(asset, v)}
        if kept:
            return sorted(kept.items()), None
        reasons.append(f"{job.what}: no daily closes in the reply")
    return [], "; ".join(reasons)


async def backfill_one(ctx: Context, asset_id: str) -> str | None:
    """Fill the cache with one asset's year of daily closes.

    Returns:
        None when it was filled, else one line on why not.
    """
    store = ctx.store
    if store is None:
        return "no cache to fill"
    points, why = await fetch_history(ctx, BY_ID[asset_id])
    if why is None:
        store.add_history(asset_id, points)
    return why


async def backfill(ctx: Context, skip: str | None = None) -> str | None:
    """Fill the cache's daily history of every tracked asset.

    Args:
        ctx: The live context.
        skip: An asset filled on its own meanwhile (`backfill_one`), not fetched twice.

    Returns:
        None when every asset was filled, else one line on what was not (or no cache).
    """
    store = ctx.store
    if store is None:
        return "no cache to fill"
    wanted = [BY_ID[a] for a in ctx.tracked() if a != skip and jobs_for(ctx, BY_ID[a])]
    semaphore = asyncio.Semaphore(2)
    failed: list[str] = []

    async def one(asset: Asset) -> None:
        async with semaphore:
            points, why = await fetch_history(ctx, asset)
        if why is not None:
            failed.append(asset.id)
            return
        store.add_history(asset.id, points)

    await asyncio.gather(*(one(a) for a in wanted))
    return f"no daily history for {', '.join(sorted(failed))}" if failed else None
