"""The bundled real history served as a source, "as of" any day in it.

As of day D (DESIGN §2): each market's close on D, or its last close before D (dated); changes are
from the previous available close; crypto days are UTC candles. Nothing missing is filled. The
rows are composed by `tui.panes`, exactly as live rows are: only the readings differ.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from functools import cache, lru_cache

from tui import bundled, measures
from tui.assets import BY_ID, EXTRA_ROWS, PANE_ASSETS, RISK_ASSETS, Asset, Row
from tui.fed_odds import (
    Basis,
    OddsChange,
    OddsMethod,
    OddsReading,
    OddsSource,
    is_complete,
    odds_change,
)
from tui.fomc_calendar import STEP_BP
from tui.gate import level_ok
from tui.history import History, Series, parse_number
from tui.measures import new_york_close
from tui.model import (
    FearGreed,
    FearGreedPane,
    FedWatch,
    Mode,
    Quote,
    QuotePane,
    Snapshot,
)
from tui.numtext import plain, signed
from tui.panes import derivatives, quotes
from tui.panes import fear_greed as fg
from tui.panes.breadth import breadth_of
from tui.panes.fed import CHANGE_SLACK_DAYS as CARRY_DAYS
from tui.panes.fed import compose_fed
from tui.panes.fed_inputs import futures_readings
from tui.readings import Gap, Reading

SOURCE_ID = "replay"

__all__ = ["ReplaySource", "breadth_of", "fear_greed_on", "fedwatch_on", "new_york_close"]


KEPT_DAYS = 8
"""Composed days kept: the one shown and the neighbours `[` and `]` lead to."""


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
        self.slices = self.history.slices
        """The line index over the same files, for a day's first numbers."""
        self.watchlists: dict[str, tuple[str, ...]] = dict(watchlists or PANE_ASSETS)
        """Which assets each quote pane shows (the config's watchlists)."""
        self._kept: OrderedDict[tuple[date, tuple[tuple[str, tuple[str, ...]], ...]], Snapshot]
        self._kept = OrderedDict()
        self._kept_lock = threading.Lock()

    def _key(self, day: date) -> tuple[date, tuple[tuple[str, tuple[str, ...]], ...]]:
        return day, tuple(sorted(self.watchlists.items()))

    def snapshot(self, day: date) -> Snapshot:
        """Every pane as of `day` (the last few days composed are kept, per watchlists).

        Args:
            day: The replayed day.

        Returns:
            The snapshot.
        """
        key = self._key(day)
        with self._kept_lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        snap = self._compose(day, numbers_only=False)
        with self._kept_lock:
            self._kept[key] = snap
            while len(self._kept) > KEPT_DAYS:
                self._kept.popitem(last=False)
        return snap

    def kept(self, day: date) -> Snapshot | None:
        """The day's snapshot if it has been composed already (for the current watchlists)."""
        with self._kept_lock:
            return self._kept.get(self._key(day))

    def quote(self, row_id: str, day: date, *, numbers_only: bool = False) -> Quote:
        """One row's quote as of `day`: a catalogue asset, or a derivatives row (`EXTRA_ROWS`).

        Every row follows one rule: its last close on or before `day`, dated; stale from the
        first day after the bundle's last close on which its market could have traded
        (`tui.panes.quotes.ended_gap`); missing, with the bundle's first day, before it.

        Args:
            row_id: A catalogue id, `btc_funding` or `btc_oi`.
            day: The replayed day.
            numbers_only: Read only the lines around the day (`tui.dayslice`): the close, its
                change and whether it is stale, without the sparkline and 52-week high that need
                the full history.
        """
        target: Row
        if row_id in EXTRA_ROWS:
            target, source = EXTRA_ROWS[row_id], "binance"
            reading, history, first, last = _derivative(row_id, day)
        else:
            target, source = BY_ID[row_id], SOURCE_ID
            reading, history, first, last = self._close(target, day, numbers_only)
        if reading is None or reading.day is None:
            why = f"bundled data start {first.isoformat()}" if first else "no bundled data"
            return quotes.compose(
                target, None, None, Gap(None, why), missing_source=source, live=False
            )
        gap = quotes.ended_gap(target, reading.day, day, last)
        return quotes.compose(target, reading, history, gap, missing_source=source, live=False)

    def _close(
        self, asset: Asset, day: date, numbers_only: bool
    ) -> tuple[Reading | None, Series | None, date | None, date | None]:
        """An asset's close on or before `day` with its history and the bundle's first and
        last days (from the line index alone when `numbers_only`)."""
        if numbers_only:
            series = self._slice(asset, day)
            first, last = self.slices.first_day(asset), self.slices.last_day(asset)
        else:
            series = self.history.series(asset.id)
            first, last = series.first, series.last
        if asset.id == "sofr_iorb" and numbers_only:
            # The spread exists on the days both rates printed.
            ends = [
                (self.slices.first_day(BY_ID[r]), self.slices.last_day(BY_ID[r]))
                for r in ("sofr", "iorb")
            ]
            starts = [a for a, _ in ends if a is not None]
            stops = [b for _, b in ends if b is not None]
            first = max(starts) if len(starts) == 2 else None
            last = min(stops) if len(stops) == 2 else None
        reading = quotes.reading_on(asset, series, day)
        if reading is not None and reading.day is not None and asset.id == "fed_target":
            lower = self._lower_bound(reading.day, numbers_only)
            if lower is not None:
                reading = replace(reading, detail=f"{lower:.2f}–{reading.price:.2f}")
        return reading, None if numbers_only else series, first, last

    def _slice(self, asset: Asset, day: date) -> Series:
        """The last two closes on or before `day`, from the line index."""
        if asset.id == "sofr_iorb":
            sofr = self.slices.closes(BY_ID["sofr"], day, 6)
            iorb = self.slices.closes(BY_ID["iorb"], day, 6)
            pairs = measures.spread_bp(sofr, iorb)[-2:]
        else:
            pairs = self.slices.closes(asset, day, 2)
        return Series(asset.id, tuple(d for d, _ in pairs), tuple(v for _, v in pairs))

    def _lower_bound(self, day: date, numbers_only: bool) -> float | None:
        if not numbers_only:
            return self.history.column("fed_target", "lower").value_on(day)
        lower = replace(BY_ID["fed_target"], column="lower")
        got = self.slices.closes(lower, day, 1)
        return got[-1][1] if got and got[-1][0] == day else None

    def numbers(self, day: date) -> Snapshot:
        """The day's quotes and breadth, read from the lines around the day only: what a trader
        needs first. Sparklines, 52-week highs, Fed watch and fear & greed follow in
        `snapshot(day)`; this one is marked `partial`.

        Args:
            day: The replayed day.

        Returns:
            A partial snapshot (Fed watch and fear & greed empty, marked loading).
        """
        return self._compose(day, numbers_only=True)

    def _compose(self, day: date, *, numbers_only: bool) -> Snapshot:
        panes = {
            name: QuotePane(tuple(self.quote(a, day, numbers_only=numbers_only) for a in ids))
            for name, ids in self.watchlists.items()
        }
        extras = (self.quote(r, day, numbers_only=numbers_only) for r in EXTRA_ROWS)
        crypto = QuotePane((*panes["crypto"].quotes, *extras))
        shown = {q.id: q for p in (panes["indices"], crypto, panes["macro"]) for q in p.quotes}
        risk = [shown.get(a) or self.quote(a, day, numbers_only=numbers_only) for a in RISK_ASSETS]
        return Snapshot(
            as_of=new_york_close(day),
            mode=Mode.REPLAY,
            day=day,
            indices=panes["indices"],
            crypto=crypto,
            macro=panes["macro"],
            fedwatch=FedWatch() if numbers_only else fedwatch_on(day),
            fear_greed=FearGreedPane() if numbers_only else fear_greed_on(day),
            breadth=breadth_of(risk, day, sized=not numbers_only),
            partial=numbers_only,
        )


