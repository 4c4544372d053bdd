#!/usr/bin/env python3
"""First frame and numbers on screen of riskpulse (replay, and live from a warm cache) against a
hello-world Textual app, in tmux.

One invocation runs rounds of hello-world → `riskpulse --replay 2025-11-20` → `riskpulse` live
from a warm cache, so all three see the same machine load; an untimed warm-up round comes first
(a user's second launch, files in the OS cache). Each launch gets a private tmux server
(`tmux -L`) at --size; its screen is polled (`capture-pane`, 5 ms between polls) and every marker,
a regex, is matched against each captured line and timed from launch:

  first frame        the header's mode text: `REPLAY 2025-11-20`; live shows `CONNECTING` on its
                     first frame (then `CACHED hh:mm`, then `LIVE`: any of them counts)
  numbers on screen  a quote row with its numbers: replay's Nasdaq 100 row with last, change and
                     change %; live's Gold row with the cached 2,910.30 and its change and change %
                     (GC=F is the one quote row tests/fixtures give live Yahoo). A row drawn
                     before its quote (`Nasdaq 100   —   —`) does not match.

Live from a warm cache: every source's URL points at the loopback server of recorded responses
(tests/loopback.py), and `riskpulse snapshot` fills the cache first, as a user's previous session
would. During the launches the loopback still answers, so the live refresh runs, but it holds
every answer for --loopback-delay seconds (2 by default; the loopback itself has no delay, so
`answering_late` below adds one): the Gold row's numbers, the same in the cache and in the
recorded answer, are timed only while no answer can have left the server, so they are the
cache's. A round where they show once an answer could have (its request's arrival + the delay)
fails the run: raise the delay.

Prints the medians next to the targets (first frame within 1.6x hello-world, numbers on screen
within 2.0x), each launch's times per round, and the load average before and after the run.
Exits 1 when a target is missed.

usage: python benchmarks/first_paint.py [--runs 9] [--size 120x40] [--loopback-delay 2]
needs: tmux
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.loopback import Handler, Server, serving  # noqa: E402
from tui.sources import SOURCE_IDS  # noqa: E402

FRAME_RATIO = 1.6
NUMBERS_RATIO = 2.0
POLL = 0.005
HELLO = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world")

Hello().run()
"""
HELLO_MARKER = re.compile(r"Hello, world")
REPLAY_FRAME = re.compile(r"^\s*REPLAY 2025-11-20\s+riskpulse\b")
REPLAY_NUMBERS = re.compile(
    r"Nasdaq 100\s+\d[\d,]*(?:\.\d+)?\s+[-+]\d[\d,]*(?:\.\d+)?\s+[-+]\d+\.\d+%"
)
"""`▼Nasdaq 100   24,054    -586  -2.38%`: last, change and change % on the row."""
LIVE_FRAME = re.compile(r"^\s*(?:CONNECTING|CACHED \d\d:\d\d|LIVE)\b.*\briskpulse\b")
LIVE_NUMBERS = re.compile(r"Gold\s+2,910\.30\s+[-+]\d[\d,]*\.\d+\s+[-+]\d+\.\d+%")
"""`▲Gold       2,910.30   +9.60  +0.33%`: the price of tests/fixtures/quote_v7_GC=F.json."""


class HeldAnswers:
    """When requests reached the loopback server, whose answers it holds `delay` seconds."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.arrivals: list[float] = []

    def first_answer(self, since: float) -> float:
        """The earliest an answer to a request made at or after `since` could leave."""
        return min((t for t in self.arrivals if t >= since), default=math.inf) + self.delay


@dataclass(frozen=True)
class Launch:
    name: str
    cmd: list[str]
    frame: re.Pattern[str]
    numbers: re.Pattern[str]
    held: HeldAnswers | None = None
    """The loopback's held answers, when the numbers must be on screen before the first."""


@dataclass
class Times:
    frame: list[float] = field(default_factory=list)
    numbers: list[float] = field(default_factory=list)
    fetched: int = 0
    """Rounds whose numbers showed after a loopback answer could have reached the screen."""


class NeverShown(Exception):
    def __init__(self, marker: str, screen: str) -> None:
        super().__init__(marker)
        self.marker, self.screen = marker, screen


def tmux(sock: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True)


def time_to(
    cmd: list[str], markers: list[re.Pattern[str]], size: str, timeout: float
) -> tuple[float, list[float]]:
    """The launch's `time.perf_counter()` and the seconds from it until each marker matches a
    line on screen.

    Raises:
        NeverShown: A marker did not match within `timeout`.
    """
    sock = "fp" + uuid.uuid4().hex[:8]
    w, h = size.split("x")
    line = "env TERM=xterm-256color COLORTERM=truecolor " + " ".join(shlex.quote(c) for c in cmd)
    found: list[float | None] = [None] * len(markers)
    screen = ""
    t0 = time.perf_counter()
    tmux(sock, "new-session", "-d", "-x", w, "-y", h, line)
    try:
        while None in found:
            screen = tmux(sock, "capture-pane", "-p", "-t", "0").stdout
            now = time.perf_counter() - t0
            lines = screen.splitlines()
            for i, marker in enumerate(markers):
                if found[i] is None and any(marker.search(row) for row in lines):
                    found[i] = now
            if now > timeout:
                break
            time.sleep(POLL)
    finally:
        tmux(sock, "kill-server")
    times = [t for t in found if t is not None]
    if len(times) < len(markers):
        missing = next(m for m, t in zip(markers, found, strict=True) if t is None)
        raise NeverShown(missing.pattern, screen)
    return t0, times


