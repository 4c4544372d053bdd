"""Readers for the bundled tables that are not daily closes.

Fear & greed (crypto and stock with CNN's components), Fed-decision odds (published CME FedWatch
readings and prediction-market order books), the FOMC calendar, BTC funding, open interest and
spot-ETF flows. Values are returned as recorded; nothing is filled or interpolated.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from tui.assets import EXTRA_ROWS
from tui.fomc_calendar import FomcCalendar, FomcDecision
from tui.gate import level_ok
from tui.history import DAILY_DIR, parse_number

FOMC_CALENDAR = DAILY_DIR / "fomc_meetings_2018_2027.csv"
FOMC_CALENDAR_COVERS = (date(2018, 1, 1), date(2027, 12, 31))
"""The years whose every rate decision the calendar file holds (PROVENANCE-fed.md: "FOMC calendar
2018–2027", its rows 2018-01-31 … 2027-12-08). A day before 2018 has next meetings it does not hold
(2017's September, November and December meetings), so nothing is said of them."""
ZQ_CLOSES = DAILY_DIR / "zq_daily_2017_2023.csv"
REPLACED_MEETINGS: dict[date, date] = {date(2020, 3, 18): date(2020, 3, 15)}
"""Scheduled meetings the calendar file leaves out because they were replaced, with the day of
the replacement (PROVENANCE-fed.md: "The scheduled 2020-03-18 meeting was replaced by [the
emergency cut of Sunday 2020-03-15] and does not appear"). Until then markets priced it."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True, slots=True)
class Dated:
    """A dated table: rows sorted by date, looked up 'as of' a day."""

    dates: tuple[date, ...]
    rows: tuple[dict[str, str], ...]

    def at(self, day: date) -> tuple[int, dict[str, str]] | None:
        """The last row on or before `day`, with its index."""
        i = bisect_right(self.dates, day) - 1
        return (i, self.rows[i]) if i >= 0 else None

    def exactly(self, day: date) -> dict[str, str] | None:
        """The row dated `day`, if there is one."""
        hit = self.at(day)
        return hit[1] if hit and self.dates[hit[0]] == day else None


def _dated(path: Path, key: str = "date") -> Dated:
    rows = sorted(_rows(path), key=lambda r: r[key])
    return Dated(tuple(date.fromisoformat(r[key][:10]) for r in rows), tuple(rows))


@cache
def crypto_fear_greed() -> Dated:
    """alternative.me crypto fear & greed, one row a UTC day."""
    return _dated(DAILY_DIR / "crypto_fear_greed.csv")


@cache
def stock_fear_greed() -> Dated:
    """CNN stock fear & greed with its seven components' raw values."""
    return _dated(DAILY_DIR / "stock_fear_greed.csv")


@cache
def etf_flows() -> Dated:
    """US spot-bitcoin ETF net flows, USD millions (Farside)."""
    return _dated(DAILY_DIR / "btc_etf_flows.csv")


@cache
def open_interest() -> Dated:
    """Binance BTCUSDT perpetual open interest, USDT, at 00:00 UTC."""
    return _dated(DAILY_DIR / "btc_open_interest.csv")


@dataclass(frozen=True, slots=True)
class FundingPrint:
    """One 8-hourly funding settlement of the BTCUSDT perpetual."""

    time: datetime
    rate: float
    """Fraction per 8 hours (0.0001 = 0.01%)."""

    @property
    def annualised_pct(self) -> float:
        """The rate compounded simply over a year of three prints a day, in percent."""
        return self.rate * 3 * 365 * 100


@cache
def btc_funding() -> tuple[FundingPrint, ...]:
    """Every bundled BTCUSDT funding print the reading gate admits (`tui.gate.level_ok`, as for
    the daily closes), ascending."""
    prints = []
    for row in _rows(DAILY_DIR / "btc_funding.csv"):
        rate = parse_number(row.get("funding_rate"))
        if rate is None or not level_ok(EXTRA_ROWS["btc_funding"], rate * 100):
            continue
        stamp = datetime.fromisoformat(row["time"].replace("Z", "+00:00"))
        prints.append(FundingPrint(stamp, rate))
    return tuple(sorted(prints, key=lambda p: p.time))


def funding_until(day: date) -> Sequence[FundingPrint]:
    """Funding prints settled on or before the end of UTC day `day`."""
    prints = btc_funding()
    i = bisect_right([p.time.date() for p in prints], day)
    return prints[:i]


@cache
def fomc_calendar() -> FomcCalendar:
    """Every FOMC rate decision 2018–2027 with the target range before and after it; the calendar
    covers FOMC_CALENDAR_COVERS and says nothing of meetings outside it."""
    decisions = [
        FomcDecision(
            date.fromisoformat(r["decision_day"]),
            r["kind"] == "scheduled",
            parse_number(r.get("lower_before")),
            parse_number(r.get("upper_before")),
            parse_number(r.get("lower_after")),
            parse_number(r.get("upper_after")),
        )
        for r in _rows(FOMC_CALENDAR)
    ]
    return FomcCalendar(
        tuple(sorted(decisions, key=lambda d: d.day)), REPLACED_MEETINGS, FOMC_CALENDAR_COVERS
    )


def fomc_decision_days() -> tuple[date, ...]:
    """FOMC decision days, scheduled and unscheduled (one place for all of them)."""
    return tuple(d.day for d in fomc_calendar().decisions)


def next_meetings(day: date, count: int = 3) -> tuple[tuple[date, ...], bool]:
    """The next FOMC meetings known on `day`.

    Args:
        day: The day we stand on; a decision announced on `day` is already known.
        count: How many meetings to return.

    Returns:
        The decision days, and True when the calendar ran out before `count` (or, before its
        first year, cannot name any).
    """
    upcoming = fomc_calendar().next_after(day, count)
    return upcoming, len(upcoming) < count


@dataclass(frozen=True, slots=True)
class ZqCloses:
    """Bundled 30-day fed funds futures closes by trading day.

    Attributes:
        dates: Trading days, ascending (2017-06-01 … 2023-09-15).
        prices: Per trading day, contract month (year, month) → close (100 − average EFFR, %).
    """

    dates: tuple[date, ...]
    prices: tuple[dict[tuple[int, int], float], ...]

    def on_or_before(self, day: date) -> tuple[date, dict[tuple[int, int], float]] | None:
        """The last trading day on or before `day` with its closes."""
        i = bisect_right(self.dates, day) - 1
        return (self.dates[i], self.prices[i]) if i >= 0 else None


@cache
def zq_span() -> tuple[date, date]:
    """First and last trading day of the bundled futures, read from the file's ends alone (the
    file is in date order), so days outside it never load the whole file."""
    with ZQ_CLOSES.open("rb") as fh:
        fh.readline()
        first = fh.readline().split(b",", 1)[0].decode()
        fh.seek(max(0, ZQ_CLOSES.stat().st_size - 512))
        last = fh.read().strip().splitlines()[-1].split(b",", 1)[0].decode()
    return date.fromisoformat(first), date.fromisoformat(last)


@cache
def zq_closes() -> ZqCloses:
    """Every bundled ZQ close (one read of the 55,000-row file, then kept)."""
    by_day: dict[str, dict[tuple[int, int], float]] = {}
    with ZQ_CLOSES.open(newline="", encoding="utf-8") as fh:
        rows = csv.reader(fh)
        header = next(rows)
        at_day, at_month, at_close = (header.index(k) for k in ("date", "contract_month", "close"))
        for r in rows:
            try:
                close = float(r[at_close])
            except (ValueError, IndexError):
                continue
            month = r[at_month]
            by_day.setdefault(r[at_day], {})[(int(month[:4]), int(month[5:7]))] = close
    days = sorted(by_day)
    return ZqCloses(tuple(date.fromisoformat(d) for d in days), tuple(by_day[d] for d in days))


@cache
def effr() -> Dated:
    """The effective federal funds rate, percent, one row a business day (FRED EFFR)."""
    return _dated(DAILY_DIR / "effr.csv")


_MOVE = re.compile(r"(cut|hike)\s+(\d+)\s*bp", re.IGNORECASE)


def outcome_bp(outcome: str) -> int | None:
    """Turn a published outcome ('cut 25bp (to 3.75-4.00)', 'no change …') into a move in bp."""
    text = outcome.lower()
    if text.startswith("no change"):
        return 0
    match = _MOVE.search(text)
    if not match:
        return None
    size = int(match.group(2))
    return -size if match.group(1).lower() == "cut" else size


@dataclass(frozen=True, slots=True)
class PublishedReading:
    """One published CME FedWatch probability (fedwatch_points.csv)."""

    day: date
    meeting: date
    move_bp: int
    probability: float
    """Percent, as published."""
    source: str
    exact: bool

    @property
    def publisher(self) -> str:
        """The publication's name (the source text before its first space-separated detail)."""
        return re.split(r"\s(?:\d{4}-|via|flash|\(|Macro|weekly|\")", self.source, maxsplit=1)[0]


@cache
def fedwatch_points() -> tuple[PublishedReading, ...]:
    """Published CME FedWatch readings, as collected with their sources."""
    out = []
    for row in _rows(DAILY_DIR / "fedwatch_points.csv"):
        move = outcome_bp(row["outcome"])
        prob = parse_number(row["probability"])
        if move is None or prob is None:
            continue
        out.append(
            PublishedReading(
                date.fromisoformat(row["date"]),
                date.fromisoformat(row["meeting"]),
                move,
                prob,
                row["source"],
                row["date_quality"].startswith("exact"),
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class MarketOdds:
    """Last prediction-market snapshot of a day for 'no change' at a meeting."""

    meeting: date
    day: date
    time_utc: str
    poly_mid: float | None
    kalshi_mid: float | None


@cache
def _market_rows() -> tuple[tuple[date, ...], tuple[MarketOdds, ...]]:
    """Last snapshot per New York date of the December 2025 'no change' markets."""
    last: dict[date, dict[str, str]] = {}
    for row in _rows(DAILY_DIR / "fed_december_2025_markets.csv"):
        if row.get("outcome") != "no_change":
            continue
        day = date.fromisoformat(row["date"])
        if day not in last or row["timestamp_utc"] > last[day]["timestamp_utc"]:
            last[day] = row
    days = tuple(sorted(last))
    odds = tuple(
        MarketOdds(
            date(2025, 12, 10),
            d,
            last[d]["timestamp_utc"],
            parse_number(last[d]["poly_mid"]),
            parse_number(last[d]["kalshi_mid"]),
        )
        for d in days
    )
    return days, odds


def market_odds(meeting: date, day: date) -> MarketOdds | None:
    """The day's last 'no change' order-book mid for `meeting`, if recorded that day."""
    days, odds = _market_rows()
    i = bisect_right(days, day) - 1
    if i < 0 or days[i] != day or odds[i].meeting != meeting:
        return None
    return odds[i]


def fed_odds_span() -> tuple[date, date]:
    """First and last day any Fed-decision odds are recorded in the bundle."""
    days = [p.day for p in fedwatch_points()] + list(_market_rows()[0])
    return min(days), max(days)
