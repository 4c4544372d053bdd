"""Shared test helpers: the bundled CSVs read independently of the code under test."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from tui.history import History

BUNDLE = Path(__file__).resolve().parents[1] / "tui" / "data" / "daily"


def csv_rows(name: str) -> list[dict[str, str]]:
    """Rows of a bundled CSV, as the file has them."""
    with (BUNDLE / f"{name}.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def close_and_previous(name: str, day: date, column: str = "close") -> tuple[str, float, float]:
    """The row dated on or before `day` with a value, and the previous row's value."""
    rows = [r for r in csv_rows(name) if r[column].strip()]
    dated = [r for r in rows if r["date"][:10] <= day.isoformat()]
    last, prev = dated[-1], dated[-2]
    return last["date"][:10], float(last[column]), float(prev[column])


@pytest.fixture(scope="session")
def history() -> History:
    """One History for the whole run: the bundled CSVs are read once."""
    return History()
