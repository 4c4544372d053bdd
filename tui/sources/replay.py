"""The bundled real history served as a source, "as of" any day in it.

As of day D (DESIGN §2): each market's close on D, or its last close before D (dated); changes are
from the previous available close; crypto days are UTC candles. Nothing missing is filled. The
rows are composed by `tui.panes`, exactly as live rows are: only the readings differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

from tui import bundled
from tui.assets import BY_ID, EXTRA_ROWS, PANE_ASSETS, RISK_ASSETS
from tui.history import History, parse_number
from tui.measures import new_york_close
from tui.model import (
    FearGreed,
    FearGreedPane,
    FedMeeting,
    FedWatch,
    Mode,
    Quote,
    QuotePane,
    Snapshot,
)
from tui.panes import derivatives, quotes
from tui.panes import fear_greed as fg
from tui.panes.breadth import breadth_of
from tui.readings import Gap

SOURCE_ID = "replay"

__all__ = ["ReplaySource", "breadth_of", "fear_greed_on", "fedwatch_on", "new_york_close"]


class ReplaySource:
    """Serves the bundled real history through the pane composers.

    Args:
        history: Where the daily series come from.
        watchlists: Assets per quote pane; the catalogue's panes when None.
    """

    id = SOURCE_ID
    mode = Mode.REPLAY

    def __init__(
        self,
        history: History | None = None,
        watchlists: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.history = history or History()
        self.watchlists: dict[str, tuple[str, ...]] = dict(watchlists or PANE_ASSETS)
        """Which assets each quote pane shows (the config's watchlists)."""

    def snapshot(self, day: date) -> Snapshot:
        """Every pane as of `day`.

        Args:
            day: The replayed day.

        Returns:
            The snapshot.
        """
        panes = {
            name: QuotePane(tuple(self.quote(a, day) for a in ids))
            for name, ids in self.watchlists.items()
        }
        crypto = QuotePane(
            (*panes["crypto"].quotes, self.funding_quote(day), self.open_interest_quote(day))
        )
        shown = {q.id: q for p in (panes["indices"], crypto, panes["macro"]) for q in p.quotes}
        risk = [shown.get(a) or self.quote(a, day) for a in RISK_ASSETS]
        return Snapshot(
            as_of=new_york_close(day),
            mode=Mode.REPLAY,
            day=day,
            indices=panes["indices"],
            crypto=crypto,
            macro=panes["macro"],
            fedwatch=fedwatch_on(day),
            fear_greed=fear_greed_on(day),
            breadth=breadth_of(risk, day),
        )

    def quote(self, asset_id: str, day: date) -> Quote:
        """One asset's quote as of `day`."""
        asset = BY_ID[asset_id]
        series = self.history.series(asset_id)
        reading = quotes.reading_on(asset, series, day)
        if reading is None or reading.day is None:
            start = series.first
            why = f"bundled data start {start.isoformat()}" if start else "no bundled data"
            return quotes.compose(
                asset, None, None, Gap(None, why), missing_source=SOURCE_ID, live=False
            )
        as_of = reading.day
        if asset_id == "fed_target":
            lower = self.history.column("fed_target", "lower").value_on(as_of)
            if lower is not None:
                reading = replace(reading, detail=f"{lower:.2f}–{reading.price:.2f}")
        gap = quotes.ended_gap(asset, as_of, day, series.last)
        return quotes.compose(asset, reading, series, gap, missing_source=SOURCE_ID, live=False)

    def funding_quote(self, day: date) -> Quote:
        """BTC perpetual funding: the last 8-hourly print settled by the end of `day`."""
        row = EXTRA_ROWS["btc_funding"]
        prints = bundled.funding_until(day)
        got = derivatives.funding(
            ((p.time, p.rate) for p in prints), "binance", new_york_close(day).timestamp()
        )
        all_prints = bundled.btc_funding()
        span = (
            f"{all_prints[0].time.date()} – {all_prints[-1].time.date()}" if all_prints else "none"
        )
        if got is None or got[0].day is None or (day - got[0].day).days > 1:
            why = Gap(None, f"no funding data for this day (bundled {span})")
            return quotes.compose(row, None, None, why, missing_source="binance", live=False)
        reading, history = got
        return quotes.compose(row, reading, history, None, missing_source="binance", live=False)

    def open_interest_quote(self, day: date) -> Quote:
        """BTC perpetual open interest at 00:00 UTC of `day` (bundled daily points)."""
        row = EXTRA_ROWS["btc_oi"]
        points = _open_interest_points()
        got = derivatives.open_interest(points, "binance", new_york_close(day).timestamp(), day)
        span = f"{points[0][0]} – {points[-1][0]}" if points else "none"
        if got is None or got[0].day is None or (day - got[0].day).days > 1:
            why = Gap(None, f"no open interest for this day (bundled {span})")
            return quotes.compose(row, None, None, why, missing_source="binance", live=False)
        reading, history = got
        return quotes.compose(row, reading, history, None, missing_source="binance", live=False)


@cache
def _open_interest_points() -> tuple[tuple[date, float], ...]:
    table = bundled.open_interest()
    out = []
    for d, r in zip(table.dates, table.rows, strict=True):
        value = parse_number(r.get("open_interest"))
        if value is not None:
            out.append((d, value))
    return tuple(out)


_STOCK_COMPONENTS: tuple[tuple[str, str], ...] = (
    ("momentum", "S&P 500 vs 125-day avg"),
    ("stock_price_strength", "price strength"),
    ("stock_price_breadth", "price breadth"),
    ("put_call_options", "put/call (5d)"),
    ("volatility", "VIX vs 50-day avg"),
    ("junk_bond_demand", "junk bond demand"),
    ("safe_haven_demand", "safe-haven demand"),
)


def _stock_components(row: dict[str, str]) -> tuple[tuple[str, str], ...]:
    num = parse_number
    out: list[tuple[str, str]] = []
    for key, label in _STOCK_COMPONENTS:
        if key == "momentum":
            sp, avg = num(row.get("market_momentum_sp500")), num(row.get("market_momentum_sp125"))
            if sp is not None and avg:
                out.append((label, f"{(sp / avg - 1) * 100:+.1f}% ({sp:,.0f} vs {avg:,.0f})"))
        elif key == "volatility":
            vix = num(row.get("market_volatility_vix"))
            avg = num(row.get("market_volatility_vix_50"))
            if vix is not None and avg is not None:
                out.append((label, f"{vix:.2f} vs {avg:.2f}"))
        else:
            value = num(row.get(key))
            if value is not None:
                out.append((label, f"{value:,.2f}"))
    return tuple(out)


def _fg_row(
    index_id: str, table: bundled.Dated, day: date, value_key: str, label_key: str
) -> FearGreed:
    """One index as of `day` from its bundled table, composed as live rows are."""
    hit = table.at(day)
    value = parse_number(hit[1].get(value_key)) if hit else None
    if hit is None or value is None:
        first = table.dates[0] if table.dates else None
        return fg.missing(index_id, f"no data on or before {day} (bundled from {first})")
    i, row = hit

    def before(days: int) -> float | None:
        past = table.at(table.dates[i] - timedelta(days=days))
        return parse_number(past[1].get(value_key)) if past else None

    reading = fg.FearGreedReading(
        index_id,
        value,
        row.get(label_key),
        table.dates[i],
        parse_number(table.rows[i - 1].get(value_key)) if i > 0 else None,
        before(7),
        _stock_components(row) if index_id == "stock" else (),
    )
    return fg.compose(reading, fg.stale_on(index_id, table.dates[i], day, table.dates[-1]))


def fear_greed_on(day: date) -> FearGreedPane:
    """Crypto and stock fear & greed as of `day` (dated when older, stale once ended)."""
    rows = [
        _fg_row("crypto", bundled.crypto_fear_greed(), day, "value", "classification"),
        _fg_row("stock", bundled.stock_fear_greed(), day, "value", "rating"),
    ]
    errors = [f"{f.name}: {f.stale_reason}" for f in rows if f.value is None]
    return fg.pane(rows, errors)


def _published_meeting(meeting: date, day: date) -> tuple[FedMeeting, str] | None:
    """A meeting's odds from CME FedWatch readings published for `day`, if any."""
    readings = [p for p in bundled.fedwatch_points() if p.day == day and p.meeting == meeting]
    if not readings:
        return None
    chosen: dict[int, bundled.PublishedReading] = {}
    for reading in sorted(readings, key=lambda r: not r.exact):
        chosen.setdefault(reading.move_bp, reading)
    probabilities = {move: r.probability / 100 for move, r in chosen.items()}
    change_1d: dict[int, float] = {}
    for move, r in chosen.items():
        before = [
            p
            for p in bundled.fedwatch_points()
            if p.meeting == meeting
            and p.move_bp == move
            and p.exact
            and p.day < day
            and (day - p.day).days <= 3
        ]
        if before:
            change_1d[move] = r.probability - max(before, key=lambda p: p.day).probability
    publishers = sorted({r.publisher for r in chosen.values()})
    others = sorted({p.probability for p in readings if p not in chosen.values()})
    note = "CME FedWatch as published by " + ", ".join(publishers)
    if others:
        note += "; other readings that day: " + ", ".join(f"{v:g}%" for v in others)
    return FedMeeting(meeting, probabilities, change_1d, {}, None, note), "CME FedWatch (published)"


def _market_meeting(meeting: date, day: date) -> tuple[FedMeeting, str] | None:
    """A meeting's 'no change' odds from the day's last prediction-market snapshot."""
    odds = bundled.market_odds(meeting, day)
    if odds is None or odds.poly_mid is None:
        return None
    hold = odds.poly_mid

    def change(days_back: int) -> dict[int, float]:
        earlier = bundled.market_odds(meeting, day - timedelta(days=days_back))
        if earlier is None or earlier.poly_mid is None:
            return {}
        return {0: (hold - earlier.poly_mid) * 100}

    note = f"Polymarket 'no change' mid at {odds.time_utc[11:16]} UTC"
    if odds.kalshi_mid is not None:
        note += f"; Kalshi {odds.kalshi_mid * 100:.1f}%"
    return (
        FedMeeting(meeting, {0: hold}, change(1), change(7), None, note),
        "Polymarket order book",
    )


def fedwatch_on(day: date) -> FedWatch:
    """The next FOMC meetings with the best odds recorded for `day`, source named."""
    upcoming, ran_out = bundled.next_meetings(day)
    meetings: list[FedMeeting] = []
    sources: list[str] = []
    for meeting in upcoming:
        published, market = _published_meeting(meeting, day), _market_meeting(meeting, day)
        found = published or market
        if published and market and market[0].probabilities.get(0) is not None:
            cross = f"; Polymarket 'no change' {market[0].probabilities[0] * 100:.1f}%"
            found = (replace(published[0], note=f"{published[0].note}{cross}"), published[1])
        if found:
            meetings.append(found[0])
            sources.append(found[1])
        else:
            meetings.append(FedMeeting(meeting))
    notes: list[str] = []
    if ran_out:
        notes.append(f"FOMC calendar ends {bundled.fomc_decision_days()[-1]}")
    error = None
    if not sources:
        first, last = bundled.fed_odds_span()
        error = f"no Fed-decision odds recorded for {day} (bundle holds {first} – {last})"
    source = " + ".join(dict.fromkeys(sources)) or None
    return FedWatch(
        tuple(meetings), source, new_york_close(day) if sources else None, error, tuple(notes)
    )
