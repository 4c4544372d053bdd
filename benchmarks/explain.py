#!/usr/bin/env python3
"""Explain-engine time on a year of daily data, against the 50 ms target (DESIGN §5).

Copies the last year of every bundled series the engine reads (24 series: the 13 risk assets,
NVDA, metals, oil, the dollar, VIX, yields and spreads) into a temporary folder, then times
`explain()` for several assets and days: cold (building the returns/volatility panel, as on the
first drill-down) and warm (the panel kept, as on every later one). Prints medians and the target.

usage: python benchmarks/explain.py [--runs 15] [--day 2025-11-20]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tui.explain.engine import explain
from tui.explain.move import Horizon
from tui.explain.panel import PANEL_ASSETS
from tui.history import DAILY_DIR, History

TARGET_MS = 50.0
ASSETS = ("btc", "nasdaq100", "hang_seng", "gold", "eth", "ust10y")


def year_of_data(folder: Path, day: date) -> None:
    """Copy one year up to `day` of every bundled file into `folder`."""
    first = (day - timedelta(days=366)).isoformat()
    for path in DAILY_DIR.glob("*.csv"):
        with path.open(newline="") as fh:
            rows = list(csv.reader(fh))
        kept = [rows[0]] + [r for r in rows[1:] if first <= r[0][:10] <= day.isoformat()]
        with (folder / path.name).open("w", newline="") as fh:
            csv.writer(fh).writerows(kept)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2025, 11, 20))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        year_of_data(folder, args.day)
        explain(History(folder), "btc", args.day)  # loads the bundled side tables once
        cold, warm = [], []
        for k in range(args.runs):
            history = History(folder)
            asset = ASSETS[k % len(ASSETS)]
            t0 = time.perf_counter()
            explain(history, asset, args.day, Horizon.D1)
            cold.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            explain(history, ASSETS[(k + 1) % len(ASSETS)], args.day, Horizon.D5)
            warm.append((time.perf_counter() - t0) * 1000)
    cold_med, warm_med = statistics.median(cold), statistics.median(warm)
    print(
        f"data: one year to {args.day}, {len(PANEL_ASSETS)} series; runs={args.runs}; "
        f"assets {', '.join(ASSETS)}"
    )
    print(f"explain, cold (reads CSVs, builds panel) median {cold_med:7.1f} ms")
    print(
        f"explain, warm (panel kept)               median {warm_med:7.1f} ms   "
        f"target < {TARGET_MS:.0f} ms  {'OK' if warm_med < TARGET_MS else 'OVER TARGET'}"
    )
    return 0 if warm_med < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