def _derivative(
    row_id: str, day: date
) -> tuple[Reading | None, Series | None, date | None, date | None]:
    """A derivatives row as of `day` from the bundled Binance files, composed as live: funding is
    the last 8-hourly print settled by the end of UTC day `day`, open interest the daily point at
    00:00 UTC (`tui.panes.derivatives`); with the bundle's first and last days."""
    received = new_york_close(day).timestamp()
    if row_id == "btc_funding":
        prints = bundled.btc_funding()
        first = prints[0].time.date() if prints else None
        last = prints[-1].time.date() if prints else None
        until = ((p.time, p.rate) for p in bundled.funding_until(day))
        got = derivatives.funding(until, "binance", received)
    else:
        points = _open_interest_points()
        first = points[0][0] if points else None
        last = points[-1][0] if points else None
        got = derivatives.open_interest(points, "binance", received, day)
    reading, history = got if got is not None else (None, None)
    return reading, history, first, last


@cache
def _open_interest_points() -> tuple[tuple[date, float], ...]:
    table = bundled.open_interest()
    out = []
    row = EXTRA_ROWS["btc_oi"]
    for d, r in zip(table.dates, table.rows, strict=True):
        value = parse_number(r.get("open_interest"))
        if value is not None and level_ok(row, value / 1e9):  # the gate, as for daily closes
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
                out.append((label, f"{signed((sp / avg - 1) * 100, 1)}% ({sp:,.0f} vs {avg:,.0f})"))
        elif key == "volatility":
            vix = num(row.get("market_volatility_vix"))
            avg = num(row.get("market_volatility_vix_50"))
            if vix is not None and avg is not None:
                out.append((label, f"{vix:.2f} vs {avg:.2f}"))
        else:
            value = num(row.get(key))
            if value is not None:
                out.append((label, plain(value, 2, grouping=True)))
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


