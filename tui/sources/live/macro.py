"""FRED: the 2Y and 10Y yields (the 10Y when Yahoo has none), SOFR, IORB, EFFR, the target
range, the high-yield spread, and SOFR − IORB computed from them (`tui.measures.spread_bp`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta

from tui.assets import BY_ID
from tui.gate import level_ok
from tui.measures import spread_bp
from tui.readings import Reading
from tui.sources import fred
from tui.sources.base import SourceError
from tui.sources.live.context import Context

FRED_ROWS = ("ust2y", "ust10y", "sofr_iorb", "hy_spread", "fed_target", "effr", "sofr", "iorb")
"""Rows FRED supplies (the 10Y only while Yahoo has none)."""
HISTORY_DAYS = 400
"""Days of observations asked for: a year of daily history for the cache, and some over."""


def last_close(
    points: list[tuple[date, float]], source: str, received: float, detail: str | None = None
) -> Reading | None:
    """The last daily value and its change from the one before (a repeated day counts once)."""
    by_day = sorted(dict(points).items())
    if not by_day:
        return None
    day, value = by_day[-1]
    prev = by_day[-2][1] if len(by_day) > 1 else None
    change = value - prev if prev is not None else None
    return Reading(value, change, None, day, None, source, received, detail=detail)


class Fred:
    """The FRED refresh: keyless fredgraph CSV, or the JSON API with a key.

    Args:
        ctx: The shared live context.
        key: A FRED API key, if known.
        key_lookup: Finds the key (env, then keyring) on the first refresh, in a thread.
    """

    def __init__(
        self,
        ctx: Context,
        key: str | None = None,
        key_lookup: Callable[[], str | None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.key = key
        self._key_lookup = key_lookup

    def rows(self) -> list[str]:
        """FRED's rows that a pane tracks."""
        tracked = set(self.ctx.tracked())
        return [a for a in FRED_ROWS if a in tracked]

    async def fetch(self) -> dict[str, fred.Observations]:
        """Every series over the last 400 days: one fredgraph CSV, or with a key the JSON API
        (one request a series). The request of every refresh and of `riskpulse sources --check`.

        Raises:
            SourceError: When FRED failed.
        """
        ctx = self.ctx
        if self._key_lookup is not None:
            lookup, self._key_lookup = self._key_lookup, None
            self.key = self.key or await asyncio.to_thread(lookup)
        since = ctx.today() - timedelta(days=HISTORY_DAYS)
        if self.key:
            api = ctx.url("fred", fred.API_BASE)
            return await fred.fetch_api(ctx.fetcher, self.key, api, since=since)
        return await fred.fetch_graph(ctx.fetcher, ctx.url("fred", fred.GRAPH_BASE), since=since)

    async def refresh(self) -> None:
        """One request for every series.

        Raises:
            SourceError: When FRED failed or its reply held none of the series.
        """
        ctx = self.ctx
        try:
            series = await self.fetch()
        except SourceError as exc:
            ctx.lose(self.rows(), "fred", exc.reason)
            raise
        received = ctx.clock()
        by_id = {fred.SERIES[k]: v for k, v in series.items() if k in fred.SERIES}
        if ctx.store is not None:
            ctx.store.add_histories(
                {
                    a: [(d, v) for d, v in p if level_ok(BY_ID[a], v)]
                    for a, p in by_id.items()
                    if a in BY_ID
                }
            )
        got: set[str] = set()

        def keep(row_id: str, points: list[tuple[date, float]], detail: str | None = None) -> None:
            reading = last_close(points, "fred", received, detail)
            if reading is not None and ctx.keep(row_id, reading):
                got.add(row_id)
            elif reading is not None and row_id not in ctx.state.gaps:
                got.add(row_id)  # older than the one held: nothing new, nothing wrong

        for row_id in ("ust2y", "hy_spread", "effr", "sofr", "iorb"):
            keep(row_id, by_id.get(row_id, []))
        held = ctx.state.readings.get("ust10y")
        if held is not None and held.source == "yahoo" and "ust10y" not in ctx.state.gaps:
            got.add("ust10y")  # Yahoo's intraday 10Y is newer than FRED's daily print
        else:
            keep("ust10y", by_id.get("ust10y", []))
        upper, lower = by_id.get("fed_target", []), dict(by_id.get("fed_target_lower", []))
        if upper:
            low = lower.get(upper[-1][0])
            keep("fed_target", upper, f"{low:.2f}–{upper[-1][1]:.2f}" if low is not None else None)
        keep("sofr_iorb", spread_bp(by_id.get("sofr", []), by_id.get("iorb", [])))
        lost = [a for a in self.rows() if a not in got]
        ctx.lose([a for a in lost if a not in ctx.state.gaps], "fred", "sent no observation")
        if lost and len(lost) == len(self.rows()):
            raise SourceError("fred", "reply held none of the requested series")
