"""Headlines: the macro feeds on their own refresh, and one asset's feeds when its drill-down
opens (Google News search for its name; Yahoo's headline feed for symbols Yahoo quotes)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from urllib.parse import quote

from tui.assets import BY_ID, AssetClass
from tui.explain.headlines import Headline
from tui.sources import news
from tui.sources.base import SourceError
from tui.sources.live.context import Context

KEPT = 200
"""Headlines kept, newest first."""


async def fetch_macro(ctx: Context) -> list[news.FeedItem]:
    """Every macro feed, concurrently (one request each); a failing feed is skipped while
    another answers. The request of every refresh and of `riskpulse sources --check`.

    Raises:
        SourceError: When no feed held a headline.
    """
    base = ctx.urls.get("news")
    results = await asyncio.gather(
        *(news.fetch_feed(ctx.fetcher, url, src, base) for url, src in news.MACRO_FEEDS),
        return_exceptions=True,
    )
    items = [i for r in results if isinstance(r, list) for i in r]
    errors = [r for r in results if isinstance(r, SourceError)]
    if not items:
        raise errors[0] if errors else SourceError("news", "no feed held a headline")
    return items


async def refresh(ctx: Context) -> None:
    """Every macro feed (`fetch_macro`), newest first, one headline per title.

    Raises:
        SourceError: When no feed held a headline.
    """
    items = await fetch_macro(ctx)
    seen: set[str] = set()
    unique = []
    oldest = datetime.min.replace(tzinfo=UTC)
    for item in sorted(items, key=lambda i: i.published or oldest, reverse=True):
        if item.title.lower() not in seen:
            seen.add(item.title.lower())
            unique.append(item)
    ctx.state.headlines = unique[:KEPT]


async def for_asset(ctx: Context, asset_id: str) -> tuple[Headline, ...]:
    """Headlines about one asset, kept with the macro ones; a failing feed is skipped. Before
    the source is connected (a drill-down opened on the cached snapshot) the kept ones serve."""
    asset = BY_ID.get(asset_id)
    if asset is None or ctx.http is None:
        return ctx.headlines()
    base = ctx.urls.get("news")
    feeds: list[tuple[str, str | None]] = [(news.asset_feed(asset.name.split(" (")[0]), None)]
    if asset.yahoo and asset.asset_class is not AssetClass.CRYPTO:
        feeds.append((news.YAHOO_HEADLINES.format(symbol=quote(asset.yahoo)), "Yahoo Finance"))
    results = await asyncio.gather(
        *(news.fetch_feed(ctx.fetcher, url, src, base) for url, src in feeds),
        return_exceptions=True,
    )
    items = [i for r in results if isinstance(r, list) for i in r]
    known = {i.title.lower() for i in ctx.state.headlines}
    ctx.state.headlines += [i for i in items if i.title.lower() not in known]
    return ctx.headlines()
