"""The bundled real history served as a source, "as of" any day in it.

As of day D (DESIGN §2): each market's close on D, or its last close before D (dated); changes are
from the previous available close; crypto days are UTC candles. Nothing missing is filled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from tui import bundled
from tui.assets import BY_ID, EXTRA_ROWS, PANE_ASSETS, RISK_ASSETS, Asset, Unit
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
from tui.history import History, Series, parse_number
from tui.model import (
    Breadth,
    FearGreed,
    FearGreedPane,
    FedWatch,
    Mode,
    Quote,
    QuotePane,
    Snapshot,
)
from tui.panes.fed import CHANGE_SLACK_DAYS as CARRY_DAYS
from tui.panes.fed import compose_fed
from tui.panes.fed_inputs import futures_readings

SOURCE_ID = "replay"
SPARK_POINTS = 30
HIGH_WINDOW_DAYS = 252
"""Trading days in the 52-week high (365 calendar days for crypto)."""
ENDED_AFTER_DAYS = 4
"""A series whose last close is more than this many days before D has run out of data."""
QUIET_GAP_DAYS = 10
"""Longer than any market holiday (Golden Week is 7): a gap this long is marked stale."""

_NEW_YORK = ZoneInfo("America/New_York")


def new_york_close(day: date) -> datetime:
    """16:00 New York time on `day`, in UTC: the moment a replayed day describes."""
    return datetime.combine(day, time(16, 0), _NEW_YORK).astimezone(UTC)


def high_window_start(series: Series, i: int, asset: Asset) -> int:
    """First index of the 52-week window ending at index i."""
    if asset.weekends:
        first_day = series.dates[i] - timedelta(days=365)
        j = i
        while j > 0 and series.dates[j - 1] > first_day:
            j -= 1
        return j
    return max(0, i - HIGH_WINDOW_DAYS + 1)


def build_quote(asset: Asset, series: Series, day: date, source: str = SOURCE_ID) -> Quote:
    """One asset's quote as of `day`.

    Args:
        asset: The asset.
        series: Its daily history.
        day: The replayed day.
        source: Source id to report.

    Returns:
        The quote; price None (with the reason) when the data hold nothing on or before `day`.
    """
    i = series.index_at(day)
    if i < 0:
        reason = (
            f"bundled data start {series.first.isoformat()}" if series.first else "no bundled data"
        )
        return Quote.missing(asset, source, reason)
    price = series.values[i]
    as_of = series.dates[i]
    prev = series.values[i - 1] if i > 0 else None
    change = price - prev if prev is not None else None
    change_pct = None
    if asset.unit is Unit.PRICE and prev is not None and prev > 0:
        change_pct = (price / prev - 1) * 100
    from_high = None
    if asset.unit is Unit.PRICE and price > 0:
        high = max(series.values[high_window_start(series, i, asset) : i + 1])
        from_high = (price / high - 1) * 100 if high > 0 else None
    stale_reason = None
    gap = (day - as_of).days
    if i == len(series) - 1 and gap > ENDED_AFTER_DAYS:
        stale_reason = f"bundled data end {as_of.isoformat()}"
    elif gap > QUIET_GAP_DAYS:
        stale_reason = f"no close since {as_of.isoformat()}"
    return Quote(
        asset.id,
        asset.symbol,
        asset.name,
        price,
        change,
        change_pct,
        as_of,
        source,
        stale=stale_reason is not None,
        stale_reason=stale_reason,
        from_high_pct=from_high,
        unit=asset.unit,
        spark=tuple(series.window(i, SPARK_POINTS)),
    )


def breadth_of(quotes: Iterable[Quote], day: date | None) -> Breadth:
    """Count risk assets that printed on `day` (any day when None: live, each on its latest
    session) and fell or rose.

    The label is broad when at least 60% moved the same way, plain when most did, else mixed.
    """
    moved = [
        q
        for q in quotes
        if q.id in RISK_ASSETS and (day is None or q.as_of == day) and q.change is not None
    ]
    down = sum(1 for q in moved if q.change is not None and q.change < 0)
    up = sum(1 for q in moved if q.change is not None and q.change > 0)
    n = len(moved)
    if n == 0 or down == up:
        label = "mixed"
    else:
        side, count = ("risk-off", down) if down > up else ("risk-on", up)
        label = f"broad {side}" if count / n >= 0.6 else side
    return Breadth(n, down, up, label)


class ReplaySource:
    """Serves the bundled real history through the source interface.

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
        funding = self.funding_quote(day)
        crypto = QuotePane((*panes["crypto"].quotes, funding, self.open_interest_quote(day)))
        all_quotes = [*panes["indices"].quotes, *crypto.quotes, *panes["macro"].quotes]
        return Snapshot(
            as_of=new_york_close(day),
            mode=Mode.REPLAY,
            day=day,
            indices=panes["indices"],
            crypto=crypto,
            macro=panes["macro"],
            fedwatch=fedwatch_on(day),
            fear_greed=fear_greed_on(day),
            breadth=breadth_of(self._risk_quotes(all_quotes, day), day),
        )

    def _risk_quotes(self, shown: list[Quote], day: date) -> list[Quote]:
        """Quotes of every risk asset: breadth counts them all, whatever the watchlists show."""
        by_id = {q.id: q for q in shown}
        return [by_id.get(a) or self.quote(a, day) for a in RISK_ASSETS]

    def quote(self, asset_id: str, day: date) -> Quote:
        """One asset's quote as of `day`."""
        asset = BY_ID[asset_id]
        quote = build_quote(asset, self.history.series(asset_id), day)
        if asset_id == "fed_target" and quote.price is not None:
            lower = self.history.column("fed_target", "lower")
            low = lower.value_on(quote.as_of) if quote.as_of else None
            if low is not None:
                quote = replace(quote, detail=f"{low:.2f}–{quote.price:.2f}")
        return quote

    def funding_quote(self, day: date) -> Quote:
        """BTC perpetual funding: the last 8-hourly print settled by the end of `day`."""
        prints = bundled.funding_until(day)
        row = EXTRA_ROWS["btc_funding"]
        all_prints = bundled.btc_funding()
        if not prints or (day - prints[-1].time.date()).days > 1:
            span = (
                f"{all_prints[0].time.date()} – {all_prints[-1].time.date()}"
                if all_prints
                else "none"
            )
            reason = f"no funding data for this day (bundled {span})"
            return Quote.missing(row, "binance", reason)
        last = prints[-1]
        prev = prints[-2] if len(prints) > 1 else None
        return Quote(
            row.id,
            row.symbol,
            row.name,
            last.rate * 100,
            (last.rate - prev.rate) * 100 if prev else None,
            None,
            last.time.date(),
            "binance",
            unit=row.unit,
            spark=tuple(p.rate * 100 for p in prints[-SPARK_POINTS:]),
            detail=f"{last.annualised_pct:+.1f}%/yr",
        )

    def open_interest_quote(self, day: date) -> Quote:
        """BTC perpetual open interest at 00:00 UTC of `day` (bundled daily points)."""
        row = EXTRA_ROWS["btc_oi"]
        table = bundled.open_interest()
        hit = table.at(day)
        if hit is None or (day - table.dates[hit[0]]).days > 1:
            span = f"{table.dates[0]} – {table.dates[-1]}" if table.dates else "none"
            reason = f"no open interest for this day (bundled {span})"
            return Quote.missing(row, "binance", reason)
        i, current = hit
        value = parse_number(current.get("open_interest"))
        prev = parse_number(table.rows[i - 1].get("open_interest")) if i > 0 else None
        level = value / 1e9 if value is not None else None
        return Quote(
            row.id,
            row.symbol,
            row.name,
            level,
            (value - prev) / 1e9 if value is not None and prev is not None else None,
            (value / prev - 1) * 100 if value is not None and prev else None,
            table.dates[i],
            "binance",
            unit=row.unit,
            spark=tuple(
                v / 1e9
                for r in table.rows[max(0, i - SPARK_POINTS + 1) : i + 1]
                if (v := parse_number(r.get("open_interest"))) is not None
            ),
        )


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


