"""Daily history of the bundled real data, read with the standard library only.

The dashboard needs this before pandas is worth importing, so the loader is plain `csv`.
A row whose value is empty is a missing day: it is skipped, never filled.
"""

from __future__ import annotations

import csv
import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tui import measures
from tui.assets import BY_ID, RISK_ASSETS, Asset
from tui.gate import level_ok

if TYPE_CHECKING:
    from tui.dayslice import DaySlices

DATA_DIR = Path(__file__).parent / "data"
DAILY_DIR = DATA_DIR / "daily"


@dataclass(frozen=True, slots=True)
class Series:
    """One asset's daily closes, ascending by date, with no missing-value rows.

    Attributes:
        id: The asset id.
        dates: Trading dates, strictly ascending.
        values: The close (or value) on each date.
    """

    id: str
    dates: tuple[date, ...]
    values: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.dates)

    def index_at(self, day: date) -> int:
        """Index of the last observation on or before `day`, or -1 when there is none."""
        return bisect_right(self.dates, day) - 1

    def value_on(self, day: date) -> float | None:
        """The value dated exactly `day`, or None when the market did not print that day."""
        i = self.index_at(day)
        return self.values[i] if i >= 0 and self.dates[i] == day else None

    def window(self, end: int, count: int) -> Sequence[float]:
        """Up to `count` values ending at index `end` (inclusive)."""
        return self.values[max(0, end - count + 1) : end + 1]

    @property
    def first(self) -> date | None:
        """The first date with data."""
        return self.dates[0] if self.dates else None

    @property
    def last(self) -> date | None:
        """The last date with data."""
        return self.dates[-1] if self.dates else None


def _read_columns(
    path: Path,
    columns: Sequence[str] | None = None,
    keep: Callable[[float], bool] | None = None,
) -> dict[str, dict[date, float]]:
    """Value columns of a date-sorted CSV by day, in one pass over its rows.

    Args:
        path: The CSV (a header row with a `date` column, then one row a line).
        columns: The columns to read; every column but `date` when None. A column the header
            does not name comes back empty.
        keep: The gate a value must pass (all pass when None).

    Returns:
        {column: {day: value}} without missing values (`parse_number`) or refused ones; a day
        listed twice keeps its last row's value that was kept.
    """
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        at = {name: i for i, name in enumerate(header)}
        di = at["date"]
        wanted = [c for c in header if c != "date"] if columns is None else list(columns)
        out: dict[str, dict[date, float]] = {c: {} for c in wanted}
        cells = [(at[c], out[c]) for c in wanted if c in at]
        for record in reader:
            if not record:
                continue  # a blank line
            day = date.fromisoformat(record[di][:10])
            width = len(record)
            for i, by_day in cells:
                value = parse_number(record[i]) if i < width else None
                if value is not None and (keep is None or keep(value)):
                    by_day[day] = value
        return out


def parse_number(text: str | None) -> float | None:
    """A number from a data file or feed; empty, `.` (FRED's missing mark), junk and NaN are
    None, never 0."""
    if text is None:
        return None
    try:
        value = float(text)  # surrounding blanks are allowed; "", "." and junk are not
    except ValueError:
        return None
    return value if value == value else None  # NaN is missing, not a number


