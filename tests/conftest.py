"""Shared test helpers: the bundled CSVs read independently of the code under test."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

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


async def whole_day_shown(app: Any, timeout: float = 20.0) -> None:
    """Wait until the dashboard shows a whole snapshot for its day: a replayed day's numbers come
    first (partial), the full history's snapshot once they are painted.

    Raises:
        AssertionError: Nothing whole within `timeout` seconds.
    """
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await app.workers.wait_for_complete()
        dash = app.dashboard()
        snap = dash.snapshot if dash is not None else None
        if snap is not None and not snap.partial and (dash.day is None or snap.day == dash.day):
            await app.workers.wait_for_complete()
            return
        nothing_coming = dash is not None and dash.day is None and app.live_factory is None
        if nothing_coming and dash.query("#table-indices"):
            return  # no live data and no day replayed, and the (empty) panes are up
        await asyncio.sleep(0.02)
    dash = app.dashboard()
    raise AssertionError(
        "the dashboard never showed a whole snapshot: "
        f"{dash and dash.snapshot and dash.snapshot.partial} {dash and dash.day} "
        f"{dash and dash.snapshot and dash.snapshot.day} {[w.name for w in app.workers]}"
    )