MARKET_PAIR = (-25, 0)
"""The December 2025 markets bundled are "no change" only; PROVENANCE-macro.md reads a cut as
roughly 1 − mid, so the meeting is treated as cut 25 vs hold and the cut shown as derived."""


@cache
def _published() -> tuple[OddsReading, ...]:
    """CME FedWatch figures as published: one reading per day, meeting, publication and date
    quality, in file order (fedwatch_points.csv)."""
    groups: dict[tuple[date, date, str, bool], list[bundled.PublishedReading]] = {}
    for p in bundled.fedwatch_points():
        groups.setdefault((p.day, p.meeting, p.publisher, p.exact), []).append(p)
    calendar = bundled.fomc_calendar()
    out = []
    for (day, meeting, publisher, exact), rows in groups.items():
        probabilities = {r.move_bp: r.probability / 100 for r in rows}
        first = calendar.next_after(day, 1) == (meeting,)
        # One recorded step of 25 bp at the next meeting: the articles weigh it against a hold.
        (only,) = probabilities if len(probabilities) == 1 else (None,)
        pair = (0, only) if first and only is not None and abs(only) == STEP_BP else None
        out.append(
            OddsReading(
                meeting,
                day,
                OddsSource.CME_PUBLISHED,
                OddsMethod.PUBLISHED,
                probabilities,
                approximate=not exact,
                complete=is_complete(probabilities),
                pair=pair,
                note=f"as published by {publisher}",
            )
        )
    return tuple(out)


def _market_readings(day: date) -> list[OddsReading]:
    """The day's last 'no change' order-book mids of the December 2025 meeting."""
    meeting = date(2025, 12, 10)
    odds = bundled.market_odds(meeting, day)
    if odds is None:
        return []
    out = []
    for source, mid in (
        (OddsSource.POLYMARKET, odds.poly_mid),
        (OddsSource.KALSHI, odds.kalshi_mid),
    ):
        if mid is not None:
            out.append(
                OddsReading(
                    meeting,
                    day,
                    source,
                    OddsMethod.MARKET,
                    {0: mid},
                    Basis.AT_MEETING,
                    pair=MARKET_PAIR,
                    note=f"order-book mid at {odds.time_utc[11:16]} UTC",
                )
            )
    return out


