"""Build explain's inputs for a replayed day from the bundled tables.

Explain itself reads no source (`tui.explain.inputs`); this is the replay builder. The live
builder fills the same `ExplainInputs` from the readings the dashboard panes hold.

Usage:
    window = window_for(history, asset_id, day, horizon)
    exp = explain(history, asset_id, day, horizon, inputs=replay_inputs(window))
or simply `explain_replay(history, asset_id, day, horizon)`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from tui import bundled
from tui.explain.engine import Explanation, explain, window_for
from tui.explain.headlines import Headline
from tui.explain.inputs import DatedValue, ExplainInputs, Funding, Window
from tui.explain.move import Horizon
from tui.history import History, parse_number
from tui.model import FearGreedPane, FedMeeting, FedWatch
from tui.sources.replay import fear_greed_on

PUBLISHED = "CME FedWatch (published)"
MARKET = "Polymarket order book"
FUTURES = "riskpulse's computation (CME method) from bundled futures closes"
FED_SOURCES = (PUBLISHED, FUTURES, MARKET)
"""Fed-odds sources, best first: CME's own numbers, then the prediction-market order book."""
YEAR = timedelta(days=365)


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(21), UTC)


def _published(first: date, last: date) -> list[FedWatch]:
    """One reading a day of the published CME FedWatch numbers, exact-dated ones first."""
    by_day: dict[date, dict[date, dict[int, float]]] = defaultdict(dict)
    ranked = sorted(bundled.fedwatch_points(), key=lambda p: not p.exact)
    for p in ranked:
        if first <= p.day <= last:
            by_day[p.day].setdefault(p.meeting, {}).setdefault(p.move_bp, p.probability / 100)
    return [
        FedWatch(
            tuple(FedMeeting(m, probs) for m, probs in sorted(meetings.items())),
            PUBLISHED,
            _stamp(d),
        )
        for d, meetings in sorted(by_day.items())
    ]


def _futures(first: date, last: date) -> list[FedWatch]:
    """One reading a trading day of the CME method on the bundled futures closes (2018-01 to
    2023-09), only from the last FOMC decision on or before `last`: every reading then counts
    its moves from the same target range, so two days compare outcome by outcome."""
    from tui.sources.replay import futures_on

    calendar = bundled.fomc_calendar()
    decided = calendar.last_on_or_before(last)
    since = max(first, decided.day) if decided is not None else first
    out = []
    d = since
    while d <= last:
        readings = futures_on(d)
        if readings:
            meetings = tuple(FedMeeting(r.meeting, dict(r.probabilities)) for r in readings)
            out.append(FedWatch(meetings, FUTURES, _stamp(d)))
        d += timedelta(days=1)
    return out


def _market(first: date, last: date) -> list[FedWatch]:
    """The day's last order-book mid for 'no change', each day it was recorded."""
    out = []
    d = first
    while d <= last:
        meetings = []
        for meeting in bundled.next_meetings(d)[0]:
            odds = bundled.market_odds(meeting, d)
            if odds is not None and odds.poly_mid is not None:
                meetings.append(FedMeeting(meeting, {0: odds.poly_mid}))
        if meetings:
            out.append(FedWatch(tuple(meetings), MARKET, _stamp(d)))
        d += timedelta(days=1)
    return out


def calendar_gap(window: Window) -> str | None:
    """Why Fed odds cannot be compared over the window: the FOMC calendar's line for the
    earliest of its days (a month before, the start, the day) whose next meetings the calendar
    cannot name (`FomcCalendar.unknown_ahead`), or None when it names them on all three."""
    calendar = bundled.fomc_calendar()
    for d in sorted({window.month_start, window.known_start, window.known_day}):
        why = calendar.unknown_ahead(d)
        if why is not None:
            return why
    return None


def _year(table: bundled.Dated, day: date, key: str, include_day: bool) -> tuple[DatedValue, ...]:
    out = []
    for d, row in zip(table.dates, table.rows, strict=True):
        if day - YEAR <= d < day or (include_day and d == day):
            value = parse_number(row.get(key))
            if value is not None:
                out.append(DatedValue(d, value))
    return tuple(out)


def _fear_greed(day: date, us_day: date) -> FearGreedPane:
    """Crypto fear & greed of the asset's day, stock fear & greed of the known US session."""
    crypto = fear_greed_on(day)
    if us_day == day:
        return crypto
    stock = fear_greed_on(us_day)
    indices = tuple(
        next((s for s in stock.indices if s.id == "stock"), f) if f.id == "stock" else f
        for f in crypto.indices
    )
    return FearGreedPane(indices, crypto.error)


def replay_inputs(window: Window) -> ExplainInputs:
    """Every reading the bundle holds for the window, each as recorded (nothing filled).

    Args:
        window: The explained day, the move's start and the month before.

    Returns:
        The inputs; readings the bundle lacks are left empty with the reason.
    """
    day = window.day
    first = min(window.month_start, window.known_start) - timedelta(days=3)
    fed_first, fed_last = bundled.fed_odds_span()
    known = window.known_day
    fed = sorted(
        [*_published(first, known), *_futures(first, known), *_market(first, known)],
        key=lambda w: w.as_of or 0,
    )
    missing: dict[str, str] = {
        "liquidations": "no liquidation data are bundled, so forced selling cannot be measured"
    }
    gap = calendar_gap(window)
    if gap is not None:
        missing["fed_odds"] = gap
    elif not fed:
        missing["fed_odds"] = (
            f"no Fed-decision odds recorded (bundle holds {fed_first} – {fed_last})"
        )
    fg_year = {
        "crypto": tuple(
            v.value for v in _year(bundled.crypto_fear_greed(), day, "value", include_day=False)
        ),
        "stock": tuple(
            v.value for v in _year(bundled.stock_fear_greed(), day, "value", include_day=False)
        ),
    }
    end = datetime.combine(day + timedelta(days=1), time(0), UTC)
    funding = tuple(
        Funding(p.time, p.rate) for p in bundled.btc_funding() if end - YEAR <= p.time < end
    )
    return ExplainInputs(
        window,
        fed_odds=tuple(fed),
        fed_sources=FED_SOURCES,
        fear_greed=_fear_greed(day, known),
        fear_greed_start=_fear_greed(window.start, window.known_start),
        fear_greed_year=fg_year,
        funding=funding,
        open_interest=_year(bundled.open_interest(), day, "open_interest", include_day=True),
        etf_flows=_year(bundled.etf_flows(), known, "total_usd_m", include_day=True),
        fomc_decisions=bundled.fomc_decision_days(),
        source="bundled",
        missing=missing,
    )


def explain_replay(
    history: History,
    asset_id: str,
    day: date,
    horizon: Horizon = Horizon.D1,
    headlines: Sequence[Headline] = (),
) -> Explanation:
    """Explain a move with the bundled readings as its inputs."""
    window = window_for(history, asset_id, day, horizon)
    return explain(history, asset_id, day, horizon, headlines, replay_inputs(window))