def json_number(value: object) -> float | None:
    """A number from decoded JSON: a bool, a string, null or NaN is None, never 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value else None


def read_series(asset_id: str, file: str, column: str, directory: Path = DAILY_DIR) -> Series:
    """Read one bundled CSV column into a Series, through the reading gate.

    Args:
        asset_id: Id to give the series.
        file: CSV stem under `directory`.
        column: The value column.
        directory: Where the CSVs live.

    Returns:
        The series without missing-value rows and without values the gate refuses as a level
        of this asset (`tui.gate.level_ok`); a day listed twice counts once (its last row).
    """
    row = BY_ID.get(asset_id)
    keep = None if row is None else partial(level_ok, row)
    return _series(asset_id, _read_columns(directory / f"{file}.csv", (column,), keep)[column])


def _series(asset_id: str, by_day: dict[date, float]) -> Series:
    days = sorted(by_day)
    return Series(asset_id, tuple(days), tuple(by_day[d] for d in days))


def _file_bounds(path: Path) -> tuple[date, date]:
    """Dates of the first and last rows of a date-sorted CSV, reading only its ends."""
    with path.open("rb") as fh:
        fh.readline()
        first = fh.readline().decode()
        size = fh.seek(0, 2)
        fh.seek(max(0, size - 4096))
        last = fh.read().decode(errors="replace").strip().splitlines()[-1]
    return date.fromisoformat(first[:10]), date.fromisoformat(last[:10])


def _spread_bp(a: Series, b: Series, asset_id: str) -> Series:
    """a − b in basis points on the dates both series have (`tui.measures.spread_bp`)."""
    pairs = measures.spread_bp(
        zip(a.dates, a.values, strict=True), zip(b.dates, b.values, strict=True)
    )
    return Series(asset_id, tuple(d for d, _ in pairs), tuple(v for _, v in pairs))


class History:
    """Lazy, thread-safe cache of bundled daily series.

    Args:
        directory: Where the bundled daily CSVs live.
    """

    def __init__(self, directory: Path = DAILY_DIR) -> None:
        self._dir = directory
        self._cache: dict[str, Series] = {}
        self._lock = threading.Lock()
        self._calendar: tuple[date, ...] | None = None
        self._span: tuple[date, date] | None = None
        self.memo: dict[str, object] = {}
        """Derived data kept with this history (the explain engine's panel)."""
        self._slices: DaySlices | None = None

    def series(self, asset_id: str) -> Series:
        """The daily series of one asset (loaded on first use).

        Args:
            asset_id: A catalogue id.

        Returns:
            The series; empty when the bundle has no file for it.
        """
        with self._lock:
            cached = self._cache.get(asset_id)
        if cached is not None:
            return cached
        series = self._load(BY_ID[asset_id])
        with self._lock:
            self._cache[asset_id] = series
        return series

    def forget(self, asset_id: str) -> None:
        """Drop one asset's loaded series and what was derived from it alone (its own explain
        panel), so the next read sees days fetched since (a symbol's year, just backfilled)."""
        with self._lock:
            self._cache.pop(asset_id, None)
            self.memo.pop(f"panel:{asset_id}", None)

    def column(self, file: str, column: str) -> Series:
        """Another column of a bundled file (the Fed target's lower bound, a day's open, high
        and low). The file's other columns are read in the same pass and kept; a column the
        file does not have is an empty series.

        Raises:
            FileNotFoundError: The bundle has no such file.
        """
        key = f"{file}:{column}"
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        read = _read_columns(self._dir / f"{file}.csv")
        read.setdefault(column, {})
        with self._lock:
            for name, by_day in read.items():
                self._cache.setdefault(f"{file}:{name}", _series(f"{file}:{name}", by_day))
            return self._cache[key]

    @property
    def slices(self) -> DaySlices:
        """The line index over this history's files (`tui.dayslice`), made on first use and
        shared by everything that reads a few rows around a day: one copy of each file's bytes.
        """
        with self._lock:
            if self._slices is None:
                from tui.dayslice import DaySlices

                self._slices = DaySlices(self._dir)
            return self._slices

    def rows(
        self, file: str, columns: Sequence[str], first: date, last: date
    ) -> dict[date, tuple[float | None, ...]]:
        """Values of a bundled file's `columns` on each day from `first` to `last`, found by
        bisection over the file's bytes rather than read with the whole file (a session's
        open, high and low and those of the sessions before it: `tui.dayslice.DaySlices.rows`).
        """
        return self.slices.rows(file, columns, first, last)

    def _load(self, asset: Asset) -> Series:
        if asset.id == "sofr_iorb":
            return _spread_bp(self.series("sofr"), self.series("iorb"), asset.id)
        if not asset.file or not (self._dir / f"{asset.file}.csv").exists():
            return Series(asset.id, (), ())
        return read_series(asset.id, asset.file, asset.column, self._dir)

    def latest_full_day(self) -> date:
        """The latest day most equity markets in the bundle printed: the median of their files'
        last days (reads only the ends of the files). A day past it shows mostly stale rows."""
        ends = sorted(
            _file_bounds(self._dir / f"{a.file}.csv")[1]
            for a in BY_ID.values()
            if a.id in RISK_ASSETS and not a.weekends and (self._dir / f"{a.file}.csv").exists()
        )
        return ends[len(ends) // 2] if ends else self.span()[1]

    def loaded_all(self) -> bool:
        """True once every bundled series has been read (a day's snapshot is then quick)."""
        with self._lock:
            return all(a.id in self._cache for a in BY_ID.values() if a.file)

    def trading_days(self) -> tuple[date, ...]:
        """Every weekday on which at least one non-crypto market in the bundle printed.

        Returns:
            Ascending dates; `[` and `]` step along these.
        """
        if self._calendar is None:
            days: set[date] = set()
            for asset in BY_ID.values():
                if asset.weekends or not asset.file or asset.id == "fed_target":
                    continue
                days.update(self.series(asset.id).dates)
            # Before the first market close in the bundle only crypto printed: its weekdays count.
            first = min(days)
            days.update(d for d in self.series("btc").dates if d < first)
            self._calendar = tuple(sorted(d for d in days if d.weekday() < 5))
        return self._calendar

    def span(self) -> tuple[date, date]:
        """First and last day replay can show: the bundle's earliest and latest close.

        Reads only the first and last line of each file, so the command line can check a day
        before the app starts without loading the whole history.
        """
        if self._span is None:
            bounds = [
                _file_bounds(self._dir / f"{a.file}.csv")
                for a in BY_ID.values()
                if a.file and a.file != "fed_target" and (self._dir / f"{a.file}.csv").exists()
            ]
            self._span = min(b[0] for b in bounds), max(b[1] for b in bounds)
        return self._span

    def step(self, day: date, offset: int) -> date:
        """The trading day `offset` days away from `day`, clamped to the bundle.

        Args:
            day: Where we are.
            offset: +1 for the next trading day, -1 for the previous one.

        Returns:
            The new day (unchanged when already at an end).
        """
        days = self.trading_days()
        i = bisect_right(days, day) - 1
        on_a_trading_day = i >= 0 and days[i] == day
        # Off a trading day (a weekend), "back one" lands on the last day before it.
        j = i + offset + (1 if offset < 0 and not on_a_trading_day else 0)
        j = min(max(j, 0), len(days) - 1)
        return days[j]


class MergedHistory(History):
    """The bundled history extended with days from elsewhere (the live cache).

    A new one is made whenever the drill-down opens in live mode, so it sees the days fetched
    since; the bundled files themselves are read once, by `base`.

    Args:
        base: The bundled history.
        merge: Extends one bundled series (`Store.merged`).
    """

    def __init__(self, base: History, merge: Callable[[Series], Series]) -> None:
        super().__init__(base._dir)
        self._base = base
        self._merge = merge

    def _load(self, asset: Asset) -> Series:
        if asset.id == "sofr_iorb":
            return _spread_bp(self.series("sofr"), self.series("iorb"), asset.id)
        return self._merge(self._base.series(asset.id))

    def column(self, file: str, column: str) -> Series:
        return self._base.column(file, column)

    @property
    def slices(self) -> DaySlices:
        return self._base.slices

    def span(self) -> tuple[date, date]:
        first, last = self._base.span()
        days = self.trading_days()
        return first, max(last, days[-1]) if days else last


def short_of_a_year(series: Series, day: date) -> bool:
    """True when the closes before `day` do not make the year a drill-down sizes and ranks a
    move on: none on or before it, none reaching back a year (the 52-week high's
    `measures.HIGH_MIN_HISTORY_DAYS`), or a gap of more than `measures.QUIET_GAP_DAYS` before
    it (the last close before the day is old)."""
    i = series.index_at(day)
    if i < 0 or series.dates[0] > day - timedelta(days=measures.HIGH_MIN_HISTORY_DAYS):
        return True
    k = i if series.dates[i] < day else i - 1
    return k < 0 or series.dates[k] < day - timedelta(days=measures.QUIET_GAP_DAYS)


SPLIT_MIN_SHARED_DAYS = 5
"""Days both histories must share before a constant ratio between them is read as a split."""
SPLIT_MIN_GAP = 0.02
"""A ratio this far from 1 (2%) is not rounding or a late correction."""
SPLIT_MAX_SPREAD = 0.01
"""…and it is constant when every shared day's ratio is within 1% of the median."""


def basis_ratio(bundled: Series, other: Sequence[tuple[date, float]]) -> float | None:
    """The constant ratio other/bundled on their shared days, when there is one (a split or
    another adjustment applied to one history and not the other).

    Args:
        bundled: The bundled series.
        other: (day, value) from elsewhere (the cache's live history), ascending.

    Returns:
        The ratio (10.0 after a 10-for-1 split applied only to `other`), or None when the two
        agree or share too few days or disagree without a constant ratio.
    """
    by_day = dict(zip(bundled.dates, bundled.values, strict=True))
    ratios = sorted(v / by_day[d] for d, v in other if by_day.get(d))
    if len(ratios) < SPLIT_MIN_SHARED_DAYS:
        return None
    median = ratios[len(ratios) // 2]
    if abs(median - 1) <= SPLIT_MIN_GAP or median <= 0:
        return None
    if any(abs(r / median - 1) > SPLIT_MAX_SPREAD for r in ratios):
        return None
    return median


def merge_histories(bundled: Series, other: Sequence[tuple[date, float]]) -> Series:
    """The bundled series extended with days only `other` holds, on one basis.

    Bundled values win on days both hold (they are the checked record). When the two differ by
    a constant ratio on their shared days (a split applied to one of them), the bundled values
    are put on the other's basis first — the live quotes' basis — so no fake split day enters
    σ, the 1-year rank or the 52-week high.

    Args:
        bundled: The bundled series.
        other: (day, value) from elsewhere, ascending.

    Returns:
        The merged series, ascending, one value per day.
    """
    ratio = basis_ratio(bundled, other)
    values = bundled.values if ratio is None else tuple(v * ratio for v in bundled.values)
    merged = dict(other)
    merged.update(zip(bundled.dates, values, strict=True))
    if len(merged) == len(bundled.dates) and ratio is None:
        return bundled
    days = sorted(merged)
    return Series(bundled.id, tuple(days), tuple(merged[d] for d in days))