def _reading(
    table: bundled.Dated, day: date, value_key: str, label_key: str
) -> tuple[
    float | None, str | None, float | None, float | None, date | None, dict[str, str] | None
]:
    hit = table.at(day)
    if hit is None:
        return None, None, None, None, None, None
    i, row = hit
    value = parse_number(row.get(value_key))
    previous = parse_number(table.rows[i - 1].get(value_key)) if i > 0 else None
    week = table.at(table.dates[i] - timedelta(days=7))
    week_ago = parse_number(week[1].get(value_key)) if week else None
    return value, row.get(label_key) or None, previous, week_ago, table.dates[i], row


def fear_greed_on(day: date) -> FearGreedPane:
    """Crypto and stock fear & greed as of `day` (dated when older)."""
    indices = []
    value, label, prev, week, as_of, _ = _reading(
        bundled.crypto_fear_greed(), day, "value", "classification"
    )
    indices.append(
        FearGreed("crypto", "Crypto F&G", value, label, prev, week, as_of, "alternative_me")
    )
    value, label, prev, week, as_of, row = _reading(
        bundled.stock_fear_greed(), day, "value", "rating"
    )
    indices.append(
        FearGreed(
            "stock",
            "Stock F&G",
            value,
            label.title() if label else None,
            prev,
            week,
            as_of,
            "cnn",
            _stock_components(row) if row else (),
        )
    )
    missing = [f.name for f in indices if f.value is None]
    error = f"no data on or before {day}: {', '.join(missing)}" if missing else None
    return FearGreedPane(tuple(indices), error)


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
def _futures_on(trading_day: date) -> tuple[OddsReading, ...]:
    """The CME method on the bundled futures closes of one trading day."""
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
    out = list(_futures_on(hit[0]))
    for back in (1, 7, 30):
        earlier = closes.on_or_before(hit[0] - timedelta(days=back))
        if earlier is not None:
            out += _futures_on(earlier[0])
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
    decided = bundled.fomc_calendar().last_on_or_before(day)
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
