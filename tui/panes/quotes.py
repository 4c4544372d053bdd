"""Quote rows: one composer for live and replay.

A quote row is built from the latest admitted reading of its row, the daily closes before it
(bundled, or bundled + cached live history) and why it is stale, if it is. Nothing here knows
whether the reading came from a live API or the bundled files.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import UTC, date, datetime, time

from tui import measures
from tui.assets import Asset, AssetClass, Row, Unit
from tui.history import Series
from tui.model import Quote
from tui.readings import Gap, Reading

SESSION_OPENS: dict[str, time] = {
    "America/New_York": time(9, 30),
    "Asia/Tokyo": time(9, 0),
    "Asia/Seoul": time(9, 0),
    "Asia/Hong_Kong": time(9, 30),
    "Asia/Shanghai": time(9, 30),
    "Europe/Berlin": time(9, 0),
    "UTC": time(0, 0),
}
"""Local opening time of each home market's cash session."""
AROUND_THE_CLOCK = frozenset({AssetClass.PRECIOUS_METAL, AssetClass.ENERGY, AssetClass.FX})
"""Futures and FX trade from the previous evening: their New York day starts at midnight."""
PUBLISHED_DAILY_LAG_DAYS = 7
"""A daily publication (FRED's rates) is stale once its latest value is older than this."""
SIGMA_UNITS = {Unit.PRICE: "price", Unit.RATE: "rate", Unit.BP: "bp"}
"""Rows whose move the drill-down sizes in σ, and how their moves are read."""


def yardstick(row: Row, history: Series, day: date) -> float | None:
    """The row's daily σ before `day` (`tui.measures.daily_sigma`), memoised per history.

    Args:
        row: The row (only catalogue assets in price, rate or bp units are sized).
        history: Its daily closes; only those before `day` are used.
        day: The quote's day.

    Returns:
        σ in the move's unit (percent, or bp), or None.
    """
    unit = SIGMA_UNITS.get(row.unit)
    if unit is None or not isinstance(row, Asset) or not history.dates:
        return None
    n = bisect_left(history.dates, day)
    return measures.sigma_before(row.id, history.dates, history.values, unit, n)


def session_opens(asset: Asset) -> time:
    """When the asset's session opens in its home time zone (weekdays; holidays not known)."""
    if asset.asset_class in AROUND_THE_CLOCK:
        return time(0, 0)
    return SESSION_OPENS.get(asset.tz, time(0, 0))


def reading_on(row: Row, series: Series, day: date, source: str = "replay") -> Reading | None:
    """The close on or before `day` and its change from the previous close, as a reading.

    Args:
        row: The row.
        series: Its daily closes (already gated: see `tui.history`).
        day: The day shown.
        source: Source id to name.

    Returns:
        The reading, or None when the series holds nothing on or before `day`. The percent
        change is None when the previous close is at or below zero (undefined).
    """
    i = series.index_at(day)
    if i < 0:
        return None
    price = series.values[i]
    prev = series.values[i - 1] if i > 0 else None
    change = price - prev if prev is not None else None
    pct = None
    if row.unit is Unit.PRICE and prev is not None and prev > 0:
        pct = (price / prev - 1) * 100
    return Reading(
        price,
        change,
        pct,
        series.dates[i],
        None,
        source,
        measures.new_york_close(series.dates[i]).timestamp(),
        currency=row.quote_currency if isinstance(row, Asset) else None,
    )


def ended_gap(row: Row, as_of: date, day: date, last: date | None) -> Gap | None:
    """Why a close dated `as_of` is stale on `day`, from the data alone (`stale_gap`, on the
    row's own calendar: weekdays, or every day for crypto and the perpetual's rows).

    Args:
        row: The row.
        as_of: The close's day.
        day: The day shown.
        last: The last day the series holds.

    Returns:
        `bundled data end D` from the first day after its last close on which the market could have
        traded; `no close since D` after QUIET_GAP_DAYS mid-series; else None.
    """
    weekends = row.weekends if isinstance(row, Asset) else True
    return stale_gap(as_of, day, last, weekends=weekends)


