"""One day of the bundled history without reading the history: a line index over each CSV.

The bundled CSVs are sorted by date, one row a line. Reading a file's bytes and splitting them
into lines is cheap; parsing every row with `csv` is not (about a third of a second for all the
files, holding the interpreter lock). So the first numbers of a replayed day come from here: the
lines around the day are found by bisection on their leading date and only those few are parsed.
The values are the files' own text, read through the same number parser and gate as the full
history (`tui.history.read_series`), so both give the same close for the same day.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tui.assets import Asset
from tui.gate import level_ok
from tui.history import DAILY_DIR, parse_number


@dataclass(frozen=True, slots=True)
class _File:
    """One CSV's bytes, searched in place: no line list is built (splitting 50,000 lines costs
    more than the few lookups a day needs)."""

    header: tuple[str, ...]
    data: bytes
    first: int
    """Offset of the first data line (the data's length when there is none)."""

    def line_at(self, start: int) -> bytes:
        """The line starting at `start`, without its line end."""
        end = self.data.find(b"\n", start)
        return self.data[start : len(self.data) if end < 0 else end].rstrip(b"\r")

    def previous(self, start: int) -> int:
        """Start of the line before the one at `start`; -1 before the first."""
        if start <= self.first:
            return -1
        return max(self.data.rfind(b"\n", 0, start - 1) + 1, self.first)

    def last_upto(self, day: bytes) -> int:
        """Start of the last line whose leading ISO date is `day` or earlier; -1 if none.

        Bisection over byte offsets: the lines are sorted by their leading date.
        """
        data, lo, hi, best = self.data, self.first, len(self.data), -1
        while lo < hi:
            mid = (lo + hi) // 2
            start = max(data.rfind(b"\n", 0, mid) + 1, self.first)
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            if start == end:  # the file's end
                hi = start
            elif data[start : start + 10] <= day:
                best, lo = start, end + 1
            else:
                hi = start
        return best


class DaySlices:
    """Lookups of a few closes around a day in the bundled daily CSVs.

    Args:
        directory: Where the bundled daily CSVs live.
    """

    def __init__(self, directory: Path = DAILY_DIR) -> None:
        self._dir = directory
        self._files: dict[str, _File] = {}
        self._lock = threading.Lock()

    def _file(self, stem: str) -> _File | None:
        with self._lock:
            found = self._files.get(stem)
        if found is not None:
            return found
        path = self._dir / f"{stem}.csv"
        if not path.exists():
            return None
        data = path.read_bytes().lstrip(b"\xef\xbb\xbf")
        if b"\n\n" in data or b"\n\r\n" in data:
            # An empty line has no date to bisect by (the bundled files have none; every value
            # is checked against its CSV text in tests/test_dayslice.py).
            data = b"\n".join(line for line in data.splitlines() if line.strip())
        end = data.find(b"\n")
        head = data[: len(data) if end < 0 else end].rstrip(b"\r")
        header = tuple(next(csv.reader([head.decode("utf-8")]))) if head else ()
        found = _File(header, data, len(data) if end < 0 else end + 1)
        with self._lock:
            self._files[stem] = found
        return found

    def closes(self, asset: Asset, day: date, count: int = 2) -> list[tuple[date, float]]:
        """The last `count` closes of `asset` on or before `day`, oldest first.

        Rows whose value is missing or refused by the gate are skipped, exactly as the full
        history skips them; a day listed twice counts once (its last row).

        Args:
            asset: A catalogue asset with a bundled file.
            day: The day shown.
            count: How many closes.

        Returns:
            Up to `count` (day, close) pairs; fewer at the start of the data.
        """
        f = self._file(asset.file) if asset.file else None
        if f is None or asset.column not in f.header:
            return []
        column = f.header.index(asset.column)
        at = f.last_upto(day.isoformat().encode())
        out: list[tuple[date, float]] = []
        seen: set[bytes] = set()
        while at >= 0 and len(out) < count:
            line = f.line_at(at)
            key = line[:10]
            at = f.previous(at)
            if key in seen:
                continue  # an earlier row of a day already taken from its last row
            row = next(csv.reader([line.decode("utf-8")]))
            value = parse_number(row[column]) if column < len(row) else None
            if value is None or not level_ok(asset, value):
                continue
            seen.add(key)
            out.append((date.fromisoformat(key.decode()), value))
        out.reverse()
        return out

    def rows(
        self, stem: str, columns: Sequence[str], first: date, last: date
    ) -> dict[date, tuple[float | None, ...]]:
        """The values of `columns` on each day from `first` to `last` (both included) of one
        file, parsed from those rows alone.

        Args:
            stem: The CSV's stem (`nasdaq100`).
            columns: Value columns, in the order wanted (`open`, `high`, `low`).
            first: The earliest day wanted.
            last: The latest day wanted.

        Returns:
            {day: values}, a missing value (or a column the file lacks) None; a day listed
            twice is its last row. Empty when the bundle has no such file.
        """
        f = self._file(stem)
        if f is None:
            return {}
        where = [f.header.index(c) if c in f.header else -1 for c in columns]
        out: dict[date, tuple[float | None, ...]] = {}
        at = f.last_upto(last.isoformat().encode())
        stop = first.isoformat().encode()
        while at >= 0:
            line = f.line_at(at)
            at = f.previous(at)
            key = line[:10]
            if key < stop:
                break
            day = date.fromisoformat(key.decode())
            if day in out:
                continue  # an earlier row of a day already taken from its last row
            row = next(csv.reader([line.decode("utf-8")]))
            out[day] = tuple(parse_number(row[k]) if 0 <= k < len(row) else None for k in where)
        return out

    def last_day(self, asset: Asset) -> date | None:
        """The last day the asset's file holds a value (the data's end)."""
        f = self._file(asset.file) if asset.file else None
        if f is None:
            return None
        last = f.last_upto(b"9999-12-31")
        if last < 0:
            return None
        got = self.closes(asset, date.fromisoformat(f.line_at(last)[:10].decode()), 1)
        return got[-1][0] if got else None

    def first_day(self, asset: Asset) -> date | None:
        """The first day the asset's file holds a row."""
        f = self._file(asset.file) if asset.file else None
        line = f.line_at(f.first) if f is not None else b""
        return date.fromisoformat(line[:10].decode()) if line.strip() else None
