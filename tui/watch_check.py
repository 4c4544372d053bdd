"""Checking a new symbol with one quote request, and reading its description from the reply.

Yahoo's v7 quote silently leaves unknown symbols out of `result` (fixtures' PROVENANCE), so an
empty result is how an unknown symbol shows. CoinGecko's `/coins/markets?ids=` likewise returns
only the coins it knows; Binance answers an unknown pair with error -1121.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.assets import BY_ID, USER_IDS, Asset
from tui.sources import binance, coingecko, yahoo
from tui.sources.base import Fetcher, SourceError, rebase
from tui.watchlist import Spec, WatchError, describe_coin, describe_yahoo


@dataclass
class _KeepingFetcher(Fetcher):
    """A fetcher that keeps the last JSON reply, so the one quote request that checks a symbol
    also gives the fields `parse_quotes` does not keep (exchange, time zone, precision)."""

    replies: list[Any] = field(default_factory=list)

    async def get_json(
        self,
        source_id: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        breaker: str | None = None,
        deadline: float | None = None,
    ) -> Any:
        payload = await super().get_json(
            source_id, url, params=params, headers=headers, breaker=breaker, deadline=deadline
        )
        self.replies.append(payload)
        return payload


def builtin_for(spec: Spec) -> Asset | None:
    """The shipped asset quoted under this symbol (AAPL is not one; SPY and bitcoin are)."""
    for asset in BY_ID.values():
        if asset.id in USER_IDS:
            continue
        own = {"yahoo": asset.yahoo, "coingecko": asset.coingecko, "binance": asset.binance}
        if own[spec.source] == spec.symbol:
            return asset
    return None


async def check(spec: Spec, fetcher: Fetcher, urls: Mapping[str, str]) -> dict[str, Any]:
    """Ask the symbol's source once; its description for the config.

    Args:
        spec: The validated symbol.
        fetcher: The shared fetcher (its client and retry policy are used).
        urls: Base URL overrides (`RISKPULSE_<ID>_URL`, `[sources.X]`).

    Returns:
        The `[symbols."KEY"]` table.

    Raises:
        WatchError: The source does not know the symbol, or could not be asked.
    """
    keeping = _KeepingFetcher(fetcher.client, retries=fetcher.retries, max_delay=fetcher.max_delay)
    try:
        if spec.source == "yahoo":
            found = await _yahoo([spec], keeping, urls)
            if spec.key not in found:
                raise WatchError(f"Yahoo does not know {spec.symbol!r} (no quote came back)")
            return found[spec.key]
        if spec.source == "coingecko":
            base = urls.get("coingecko") or coingecko.DEFAULT_BASE
            url = rebase(f"{coingecko.DEFAULT_BASE}/api/v3/coins/markets", base)
            payload = await keeping.get_json(
                "coingecko", url, params={"vs_currency": "usd", "ids": spec.symbol}
            )
            rows = payload if isinstance(payload, list) else []
            row = next(
                (r for r in rows if isinstance(r, dict) and r.get("id") == spec.symbol), None
            )
            if row is None:
                raise WatchError(f"CoinGecko does not know the coin {spec.symbol!r}")
            return describe_coin(spec, row)
        base = urls.get("binance") or binance.SPOT_BASE
        url = rebase(f"{binance.SPOT_BASE}/api/v3/ticker/24hr", base)
        payload = await keeping.get_json("binance", url, params={"symbol": spec.symbol})
        if not isinstance(payload, dict) or payload.get("symbol") != spec.symbol:
            raise WatchError(f"Binance does not list the pair {spec.symbol!r}")
        return describe_coin(spec, payload)
    except SourceError as exc:
        if spec.source == "binance" and "-1121" in exc.reason:
            raise WatchError(f"Binance does not list the pair {spec.symbol!r}") from None
        raise WatchError(f"could not check {spec.key!r}: {exc.reason}") from None


async def _yahoo(
    specs: list[Spec], keeping: _KeepingFetcher, urls: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """One v7 request per 50 symbols; the description of each symbol Yahoo answered."""
    session = yahoo.YahooSession(keeping, urls.get("yahoo") or yahoo.QUERY_BASE)
    await session.quotes([s.symbol for s in specs])
    rows = {r.get("symbol"): r for reply in keeping.replies for r in _rows(reply)}
    return {
        s.key: describe_yahoo(s, rows[s.symbol])
        for s in specs
        if s.symbol in rows and rows[s.symbol].get("regularMarketPrice") is not None
    }


async def check_many(
    specs: list[Spec], timeout: float, urls: Mapping[str, str]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Check a list (an import): Yahoo symbols in batches of 50, coins one by one.

    Returns:
        The descriptions by key, and the reason for each key that could not be added.
    """
    from tui.sources.base import make_client

    client = make_client(timeout)
    fetcher = Fetcher(client, retries=1, max_delay=5.0)
    found: dict[str, dict[str, Any]] = {}
    failed: dict[str, str] = {}
    try:
        stocks = [s for s in specs if s.source == "yahoo"]
        if stocks:
            keeping = _KeepingFetcher(client, retries=1, max_delay=5.0)
            try:
                found.update(await _yahoo(stocks, keeping, urls))
            except SourceError as exc:
                failed.update({s.key: f"could not check: {exc.reason}" for s in stocks})
            for s in stocks:
                if s.key not in found and s.key not in failed:
                    failed[s.key] = "Yahoo does not know it (no quote came back)"
        for s in specs:
            if s.source != "yahoo":
                try:
                    found[s.key] = await check(s, fetcher, urls)
                except WatchError as exc:
                    failed[s.key] = str(exc)
    finally:
        await client.aclose()
    return found, failed


def _rows(payload: Any) -> list[dict[str, Any]]:
    body = payload.get("quoteResponse") if isinstance(payload, dict) else None
    result = body.get("result") if isinstance(body, dict) else None
    return [r for r in result or [] if isinstance(r, dict)]


async def check_once(spec: Spec, timeout: float, urls: Mapping[str, str]) -> dict[str, Any]:
    """`check` on a client of its own (the command line's `watch add`)."""
    from tui.sources.base import make_client

    client = make_client(timeout)
    try:
        return await check(spec, Fetcher(client, retries=1, max_delay=5.0), urls)
    finally:
        await client.aclose()