def alternate(launches: list[Launch], runs: int, size: str, timeout: float) -> dict[str, Times]:
    """Warm each launch once, then time them in turn `runs` times over."""
    for launch in launches:
        time_to(launch.cmd, [launch.frame, launch.numbers], size, timeout)
    times = {launch.name: Times() for launch in launches}
    for _ in range(runs):
        for launch in launches:
            t0, (frame, numbers) = time_to(
                launch.cmd, [launch.frame, launch.numbers], size, timeout
            )
            column = times[launch.name]
            column.frame.append(frame)
            column.numbers.append(numbers)
            if launch.held is not None and t0 + numbers >= launch.held.first_answer(t0):
                column.fetched += 1
    return times


def precompile() -> None:
    """Byte-compile riskpulse as `pip install .` does: an editable install run with
    PYTHONDONTWRITEBYTECODE would otherwise recompile every module at each launch."""
    import compileall

    for package in ("tui", "widgets", "themes"):
        compileall.compile_dir(ROOT / package, quiet=1)


def env_for(url: str, cache: str, config: str) -> dict[str, str]:
    """Every source pointed at `url`, with a private cache and config."""
    env = {f"RISKPULSE_{s.upper()}_URL": url for s in SOURCE_IDS}
    env |= {"XDG_CACHE_HOME": cache, "RISKPULSE_CONFIG": config}
    return env


def with_env(env: dict[str, str], cmd: list[str]) -> list[str]:
    return ["env", *(f"{k}={v}" for k, v in env.items()), *cmd]


def fill_cache(env: dict[str, str]) -> None:
    """Save a snapshot to the cache, the way a user's previous session would have."""
    subprocess.run(
        with_env(env, [sys.executable, "-m", "tui", "snapshot"]), capture_output=True, check=True
    )


@contextmanager
def answering_late(server: Server, seconds: float) -> Iterator[HeldAnswers]:
    """Hold every answer `server` gives for `seconds` while the block runs (the loopback server
    itself answers at once, and its `hang` fault sends no answer at all)."""
    held = HeldAnswers(seconds)

    class Late(Handler):
        def do_GET(self) -> None:
            held.arrivals.append(time.perf_counter())
            time.sleep(seconds)
            with suppress(OSError):  # the launch was stopped while its answer waited
                super().do_GET()

    before = server.RequestHandlerClass
    server.RequestHandlerClass = Late
    try:
        yield held
    finally:
        server.RequestHandlerClass = before


@contextmanager
def live_from_cache(tmp: Path, delay: float) -> Iterator[tuple[list[str], HeldAnswers]]:
    """`riskpulse` live against the loopback server, its cache filled, answers held `delay` s."""
    with serving() as server:
        config = tmp / "config.toml"
        config.write_text("")  # the defaults, not the user's own config
        env = env_for(server.url, str(tmp / "cache"), str(config))
        fill_cache(env)
        with answering_late(server, delay) as held:
            yield with_env(env, [sys.executable, "-m", "tui"]), held


def ms(times: list[float]) -> str:
    return " ".join(f"{t * 1000:.0f}" for t in times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--loopback-delay", type=float, default=2.0)
    args = parser.parse_args()
    precompile()
    load_before = os.getloadavg()
    with (
        tempfile.TemporaryDirectory() as tmp,
        live_from_cache(Path(tmp), args.loopback_delay) as (live, held),
    ):
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        launches = [
            Launch("hello", [sys.executable, str(hello)], HELLO_MARKER, HELLO_MARKER),
            Launch(
                "replay",
                [sys.executable, "-m", "tui", "--replay", "2025-11-20"],
                REPLAY_FRAME,
                REPLAY_NUMBERS,
            ),
            Launch("live", live, LIVE_FRAME, LIVE_NUMBERS, held),
        ]
        try:
            times = alternate(launches, args.runs, args.size, args.timeout)
        except NeverShown as e:
            print(f"timeout: /{e.marker}/ never matched; the last screen:", file=sys.stderr)
            print(e.screen, file=sys.stderr)
            return 1
    load_after = os.getloadavg()

    hello_med = statistics.median(times["hello"].frame)
    print(
        f"runs={args.runs} size={args.size} alternating hello → replay → live from a warm cache "
        "(medians)"
    )
    print(f"hello-world textual first frame  {hello_med * 1000:6.0f} ms")
    ok = True
    titles = {"replay": "replay 2025-11-20", "live": "live from a warm cache"}
    for name, title in titles.items():
        print(title)
        for label, column, target in (
            ("first frame", times[name].frame, FRAME_RATIO),
            ("numbers on screen", times[name].numbers, NUMBERS_RATIO),
        ):
            med = statistics.median(column)
            ratio = med / hello_med
            good = ratio <= target
            ok &= good
            verdict = "OK" if good else "OVER TARGET"
            print(
                f"  {label:<18}  {med * 1000:6.0f} ms  {ratio:5.2f}x hello-world  "
                f"target <= {target}x  {verdict}"
            )
    fetched = times["live"].fetched
    if fetched:
        ok = False
        print(
            f"  in {fetched} of {args.runs} rounds the live numbers showed after a loopback answer "
            "could have: not shown to be the cache's (raise --loopback-delay)"
        )
    print("per round, ms:")
    print(f"  hello   first frame {ms(times['hello'].frame)}")
    for name in titles:
        print(
            f"  {name:<7} first frame {ms(times[name].frame)} | numbers {ms(times[name].numbers)}"
        )
    print(
        "load average (1, 5, 15 min): "
        f"before {' '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.2f}' for x in load_after)}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
