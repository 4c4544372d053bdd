#!/usr/bin/env python3
"""`riskpulse status` from a warm cache against a bare `python -c pass`, alternating in one run.

Both run as fresh processes of the same interpreter, one after the other, so both see the same
machine load (DESIGN §5: within 4x). Two warm caches are timed: the live cache (a snapshot
saved just now, so no refresh is due) and a replayed day's cached line (`--replay`). The
baseline is this interpreter's own `-c pass`: a `python3` found on PATH may be a shim script.

usage: python benchmarks/status.py [--runs 21]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGET_RATIO = 4.0
ROOT = Path(__file__).resolve().parents[1]


def wall(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from launch to exit."""
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def warm_cache(base: Path) -> None:
    """A live cache holding a real snapshot saved now (the bundled 2025-11-20)."""
    sys.path.insert(0, str(ROOT))
    from tui.snapshot_output import snapshot_json
    from tui.sources.replay import ReplaySource
    from tui.store import Store, cache_path

    store = Store(cache_path({"XDG_CACHE_HOME": str(base)}))
    store.save_snapshot(snapshot_json(ReplaySource().snapshot(date(2025, 11, 20))))
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    import compileall

    for package in ("tui", "widgets", "themes"):
        compileall.compile_dir(ROOT / package, quiet=1)
    script = Path(sys.executable).with_name("riskpulse")
    status = [str(script)] if script.exists() else [sys.executable, "-m", "tui"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "XDG_CACHE_HOME": f"{tmp}/cache",
            "XDG_CONFIG_HOME": f"{tmp}/config",
        }
        warm_cache(Path(tmp) / "cache")
        baseline = [sys.executable, "-c", "pass"]
        live = [*status, "status", "--tmux"]
        replay = [*status, "status", "--replay", "2025-11-20", "--tmux"]
        for cmd in (baseline, live, replay):
            wall(cmd, env)  # warm: the replayed day's line is cached by its first call
        times: dict[str, list[float]] = {"pass": [], "live": [], "replay": []}
        for _ in range(args.runs):
            times["pass"].append(wall(baseline, env))
            times["live"].append(wall(live, env))
            times["pass"].append(wall(baseline, env))
            times["replay"].append(wall(replay, env))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"runs={args.runs} (alternating, medians, wall time per process)")
    print(f"python -c pass                          {med['pass'] * 1000:7.1f} ms")
    code = 0
    for name, label in (
        ("live", "status --tmux (warm live cache)"),
        ("replay", "status --replay D --tmux (warm)"),
    ):
        ratio = med[name] / med["pass"]
        verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
        code |= ratio > TARGET_RATIO
        ms = med[name] * 1000
        print(f"{label:<40}{ms:7.1f} ms   ratio {ratio:5.2f}   target <= {TARGET_RATIO:g}", verdict)
    return code


if __name__ == "__main__":
    sys.exit(main())
