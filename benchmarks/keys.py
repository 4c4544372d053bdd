#!/usr/bin/env python3
"""Key to settled screen in `riskpulse --replay 2025-11-20`, in tmux.

For `]`, `[`, Tab and Enter (each 20 times by default), sends the key and polls the screen,
colours included, until it has changed and then stayed the same for a quiet spell: the time from
the key to the last change is the key's settle time. Between two Enters the cursor moves a row
(down through the first half of the runs, up through the second, untimed), so each Enter opens
the drill-down of another asset than the one before it. Prints the median and the worst next to the
targets (median < 100 ms, worst < 250 ms), and the machine's load average over the run.

usage: python benchmarks/keys.py [--runs 20] [--size 120x40] [--quiet-ms 60]
needs: tmux
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

TARGET_MEDIAN_MS = 100.0
TARGET_WORST_MS = 250.0
KEYS: tuple[tuple[str, str, str | None], ...] = (
    ("]", "]", "["),
    ("[", "[", "]"),
    ("Tab", "Tab", None),
    ("Enter", "Enter", "Escape"),
)
"""(label, key sent, key that undoes it between runs)."""


def tmux(sock: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True).stdout


def screen(sock: str) -> str:
    return tmux(sock, "capture-pane", "-p", "-e", "-t", "0")


def settle(sock: str, key: str, quiet: float, timeout: float = 5.0) -> float | None:
    """Seconds from sending `key` to the screen's last change before a quiet spell."""
    before = screen(sock)
    t0 = time.perf_counter()
    tmux(sock, "send-keys", "-t", "0", key)
    last_change: float | None = None
    shown = before
    while time.perf_counter() - t0 < timeout:
        now_screen = screen(sock)
        now = time.perf_counter() - t0
        if now_screen != shown:
            shown, last_change = now_screen, now
        elif last_change is not None and now - last_change >= quiet:
            return last_change
        time.sleep(0.002)
    return last_change


def back_on_dashboard(sock: str, undo: str, timeout: float = 5.0) -> None:
    """Wait until the dashboard shows again (a pane title only it has), sending `undo` once more
    if it did not take: a bare Escape followed too soon by the next key reads as Alt+key."""
    t0 = time.perf_counter()
    resent = False
    while time.perf_counter() - t0 < timeout:
        if "Fear & greed" in screen(sock):
            return
        if not resent and time.perf_counter() - t0 > 1.0:
            tmux(sock, "send-keys", "-t", "0", undo)
            resent = True
        time.sleep(0.01)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--quiet-ms", type=float, default=60.0)
    args = parser.parse_args()
    sock = "keys" + uuid.uuid4().hex[:8]
    w, h = args.size.split("x")
    # A home of its own: no recap from the user's last session, no user config or themes.
    home = tempfile.mkdtemp(prefix="riskpulse-keys-")
    isolated = " ".join(
        f"{name}={home}/{name.lower()}"
        for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME")
    )
    cmd = (
        f"env TERM=xterm-256color COLORTERM=truecolor {isolated} "
        f"{sys.executable} -m tui --replay 2025-11-20"
    )
    tmux(sock, "new-session", "-d", "-x", w, "-y", h, cmd)
    load_before = os.getloadavg()
    try:
        t0 = time.perf_counter()
        while "-2.38%" not in screen(sock):
            if time.perf_counter() - t0 > 30:
                print("timeout: the day's numbers never appeared", file=sys.stderr)
                return 1
            time.sleep(0.05)
        time.sleep(1.5)  # let the history-backed panes fill in before timing keys
        results: dict[str, list[float]] = {}
        quiet = args.quiet_ms / 1000
        for label, key, undo in KEYS:
            times: list[float] = []
            for _ in range(args.runs):
                took = settle(sock, key, quiet)
                if took is None:
                    print(f"{label}: the screen never changed; it shows:", file=sys.stderr)
                    print(screen(sock), file=sys.stderr)
                    return 1
                times.append(took * 1000)
                if undo is not None:
                    settle(sock, undo, quiet)
                    back_on_dashboard(sock, undo)
                if label == "Enter":
                    settle(sock, "Down" if len(times) <= args.runs // 2 else "Up", quiet)
            results[label] = times
    finally:
        tmux(sock, "kill-server")
    load_after = os.getloadavg()
    print(f"runs={args.runs} size={args.size} quiet spell {args.quiet_ms:.0f} ms")
    ok = True
    for label, times in results.items():
        med, worst = statistics.median(times), max(times)
        good = med < TARGET_MEDIAN_MS and worst < TARGET_WORST_MS
        ok = ok and good
        print(
            f"{label:<6} median {med:6.1f} ms (target < {TARGET_MEDIAN_MS:.0f})  "
            f"worst {worst:6.1f} ms (target < {TARGET_WORST_MS:.0f})  {'OK' if good else 'OVER'}"
        )
        print(f"       each, in order: {' '.join(f'{t:.0f}' for t in times)}")
    print(f"load average 1 min: {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
