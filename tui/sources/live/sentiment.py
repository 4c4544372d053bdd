"""Fear & greed: alternative.me's crypto index (31 days) and CNN's stock index with its seven
components, composed by `tui.panes.fear_greed` exactly as replay's rows are."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

from tui.measures import new_york_day
from tui.model import FearGreed, FearGreedPane
from tui.numtext import plain
from tui.panes import fear_greed as fg
from tui.readings import Gap
from tui.sources import alternative_me, cnn
from tui.sources.base import SourceError
from tui.sources.live.context import Context

CNN_COMPONENT_NAMES: tuple[tuple[str, str], ...] = (
    ("market_momentum_sp500", "S&P 500 level"),
    ("stock_price_strength", "price strength"),
    ("stock_price_breadth", "price breadth"),
    ("put_call_options", "put/call"),
    ("market_volatility_vix", "VIX"),
    ("junk_bond_demand", "junk bond demand"),
    ("safe_haven_demand", "safe-haven demand"),
)


def _valid(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and 0 <= value <= 100


CRYPTO_DAYS = 31
"""Days of the crypto index asked for: a month, for the 1-day and 1-week changes and more."""


async def fetch_crypto(ctx: Context) -> list[alternative_me.FngPoint]:
    """alternative.me's crypto index over CRYPTO_DAYS (one request): the refresh's and the
    check's.

    Raises:
        SourceError: When the request failed.
    """
    base = ctx.url("alternative_me", alternative_me.DEFAULT_BASE)
    return await alternative_me.fetch(ctx.fetcher, base, limit=CRYPTO_DAYS)


async def fetch_cnn(ctx: Context) -> cnn.StockFearGreed:
    """CNN's stock index with its components (one request): the refresh's and the check's.

    Raises:
        SourceError: When the request failed.
    """
    return await cnn.fetch(ctx.fetcher, ctx.url("cnn", cnn.DEFAULT_BASE))


async def refresh_alternative_me(ctx: Context) -> None:
    """The crypto index, CRYPTO_DAYS days (one request).

    Raises:
        SourceError: When the request failed or the reply held no valid reading.
    """
    points = await fetch_crypto(ctx)
    by_day = {p.day: p for p in points if _valid(p.value)}
    if not by_day:
        raise SourceError("alternative_me", "sent no reading between 0 and 100")
    ctx.state.crypto_fng = [by_day[d] for d in sorted(by_day)]
    ctx.state.fng_received["crypto"] = ctx.clock()


async def refresh_cnn(ctx: Context) -> None:
    """CNN's index and components (one request).

    Raises:
        SourceError: When the request failed or the score is not between 0 and 100.
    """
    reading = await fetch_cnn(ctx)
    if not _valid(reading.score):
        raise SourceError("cnn", "sent a score outside 0–100")
    ctx.state.stock_fng = reading
    ctx.state.fng_received["stock"] = ctx.clock()


def _crypto(ctx: Context) -> fg.FearGreedReading | None:
    points = ctx.state.crypto_fng
    if not points:
        return None
    last = points[-1]
    by_day = {p.day: p.value for p in points}
    return fg.FearGreedReading(
        "crypto",
        last.value,
        last.label,
        last.day,
        by_day.get(last.day - timedelta(days=1)),
        by_day.get(last.day - timedelta(days=7)),
    )


def _stock(ctx: Context) -> fg.FearGreedReading | None:
    s = ctx.state.stock_fng
    if s is None:
        return None
    comps = tuple(
        (
            label,
            f"{plain(value, 2, grouping=True)} ({rating})" if value is not None else f"({rating})",
        )
        for key, label in CNN_COMPONENT_NAMES
        if key in s.components
        for value, rating in [s.components[key]]
    )
    return fg.FearGreedReading(
        "stock",
        s.score,
        s.rating,
        new_york_day(s.time),
        s.previous_close if _valid(s.previous_close) else None,
        s.previous_1_week if _valid(s.previous_1_week) else None,
        comps,
    )


def pane(ctx: Context) -> FearGreedPane:
    """Both indices, stale with their age when their source failed or their date is old; the
    cached readings stand in until each source first answers."""
    rows: list[FearGreed] = []
    errors: list[str] = []
    now = ctx.now()
    cached = ctx.state.cached
    for sid, index_id, build in (
        ("alternative_me", "crypto", _crypto),
        ("cnn", "stock", _stock),
    ):
        st = ctx.state.status[sid]
        reading = build(ctx)
        if reading is not None:
            gap = Gap(sid, st.error) if st.error else fg.stale_live(index_id, reading.as_of, now)
            rows.append(fg.compose(reading, gap))
        elif cached is not None and ctx.state.cached_at is not None:
            stand_in = next((f for f in cached.fear_greed.indices if f.id == index_id), None)
            if stand_in is not None:
                why = Gap(None, "cached reading; waiting for a refresh")
                rows.append(_stale(stand_in, why))
        if st.error:
            errors.append(f"{sid}: {st.error}")
    return fg.pane(rows, errors)


def _stale(row: FearGreed, gap: Gap) -> FearGreed:
    return replace(row, stale=True, stale_reason=gap.text())
