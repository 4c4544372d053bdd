#!/usr/bin/env python3
"""Soak: the live dashboard against the loopback server with faults flipping, for N minutes.

Runs `riskpulse` (live) in a private tmux server at 120x40, every source pointed at
`tests/loopback.py` and refreshing as often as the config allows (5 s; the fear & greed and FRED
sources every 5 s too), while this process flips each source through the hostile faults (a
1-byte-per-second trickle, hangs, 5xx, 429 with Retry-After, HTML and proof-of-work pages, cut
and empty bodies, non-finite numbers, 50 MB, redirect loops, bad gzip, escape-sequence injection)
and back to healthy, each source on its own phase. Once a minute it samples the dashboard
process: resident memory, open file descriptors, threads and CPU (% of one core over the
minute), and prints them next to the targets: RSS growth under 5 MB over 30 minutes (measured
from the end of the first minute, when start-up work is done), FDs and threads flat (within 2
of the first minute's). Exit 1 when a target is missed or the dashboard died.

usage: python benchmarks/soak.py [--minutes 10] [--flip 20]
needs: tmux
"""

from __future__ import annotations

import argparse
import itertools
import os
import shlex
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from first_paint import tmux  # noqa: E402
from live import cpu_rss, with_env  # noqa: E402

from tests.loopback import serving  # noqa: E402
from tui.sources import SOURCE_IDS  # noqa: E402

RSS_GROWTH_MB_PER_30_MIN = 5.0
FLAT = 2
"""FDs and threads may differ from the first minute's by at most this."""
CYCLE = (
    None,
    "500",
    "trickle",
    "html",
    "429-retry-after",
    None,
    "cut",
    "hang",
    "non-finite",
    "redirect-loop",
    None,
    "bad-gzip",
    "50mb",
    "inject",
    "empty",
    "proof-of-work",
    "wrong-types",
    "503",
)
"""What each source goes through, in order; None is healthy."""


def sample(pid: int) -> tuple[float, float, int, int]:
    """(CPU seconds, RSS MB, open FDs, threads) of one process."""
    cpu, rss = cpu_rss([pid])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    with open(f"/proc/{pid}/status") as fh:
        threads = next(int(line.split()[1]) for line in fh if line.startswith("Threads:"))
    return cpu, rss, fds, threads


SERVED = [0]
"""Requests the loopback server answered (counted at each flip)."""


def flipper(server: object, flip: float, stop: threading.Event) -> None:
    """Move every source one step along CYCLE each `flip` seconds, each on its own phase."""
    faults: dict[str, str] = server.faults  # type: ignore[attr-defined]
    for step in itertools.count():
        for i, source in enumerate((*SOURCE_IDS, "cboe")):
            fault = CYCLE[(step + 3 * i) % len(CYCLE)]
            if fault is None:
                faults.pop(source, None)
            else:
                faults[source] = fault
        SERVED[0] += len(server.requests)  # type: ignore[attr-defined]
        server.requests.clear()  # type: ignore[attr-defined]
        if stop.wait(flip):
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--flip", type=float, default=20, help="seconds between fault flips")
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    refresh = "\n".join(f"{s} = 5" for s in SOURCE_IDS if s != "stooq")
    with serving() as server, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text(f"timeout = 5\n[refresh]\n{refresh}\nstooq = 5\n")
        env = {f"RISKPULSE_{s.upper()}_URL": server.url for s in (*SOURCE_IDS, "cboe")}
        env |= {"XDG_CACHE_HOME": str(Path(tmp) / "cache"), "RISKPULSE_CONFIG": str(config)}
        cmd = with_env(env, [sys.executable, "-m", "tui"])
        sock = "soak" + uuid.uuid4().hex[:8]
        w, h = args.size.split("x")
        line = "exec env TERM=xterm-256color " + " ".join(shlex.quote(c) for c in cmd)
        tmux(sock, "new-session", "-d", "-x", w, "-y", h, line)
        stop = threading.Event()
        flips = threading.Thread(target=flipper, args=(server, args.flip, stop), daemon=True)
        try:
            pid = int(tmux(sock, "display", "-p", "-t", "0", "#{pane_pid}").stdout.strip())
            time.sleep(2)
            flips.start()
            return report(pid, args.minutes, args.flip, lambda: tmux_alive(sock))
        finally:
            stop.set()
            tmux(sock, "kill-server")


def tmux_alive(sock: str) -> bool:
    return tmux(sock, "has-session").returncode == 0


def report(pid: int, minutes: int, flip: float, alive: object) -> int:
    """Sample once a minute and print the table; the exit code."""
    print(
        f"soak: live dashboard, every source refreshing every 5 s, faults flipping every "
        f"{flip:.0f} s, {minutes} min"
    )
    print(f"{'min':>4} {'rss MB':>8} {'fds':>5} {'threads':>8} {'cpu %':>7} {'requests':>9}")
    rows = []
    cpu0, *_ = sample(pid)
    t0 = time.perf_counter()
    for minute in range(1, minutes + 1):
        time.sleep(max(0.0, t0 + 60 * minute - time.perf_counter()))
        if not os.path.exists(f"/proc/{pid}") or not alive():  # type: ignore[operator]
            print(f"{minute:>4}  the dashboard is gone")
            return 1
        cpu, rss, fds, threads = sample(pid)
        pct = 100 * (cpu - cpu0) / 60
        cpu0 = cpu
        rows.append((rss, fds, threads))
        print(f"{minute:>4} {rss:8.1f} {fds:5d} {threads:8d} {pct:7.2f} {SERVED[0]:9d}", flush=True)
    first, last = rows[0], rows[-1]
    growth = last[0] - first[0]
    # Pro rata of 5 MB per 30 min, with a 0.5 MB floor: allocator noise on a short run.
    allowed = max(0.5, RSS_GROWTH_MB_PER_30_MIN * (minutes - 1) / 30)
    fd_span = max(r[1] for r in rows) - min(r[1] for r in rows)
    thread_span = max(r[2] for r in rows) - min(r[2] for r in rows)
    checks = [
        (
            f"rss growth after minute 1: {growth:+.1f} MB "
            f"(target < {RSS_GROWTH_MB_PER_30_MIN:.0f} MB per 30 min: < {allowed:.2f} MB "
            "for this run)",
            growth < allowed,
        ),
        (
            f"open fds: {first[1]} → {last[1]}, spread {fd_span} (target flat, ≤ {FLAT})",
            fd_span <= FLAT,
        ),
        (
            f"threads: {first[2]} → {last[2]}, spread {thread_span} (target flat, ≤ {FLAT})",
            thread_span <= FLAT,
        ),
    ]
    for text, ok in checks:
        print(f"  {text}  {'OK' if ok else 'OVER TARGET'}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