@lru_cache(maxsize=4096)
def futures_on(trading_day: date) -> tuple[OddsReading, ...]:
    """The CME method on the bundled futures closes of one trading day (none outside the
    bundled futures' span, which is known without reading the file)."""
    first, last = bundled.zq_span()
    if not first <= trading_day <= last:
        return ()
    hit = bundled.zq_closes().on_or_before(trading_day)
    if hit is None or hit[0] != trading_day:
        return ()
    effr = bundled.effr().at(trading_day)
    rate = parse_number(effr[1].get("value")) if effr else None
    printed = bundled.effr().dates[effr[0]] if effr else None
    calendar = bundled.fomc_calendar()
    source = OddsSource.FUTURES_BUNDLED
    return tuple(futures_readings(trading_day, hit[1], calendar, rate, source, rate_as_of=printed))


def _futures_around(day: date) -> list[OddsReading]:
    """Futures readings of the last trading day on or before `day` and of the days its changes
    need (a day, a week and a month before it)."""
    first, last = bundled.zq_span()
    if not first <= day <= last + timedelta(days=CARRY_DAYS):
        return []
    closes = bundled.zq_closes()
    hit = closes.on_or_before(day)
    if hit is None:
        return []
    out = list(futures_on(hit[0]))
    for back in (1, 7, 30):
        earlier = closes.on_or_before(hit[0] - timedelta(days=back))
        if earlier is not None:
            out += futures_on(earlier[0])
    return out


def fed_readings(day: date) -> list[OddsReading]:
    """Every bundled Fed-odds reading the pane of `day` may use (that day's and earlier ones)."""
    published = [p for p in _published() if day - timedelta(days=40) <= p.day <= day]
    markets = [r for back in (0, 1, 7, 30) for r in _market_readings(day - timedelta(days=back))]
    return [*_futures_around(day), *published, *markets]


def _no_odds(day: date) -> str:
    futures = bundled.zq_span()
    first, last = bundled.fed_odds_span()
    near = futures[0] <= day <= futures[1] + timedelta(days=CARRY_DAYS)
    hit = bundled.zq_closes().on_or_before(day) if near else None
    calendar = bundled.fomc_calendar()
    decided = calendar.last_on_or_before(day)
    unknown = calendar.unknown_ahead(hit[0]) if hit else None
    if hit and unknown and (day - hit[0]).days <= CARRY_DAYS:
        return (
            f"no Fed-decision odds for {day}: on the last futures close ({hit[0]}) the next "
            f"meetings are not known ({unknown})"
        )
    if hit and decided and hit[0] < decided.day <= day and (day - hit[0]).days <= 4:
        return (
            f"no Fed-decision odds for {day}: the last futures close ({hit[0]}) predates the "
            f"{decided.day} decision"
        )
    return (
        f"no Fed-decision odds recorded for {day} (bundled futures {futures[0]} – "
        f"{futures[1]}; published and market readings {first} – {last})"
    )


@lru_cache(maxsize=512)
def fedwatch_on(day: date) -> FedWatch:
    """The next FOMC meetings with the best odds recorded for `day`, source named."""
    return compose_fed(
        day,
        bundled.fomc_calendar(),
        fed_readings(day),
        as_of=new_york_close(day),
        no_odds=_no_odds(day),
    )


def fed_odds_change(start: date, end: date, meeting: date | None = None) -> OddsChange | None:
    """The meeting outcome whose bundled odds moved most from `start` to `end` (one source and
    method, both ends stated), for the drill-down and explain."""
    return odds_change(
        [*fed_readings(start), *fed_readings(end)], bundled.fomc_calendar(), start, end, meeting
    )
