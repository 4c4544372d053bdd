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
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tui.assets import Asset
from tui.gate import level_ok
from tui.history import DAILY_DIR, parse_number


@dataclass(frozen=True, slots=True)
class _File:
    header: tuple[str, ...]
    lines: tuple[bytes, ...]
    days: tuple[bytes, ...]
    """Each line's first ten bytes (its ISO date), for bisection."""


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
        raw = path.read_bytes().lstrip(b"\xef\xbb\xbf").splitlines()
        header = tuple(next(csv.reader([raw[0].decode("utf-8")]))) if raw else ()
        lines = tuple(line for line in raw[1:] if line.strip())
        found = _File(header, lines, tuple(line[:10] for line in lines))
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
        i = bisect_right(f.days, day.isoformat().encode()) - 1
        out: list[tuple[date, float]] = []
        seen: set[bytes] = set()
        while i >= 0 and len(out) < count:
            key = f.days[i]
            line = f.lines[i]
            i -= 1
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

    def last_day(self, asset: Asset) -> date | None:
        """The last day the asset's file holds a value (the data's end)."""
        f = self._file(asset.file) if asset.file else None
        if f is None:
            return None
        got = self.closes(asset, date.fromisoformat(f.days[-1].decode()), 1) if f.days else []
        return got[-1][0] if got else None

    def first_day(self, asset: Asset) -> date | None:
        """The first day the asset's file holds a row."""
        f = self._file(asset.file) if asset.file else None
        return date.fromisoformat(f.days[0].decode()) if f is not None and f.days else None
