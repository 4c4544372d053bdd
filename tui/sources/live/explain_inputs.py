"""The drill-down's readings in live mode: the same live readings the panes show.

Built on the bundled readings (which cover the history up to their end) with what the live
sources and the cache add: today's Fed-watch odds and the earlier days' odds the cache kept (one
`FedWatch` per source and day, so changes compare like with like), today's fear & greed, the
funding settlements and open-interest points received. A reading a live source failed to give is
named in `missing` with the source's reason, so the channel says "no data" and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from tui.explain.inputs import DatedValue, ExplainInputs, Funding, Window
from tui.explain_inputs import calendar_gap, replay_inputs
from tui.model import FearGreedPane, FedMeeting, FedWatch

if TYPE_CHECKING:
    from tui.sources.live import LiveSource

LIVE_FED_SOURCES = ("cme", "yahoo", "kalshi", "polymarket")
"""Live Fed-odds sources, best first (the odds the cache keeps are stored under these ids)."""
RECENT_DAYS = 3
"""A window ending more than this many days ago is explained from what was kept, not live."""


def _close(day: date) -> datetime:
    return datetime.combine(day, time(21), UTC)


def _kept_fed_odds(live: LiveSource, first: date) -> list[FedWatch]:
    store = live.store
    if store is None:
        return []
    by_source_day: dict[tuple[str, date], list[FedMeeting]] = defaultdict(list)
    for source, meeting, day, probabilities in store.fed_odds_since(first):
        by_source_day[(source, day)].append(FedMeeting(meeting, probabilities))
    return [
        FedWatch(tuple(sorted(ms, key=lambda m: m.date)), source, _close(day))
        for (source, day), ms in by_source_day.items()
    ]


def _todays_fed_odds(live: LiveSource) -> list[FedWatch]:
    pane = live.fedwatch()
    by_source: dict[str, list[FedMeeting]] = defaultdict(list)
    for m in pane.meetings:
        if m.probabilities and m.source is not None:
            by_source[m.source.value].append(FedMeeting(m.date, m.probabilities))
    now = live.now()
    return [FedWatch(tuple(ms), source, now) for source, ms in by_source.items()]


def builder(live: LiveSource) -> Callable[[Window], ExplainInputs]:
    """A `Window -> ExplainInputs` builder over the live source's readings.

    Args:
        live: The running live source.

    Returns:
        The builder; for a window ending days ago it gives the bundled readings alone.
    """

    def build(window: Window) -> ExplainInputs:
        base = replay_inputs(window)
        today = live.today()
        if (today - window.day).days > RECENT_DAYS:
            return base
        missing = dict(base.missing)
        missing.pop("fed_odds", None)
        first = min(window.month_start, window.known_start) - timedelta(days=3)
        fed = sorted(
            [*base.fed_odds, *_kept_fed_odds(live, first), *_todays_fed_odds(live)],
            key=lambda w: w.as_of or datetime.min.replace(tzinfo=UTC),
        )
        gap = calendar_gap(window)
        if gap is not None:
            missing["fed_odds"] = gap
        elif not fed:
            failing = [
                f"{s}: {live.state.status[s].error}"
                for s in LIVE_FED_SOURCES
                if live.state.status[s].error
            ]
            missing["fed_odds"] = "no Fed-decision odds yet" + (
                f" ({'; '.join(failing)})" if failing else ""
            )
        snap_fg = live.snapshot().fear_greed
        fear_greed = (
            snap_fg if any(f.value is not None for f in snap_fg.indices) else base.fear_greed
        )
        funding = {f.time: f for f in base.funding}
        for t, rate in live.derivatives.funding_prints.items():
            funding[t] = Funding(t, rate)
        oi = {v.day: v for v in base.open_interest}
        for d, value in live.derivatives.oi_points.items():
            oi[d] = DatedValue(d, value)
        for source in ("binance",):
            if live.state.status[source].error:
                missing.setdefault("funding", f"{source}: {live.state.status[source].error}")
        return ExplainInputs(
            window,
            fed_odds=tuple(fed),
            fed_sources=(*LIVE_FED_SOURCES, *base.fed_sources),
            fear_greed=fear_greed if isinstance(fear_greed, FearGreedPane) else base.fear_greed,
            fear_greed_start=base.fear_greed_start,
            fear_greed_year=base.fear_greed_year,
            funding=tuple(funding[t] for t in sorted(funding)),
            open_interest=tuple(oi[d] for d in sorted(oi)),
            etf_flows=base.etf_flows,
            liquidations_usd=base.liquidations_usd,
            fomc_decisions=base.fomc_decisions,
            source="live",
            missing=missing,
        )

    return build
