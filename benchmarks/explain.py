#!/usr/bin/env python3
"""Explain-engine and drill-down time on a year of daily data, against their targets (DESIGN §5).

Copies the last year of every bundled daily file (each catalogued series plus the side tables)
into a temporary folder, then times, for several assets and days:

- `explain()` alone, with its inputs already built: cold (building the returns/volatility panel,
  as on the first drill-down) and warm (the panel kept, as on every later one); target < 50 ms;
- the full drill-down computation (`tui.screens.drill_data.compute`: the replay inputs, every
  channel, analogs with what followed, the three horizons' moves and the chart window), warm;
  target < 150 ms; and the same on the whole bundle, for reference.

Prints medians and the targets; exits 1 when a target is missed.

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

from tui.explain.engine import explain, window_for
from tui.explain.move import Horizon
from tui.explain.panel import PANEL_ASSETS
from tui.explain_inputs import replay_inputs
from tui.history import DAILY_DIR, History
from tui.screens.drill_data import compute
from tui.sources.replay import ReplaySource

TARGET_MS = 50.0
DRILL_TARGET_MS = 150.0
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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2025, 11, 20))
    args = parser.parse_args()
    day: date = args.day
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        year_of_data(folder, day)
        warmup = History(folder)
        compute(ReplaySource(warmup), "btc", day, Horizon.D1)  # side tables, plotext, caches
        cold, warm, drill = [], [], []
        for k in range(args.runs):
            history = History(folder)
            source = ReplaySource(history)
            asset, other = ASSETS[k % len(ASSETS)], ASSETS[(k + 1) % len(ASSETS)]
            inputs = replay_inputs(window_for(history, asset, day, Horizon.D1))
            t0 = time.perf_counter()
            explain(history, asset, day, Horizon.D1, inputs=inputs)
            cold.append((time.perf_counter() - t0) * 1000)
            inputs = replay_inputs(window_for(history, other, day, Horizon.D5))
            t0 = time.perf_counter()
            explain(history, other, day, Horizon.D5, inputs=inputs)
            warm.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            compute(source, ASSETS[(k + 2) % len(ASSETS)], day, Horizon.D1)
            drill.append((time.perf_counter() - t0) * 1000)
    full = History()  # the whole bundle, as the app reads it
    compute(ReplaySource(full), "btc", day, Horizon.D1)
    whole = []
    for k in range(args.runs):
        t0 = time.perf_counter()
        compute(ReplaySource(full), ASSETS[k % len(ASSETS)], day, Horizon.D1)
        whole.append((time.perf_counter() - t0) * 1000)
    cold_med, warm_med, drill_med = (statistics.median(x) for x in (cold, warm, drill))
    series = sum(1 for a in PANEL_ASSETS if (DAILY_DIR / f"{a}.csv").exists())
    print(
        f"data: one year to {day}, {series} series (+ SOFR − IORB and the side tables); "
        f"runs={args.runs}; assets {', '.join(ASSETS)}"
    )
    print(f"explain, cold (reads CSVs, builds panel)  median {cold_med:7.1f} ms")
    ok = warm_med < TARGET_MS
    print(
        f"explain, warm (panel kept)                median {warm_med:7.1f} ms   "
        f"target < {TARGET_MS:.0f} ms  {'OK' if ok else 'OVER TARGET'}"
    )
    drill_ok = drill_med < DRILL_TARGET_MS
    print(
        f"full drill-down, warm (inputs, channels,  median {drill_med:7.1f} ms   "
        f"target < {DRILL_TARGET_MS:.0f} ms  {'OK' if drill_ok else 'OVER TARGET'}\n"
        f"  analogs with what followed, 3 horizons, chart)"
    )
    print(
        f"full drill-down, warm, whole bundle     median {statistics.median(whole):7.1f} ms   "
        f"(every bundled year, for reference)"
    )
    return 0 if ok and drill_ok else 1


if __name__ == "__main__":
    sys.exit(main())
