#!/usr/bin/env python3
"""A 200-symbol watchlist against the loopback server: requests per cycle, cycle time, and
keypress latency while a cycle runs.

The live app runs headless (Textual's test driver, 120x40) with 200 added Yahoo symbols in the
indices pane and every source pointed at `tests/loopback.py`, whose v7 quote answers every symbol
asked for with the recorded AAPL row, only `symbol` changed (`echo_symbols`): the symbols are
synthetic (`W001.X`…), the bytes per row are Yahoo's. One cycle is the Yahoo and CoinGecko
refreshes the scheduler runs, with the snapshot published to the panes. While cycles run, the
down key is sent every 20 ms to the focused 200-row table; latency is the time from the key
entering the app's queue to the cursor having moved.

Targets (issue 13): Yahoo in batches of at most 50 symbols (one request per 50), one CoinGecko
request; keypress latency median under 50 ms, worst under 150 ms.

usage: python benchmarks/watchlist.py [--symbols 200] [--cycles 10]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402

from tests.loopback import serving  # noqa: E402
from tui.sources import SOURCE_IDS  # noqa: E402
from widgets.navigable import NavigableTable  # noqa: E402

MEDIAN_MS, WORST_MS, BATCH = 50.0, 150.0, 50


def config_text(count: int) -> str:
    """A config with `count` added symbols in the indices pane."""
    names = [f"W{i:03d}.X" for i in range(1, count + 1)]
    lines = ["timeout = 10", "[refresh]", "yahoo = 3600", "coingecko = 3600", "[watchlists]"]
    lines.append("indices = [" + ", ".join(f'"{n}"' for n in names) + "]")
    for name in names:
        lines += [
            f'[symbols."{name}"]',
            'name = "Synthetic"',
            'class = "single stock"',
            'region = "us"',
            'tz = "America/New_York"',
        ]
    return "\n".join(lines) + "\n"


async def run(count: int, cycles: int) -> bool:
    from tui import live_session
    from tui.app import RiskPulseApp
    from tui.config import load

    with serving() as server, tempfile.TemporaryDirectory() as tmp:
        server.echo_symbols = True
        for sid in SOURCE_IDS:
            os.environ[f"RISKPULSE_{sid.upper()}_URL"] = server.url
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        path = Path(tmp) / "config.toml"
        path.write_text(config_text(count))
        cfg = load(path)
        app = RiskPulseApp(
            watchlists=cfg.watchlists,
            live=lambda: live_session.start(cfg),
            refresh=cfg.refresh,
            config_path=path,
        )
        async with app.run_test(size=(120, 40)) as pilot:
            dash = app.dashboard()
            assert dash is not None
            for _ in range(600):  # start-up: cache, first refresh of every source
                await pilot.pause(0.05)
                if dash.scheduler is not None and dash.snapshot is not None:
                    break
            # Start-up also backfills a year of daily closes per symbol (one chart request
            # each): let it finish, so the cycles below are the steady state.
            seen, quiet = -1, 0
            while quiet < 10:
                await pilot.pause(0.05)
                quiet = quiet + 1 if len(server.requests) == seen else 0
                seen = len(server.requests)
            await app.workers.wait_for_complete()
            table = dash.query_one("#table-indices", NavigableTable)
            table.focus()
            await pilot.pause(0.2)
            rows = table.row_count
            scheduler = dash.scheduler
            assert scheduler is not None
            times: list[float] = []
            per_cycle: list[tuple[int, int]] = []
            latencies: list[float] = []
            for _ in range(cycles):
                server.requests.clear()
                t0 = time.perf_counter()
                cycle = asyncio.gather(scheduler.refresh("yahoo"), scheduler.refresh("coingecko"))
                task = asyncio.ensure_future(cycle)
                while not task.done():
                    before = table.cursor_row
                    if before >= rows - 1:
                        table.move_cursor(row=0, animate=False)
                        await pilot.pause()
                        before = table.cursor_row
                    sent = time.perf_counter()
                    app.post_message(events.Key("down", None))
                    while table.cursor_row == before and time.perf_counter() - sent < 2:
                        await asyncio.sleep(0.0005)
                    latencies.append((time.perf_counter() - sent) * 1000)
                    await asyncio.sleep(0.02)
                await task
                times.append(time.perf_counter() - t0)
                yahoo = sum(1 for s, p in server.requests if p.startswith("/v7/finance/quote"))
                gecko = sum(1 for s, p in server.requests if p.startswith("/api/v3/coins/markets"))
                per_cycle.append((yahoo, gecko))
                if os.environ.get("WATCH_BENCH_DEBUG"):
                    other = sorted({p.split("?")[0][:40] for s, p in server.requests})
                    print(
                        f"cycle {len(times)}: {times[-1] * 1000:.0f} ms, worst key "
                        f"{max(latencies[-10:]):.0f} ms, paths {other}"
                    )
            symbols = len(dash.session.live.quotes.symbols()) if dash.session else 0
            shown = sum(1 for k in table.row_keys if k.startswith("w"))
    expected = math.ceil(symbols / BATCH)
    med, worst = statistics.median(latencies), max(latencies)
    yahoo_ok = all(y == expected for y, _ in per_cycle)
    gecko_ok = all(g == 1 for _, g in per_cycle)
    ok = yahoo_ok and gecko_ok and med < MEDIAN_MS and worst < WORST_MS and shown == count

    def verdict(good: bool) -> str:
        return "OK" if good else "OVER TARGET"

    print(f"watchlist of {count} added symbols ({shown} rows shown), {cycles} cycles, headless")
    print(f"  yahoo symbols per cycle      {symbols:6d}   (the added ones, built-ins, ZQ months)")
    print(
        f"  yahoo requests per cycle     {max(y for y, _ in per_cycle):6d}   "
        f"target ceil({symbols}/{BATCH}) = {expected}  {verdict(yahoo_ok)}"
    )
    print(
        f"  coingecko requests per cycle {max(g for _, g in per_cycle):6d}   target 1  "
        f"{verdict(gecko_ok)}"
    )
    print(
        f"  cycle time                   {statistics.median(times) * 1000:6.0f} ms median, "
        f"{max(times) * 1000:.0f} ms worst"
    )
    print(
        f"  keypress latency median      {med:6.1f} ms          target < {MEDIAN_MS:.0f}"
        f"  {verdict(med < MEDIAN_MS)}   ({len(latencies)} keys)"
    )
    print(
        f"  keypress latency worst       {worst:6.1f} ms          target < {WORST_MS:.0f}"
        f"  {verdict(worst < WORST_MS)}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--symbols", type=int, default=200)
    parser.add_argument("--cycles", type=int, default=10)
    args = parser.parse_args()
    return 0 if asyncio.run(run(args.symbols, args.cycles)) else 1


if __name__ == "__main__":
    sys.exit(main())