def stale_gap(
    as_of: date, day: date, last: date | None, *, weekends: bool, what: str = "close"
) -> Gap | None:
    """The one replay rule for a value dated `as_of` shown on `day`: every pane row follows it.

    Args:
        as_of: The value's day.
        day: The day shown.
        last: The last day its bundled series holds.
        weekends: True when its market trades every day (crypto, the perpetual, crypto
            sentiment); weekdays otherwise (holidays are not known here).
        what: What a value is called in the mid-series reason (`close`, `reading`).

    Returns:
        `bundled data end D` from the first day after `last` on which the market could have
        traded; `no {what} since D` after QUIET_GAP_DAYS mid-series; else None.
    """
    if as_of == last and measures.sessions_after(as_of, day, weekends=weekends) > 0:
        return Gap(None, f"bundled data end {as_of.isoformat()}")
    if (day - as_of).days > measures.QUIET_GAP_DAYS:
        return Gap(None, f"no {what} since {as_of.isoformat()}")
    return None


def session_gap(row: Row, reading: Reading, now: datetime) -> Gap | None:
    """A live reading dated before its market's last session is stale, with its date.

    A daily publication (FRED) lags by a day or two by nature: it is stale only once older than
    PUBLISHED_DAILY_LAG_DAYS.
    """
    if reading.day is None:
        return None
    if not isinstance(row, Asset):
        # Perpetual funding settles every 8 hours, open interest is a daily point at 00:00 UTC:
        # a value from before yesterday (UTC) is an old one.
        if (now.date() - reading.day).days > 1:
            return Gap(None, f"latest value is of {reading.day.isoformat()}")
        return None
    if reading.source == "fred":
        if (now.date() - reading.day).days > PUBLISHED_DAILY_LAG_DAYS:
            return Gap(None, f"latest value is of {reading.day.isoformat()}")
        return None
    last = measures.last_session_opened(now, row.tz, session_opens(row), weekends=row.weekends)
    if reading.day < last:
        return Gap(None, f"close of {reading.day.isoformat()}; its market has traded since")
    return None


def compose(
    row: Row,
    reading: Reading | None,
    history: Series | None,
    gap: Gap | None,
    *,
    missing_source: str,
    live: bool,
) -> Quote:
    """One quote row.

    Args:
        row: The catalogue row.
        reading: The latest admitted reading, or None.
        history: Daily closes of the row (for the sparkline and the 52-week high); closes on or
            after the reading's day are ignored.
        gap: Why the reading is stale (or why there is none), if it is.
        missing_source: Source to name on a row with no reading.
        live: True in live and cached mode (the quote then carries when it was received).

    Returns:
        The quote; every value None (never 0) when there is no reading.
    """
    if reading is None:
        return Quote.missing(row, missing_source, gap.text() if gap else "no data")
    from_high = sigma = week = month = None
    spark: tuple[float, ...] = ()
    spark_wide: tuple[float, ...] = ()
    change_pct = reading.change_pct if row.unit is Unit.PRICE else None
    move: float | None = change_pct
    if row.unit is not Unit.PRICE and reading.change is not None:
        move = reading.change * (100 if row.unit is Unit.RATE else 1)
    if reading.day is not None and history is not None:
        dates, values, day, price = history.dates, history.values, reading.day, reading.price
        spark = measures.spark(dates, values, day, price)
        spark_wide = measures.spark(dates, values, day, price, measures.SPARK_POINTS_WIDE)
        sigma = measures.sigmas(move, yardstick(row, history, day))
        unit = SIGMA_UNITS.get(row.unit)
        if unit is not None:
            week = measures.change_since(dates, values, day, price, measures.WEEK_DAYS, unit)
            month = measures.change_since(dates, values, day, price, measures.MONTH_DAYS, unit)
        if row.unit is Unit.PRICE and reading.price > 0:
            high = measures.high_52w(history.dates, history.values, reading.day, reading.price)
            if high is not None and high > 0:
                from_high = (reading.price / high - 1) * 100
    received = datetime.fromtimestamp(reading.received, tz=UTC) if live else None
    return Quote(
        row.id,
        reading.symbol or row.symbol,
        row.name,
        reading.price,
        reading.change,
        change_pct,
        reading.day,
        reading.source,
        stale=gap is not None,
        stale_reason=gap.text() if gap else None,
        from_high_pct=from_high,
        unit=row.unit,
        spark=spark,
        detail=reading.detail,
        updated=reading.time if live else None,
        received=received,
        currency=reading.currency,
        decimals=row.decimals,
        sigma=sigma,
        change_1w=week,
        change_1m=month,
        spark_wide=spark_wide,
    )
