"""Start from the cached snapshot: its readings pass the gate again and show stale, with the
cache's time, until each source answers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tui.readings import Gap, Reading
from tui.sources.live.context import Context


def seed(ctx: Context, doc: Mapping[str, Any], saved_at: float) -> None:
    """Seed the live state from a cached snapshot document.

    Args:
        ctx: The live context.
        doc: A `riskpulse.snapshot/1` document riskpulse wrote.
        saved_at: When it was saved (epoch seconds).

    Raises:
        ValueError: When the document is not a snapshot riskpulse wrote.
    """
    from tui.snapshot_output import snapshot_from_json

    cached = snapshot_from_json(doc, datetime.fromtimestamp(saved_at, tz=UTC))
    ctx.state.cached_at = saved_at
    ctx.state.cached = cached
    when = datetime.fromtimestamp(saved_at, tz=UTC).strftime("%H:%MZ")
    gap = Gap(None, f"cached {when}; waiting for a refresh")
    for pane in (cached.indices, cached.crypto, cached.macro):
        for q in pane.quotes:
            if q.price is None or q.id in ctx.state.readings:
                continue
            reading = Reading(
                q.price,
                q.change,
                q.change_pct,
                q.as_of,
                q.updated,
                q.source,
                saved_at,
                q.detail,
                q.symbol,
                q.currency,
            )
            if ctx.keep(q.id, reading):
                ctx.state.gaps[q.id] = gap
    ctx.pending.clear()  # the cache already holds these days
    ctx.state.rejected.clear()
