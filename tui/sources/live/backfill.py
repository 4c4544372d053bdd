"""A year of daily closes per tracked asset into the cache, for the drill-down on today's data:
Yahoo charts (one request per symbol, two at a time) and Binance daily candles for crypto (the
bundled crypto history is those candles). Every close passes the reading gate."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import date

from tui.assets import BY_ID
from tui.gate import level_ok
from tui.sources import binance, yahoo
from tui.sources.live.context import Context


async def backfill(ctx: Context) -> str | None:
    """Fill the cache's daily history.

    Returns:
        None when every asset was filled, else one line on what was not (or no cache).
    """
    store = ctx.store
    if store is None:
        return "no cache to fill"
    yahoo_base = ctx.url("yahoo", yahoo.QUERY_BASE)
    binance_base = ctx.url("binance", binance.SPOT_BASE)
    jobs: list[tuple[str, Awaitable[list[tuple[date, float]]]]] = []
    for asset_id in ctx.tracked():
        asset = BY_ID[asset_id]
        if asset.yahoo and asset.fred is None:  # FRED's own history serves the rates
            jobs.append((asset_id, yahoo.fetch_chart(ctx.fetcher, asset.yahoo, yahoo_base)))
        elif asset.binance:
            klines = binance.fetch_daily_klines(ctx.fetcher, asset.binance, binance_base)
            jobs.append((asset_id, klines))
    semaphore = asyncio.Semaphore(2)
    failed: list[str] = []

    async def one(asset_id: str, job: Awaitable[list[tuple[date, float]]]) -> None:
        async with semaphore:
            try:
                points = await job
            except Exception:  # a source's fault (or a parser's) skips this asset only
                failed.append(asset_id)
                return
        today = ctx.today()
        asset = BY_ID[asset_id]
        # Today's bar is the running session: the live quote keeps it current.
        kept = {d: v for d, v in points if d <= today and level_ok(asset, v)}
        store.add_history(asset_id, sorted(kept.items()))

    await asyncio.gather(*(one(a, j) for a, j in jobs))
    return f"no daily history for {', '.join(sorted(failed))}" if failed else None
