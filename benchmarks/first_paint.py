#!/usr/bin/env python3
"""First paint of `riskpulse --replay 2025-11-20` against a hello-world Textual app, in tmux.

Runs the two alternately in one invocation (so both see the same machine load), each in a private
tmux server at 120x40, and times launch → marker on screen. Prints both medians, the ratio and
the target (DESIGN §5: within 1.6x), plus riskpulse's time until the day's numbers are shown.

usage: python benchmarks/first_paint.py [--runs 9] [--size 120x40]
needs: tmux
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

TARGET_RATIO = 1.6
HELLO = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world")

Hello().run()
"""


def tmux(sock: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True)


def time_to(cmd: list[str], markers: list[str], size: str, timeout: float) -> list[float | None]:
    """Seconds from launch until each marker is on screen (None when it never showed)."""
    sock = "fp" + uuid.uuid4().hex[:8]
    w, h = size.split("x")
    line = "env TERM=xterm-256color COLORTERM=truecolor " + " ".join(shlex.quote(c) for c in cmd)
    found: list[float | None] = [None] * len(markers)
    t0 = time.perf_counter()
    tmux(sock, "new-session", "-d", "-x", w, "-y", h, line)
    try:
        while time.perf_counter() - t0 < timeout and None in found:
            screen = tmux(sock, "capture-pane", "-p", "-t", "0").stdout
            now = time.perf_counter() - t0
            for i, marker in enumerate(markers):
                if found[i] is None and marker in screen:
                    found[i] = now
            time.sleep(0.005)
    finally:
        tmux(sock, "kill-server")
    return found


def alternate(
    hello_cmd: list[str], cmd: list[str], markers: list[str], runs: int, size: str, timeout: float
) -> tuple[list[float], list[list[float]]] | None:
    """Warm both once (as a user's second launch would be), then time hello-world and `cmd`
    alternately, so both see the same machine load.

    Returns:
        Hello-world's times and, per marker, riskpulse's; None when a marker never showed.
    """
    time_to(hello_cmd, ["Hello, world"], size, timeout)
    time_to(cmd, markers[:1], size, timeout)
    base: list[float] = []
    found: list[list[float]] = [[] for _ in markers]
    for _ in range(runs):
        (h,) = time_to(hello_cmd, ["Hello, world"], size, timeout)
        times = time_to(cmd, markers, size, timeout)
        if h is None or None in times:
            print("timeout: a marker never appeared", file=sys.stderr)
            return None
        base.append(h)
        for column, t in zip(found, times, strict=True):
            assert t is not None
            column.append(t)
    return base, found


def precompile() -> None:
    """Byte-compile riskpulse as `pip install .` does: an editable install run with
    PYTHONDONTWRITEBYTECODE would otherwise recompile every module at each launch."""
    import compileall

    root = Path(__file__).resolve().parents[1]
    for package in ("tui", "widgets", "themes"):
        compileall.compile_dir(root / package, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()
    precompile()
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        riskpulse = [sys.executable, "-m", "tui", "--replay", "2025-11-20"]
        hello_cmd = [sys.executable, str(hello)]
        timed = alternate(
            hello_cmd,
            riskpulse,
            ["REPLAY 2025-11-20", "Nasdaq 100"],
            args.runs,
            args.size,
            args.timeout,
        )
        if timed is None:
            return 1
        base, (paint, data) = timed
    hello_med, paint_med, data_med = (statistics.median(x) for x in (base, paint, data))
    ratio = paint_med / hello_med
    print(f"runs={args.runs} size={args.size} (alternating, medians)")
    print(f"hello-world textual first paint   {hello_med * 1000:7.0f} ms")
    print(f"riskpulse first paint             {paint_med * 1000:7.0f} ms")
    print(f"riskpulse day's numbers on screen {data_med * 1000:7.0f} ms")
    verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"ratio first paint / hello-world   {ratio:7.2f}   target <= {TARGET_RATIO}  {verdict}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
