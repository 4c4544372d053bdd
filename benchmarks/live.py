#!/usr/bin/env python3
"""Idle cost of live mode against a loopback server answering with the recorded API responses.

The live dashboard, started from a cached snapshot, in a tmux pane with Yahoo refreshing every
15 s, over a window after start-up: CPU % of one core, peak RSS, and bytes sent to the terminal
per minute (DESIGN §5: under 0.5% of a core and 120 MB). First paint from the cache, against
hello-world, is timed by benchmarks/first_paint.py.

Every source's URL points at `tests/loopback.py`, so nothing reaches the internet.

usage: python benchmarks/live.py [--seconds 60]
needs: tmux
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from first_paint import env_for, fill_cache, precompile, tmux, with_env  # noqa: E402

from tests.loopback import serving  # noqa: E402

IDLE_CPU_PCT = 0.5
IDLE_RSS_MB = 120.0


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return out


def cpu_rss(pids: list[int]) -> tuple[float, float]:
    tick = os.sysconf("SC_CLK_TCK")
    cpu = rss = 0.0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as fh:
                parts = fh.read().rsplit(")", 1)[1].split()
            cpu += (int(parts[11]) + int(parts[12])) / tick
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1]) / 1024
        except OSError:
            pass
    return cpu, rss


def idle(cmd: list[str], marker: str, seconds: float, size: str) -> tuple[float, float, float]:
    sock = "idle" + uuid.uuid4().hex[:8]
    w, h = size.split("x")
    with tempfile.NamedTemporaryFile(delete=False) as fh:
        log = fh.name
    line = "exec env TERM=xterm-256color COLORTERM=truecolor " + " ".join(
        shlex.quote(c) for c in cmd
    )
    tmux(sock, "new-session", "-d", "-x", w, "-y", h, line)
    try:
        t0 = time.perf_counter()
        while marker not in tmux(sock, "capture-pane", "-p", "-t", "0").stdout:
            if time.perf_counter() - t0 > 30:
                raise SystemExit("timeout: the live header never showed")
            time.sleep(0.05)
        time.sleep(3)  # start-up work (cache, first refreshes, sparklines) settles
        pid = int(tmux(sock, "display", "-p", "-t", "0", "#{pane_pid}").stdout.strip())
        tmux(sock, "pipe-pane", "-o", "-t", "0", f"cat >> {shlex.quote(log)}")
        c0, _ = cpu_rss(tree(pid))
        w0 = time.perf_counter()
        peak = 0.0
        while time.perf_counter() - w0 < seconds:
            time.sleep(0.5)
            peak = max(peak, cpu_rss(tree(pid))[1])
        c1, _ = cpu_rss(tree(pid))
        elapsed = time.perf_counter() - w0
        tmux(sock, "pipe-pane", "-t", "0")
        size_bytes = os.path.getsize(log)
    finally:
        tmux(sock, "kill-server")
        os.unlink(log)
    return 100 * (c1 - c0) / elapsed, peak, size_bytes / 1024 * 60 / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    precompile()
    with serving() as server, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text("[refresh]\nyahoo = 15\ncoingecko = 30\nkalshi = 60\n")
        env = env_for(server.url, str(Path(tmp) / "cache"), str(config))
        fill_cache(env)
        live_cmd = with_env(env, [sys.executable, "-m", "tui"])
        cpu, rss, out = idle(live_cmd, "LIVE", args.seconds, args.size)
        print(f"idle, live, yahoo every 15 s, {args.seconds:.0f} s window after start-up")
        cpu_ok, rss_ok = cpu < IDLE_CPU_PCT, rss < IDLE_RSS_MB
        print(
            f"  cpu    {cpu:6.2f} % of one core   target < {IDLE_CPU_PCT}  "
            f"{'OK' if cpu_ok else 'OVER TARGET'}"
        )
        print(
            f"  rss    {rss:6.0f} MB              target < {IDLE_RSS_MB:.0f}  "
            f"{'OK' if rss_ok else 'OVER TARGET'}"
        )
        print(f"  output {out:6.1f} KB/min to the terminal")
        print(f"  loopback requests served: {len(server.requests)}")
    return 0 if cpu_ok and rss_ok else 1


if __name__ == "__main__":
    sys.exit(main())
