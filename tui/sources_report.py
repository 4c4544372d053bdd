"""`riskpulse sources [--check]`: what each source is set to, how it last did, and a live check.

The listing shows, per source, the base URL in force (env `RISKPULSE_<ID>_URL`, then config, then
the API's own) and where it came from, the key state (set in the keyring / set from env / not
set — never the key), the refresh interval or the source it stands in for, its fallbacks, and
the last success and last error kept in the cache's last snapshot. `--check` makes one request
per source (Yahoo's also fetches its crumb) against the URL in force, concurrently, each within
its deadline, and prints one verdict line per source; the exit code is 1 when any failed.
This is what a user runs when a pane goes stale.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from tui.config import Config
from tui.numtext import table
from tui.sanitize import clean
from tui.sources import SOURCE_IDS

EXIT_OK, EXIT_FAILED = 0, 1
LISTED: tuple[str, ...] = tuple(dict.fromkeys((*SOURCE_IDS, "cboe")))
"""Every source: the refreshed ones and the fallbacks."""
FALLBACKS: dict[str, tuple[str, ...]] = {
    "yahoo": ("cboe", "stooq"),
    "coingecko": ("binance",),
    "cme": ("yahoo", "kalshi", "polymarket"),
    "kalshi": ("polymarket",),
}
"""Fallback order (DESIGN §3): yahoo → cboe → stooq; coingecko → binance; for Fed-watch odds
cme → yahoo dated ZQ → kalshi → polymarket."""
STANDS_IN_FOR = {"cboe": "yahoo", "stooq": "yahoo"}
"""Sources fetched only when another fails, instead of on their own interval."""
KEYLESS = frozenset(
    {"cboe", "yahoo", "binance", "alternative_me", "cnn", "news", "kalshi", "polymarket"}
)


def default_urls() -> dict[str, str]:
    """The API's own base URL per source (the ones an override replaces)."""
    from tui.sources import (
        alternative_me,
        binance,
        cboe,
        cme,
        cnn,
        coingecko,
        fred,
        news,
        prediction_markets,
        stooq,
        yahoo,
    )

    return {
        "yahoo": yahoo.QUERY_BASE,
        "stooq": stooq.DEFAULT_BASE,
        "cboe": cboe.DEFAULT_BASE,
        "coingecko": coingecko.DEFAULT_BASE,
        "binance": binance.SPOT_BASE,
        "alternative_me": alternative_me.DEFAULT_BASE,
        "cnn": cnn.DEFAULT_BASE,
        "fred": fred.GRAPH_BASE,
        "cme": cme.BASE,
        "kalshi": prediction_markets.KALSHI_BASE,
        "polymarket": prediction_markets.POLYMARKET_BASE,
        "news": "https://" + news.FED_PRESS.split("/")[2],
    }


def url_in_force(source: str, cfg: Config, environ: Mapping[str, str]) -> tuple[str, str]:
    """(URL, where it came from: env, config or default)."""
    from tui.sources.base import env_name

    if value := environ.get(env_name(source, "URL")):
        return value, "env"
    if value := cfg.source_urls.get(source):
        return value, "config"
    return default_urls().get(source, "(the API's own)"), "default"


def key_state(source: str, environ: Mapping[str, str]) -> str:
    """`not needed`, `set (keyring)`, `set (from env)` or `not set`; never the key."""
    if source in KEYLESS:
        return "not needed"
    from tui import secrets

    try:
        where = secrets.where(source, environ)
    except Exception:  # no usable keyring backend: only the environment counts
        where = "env" if environ.get(secrets.env_var(source)) else "none"
    return {"env": "set (from env)", "keyring": "set (keyring)"}.get(where, "not set")


def last_status(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Per source `ok`, `last_ok` and `error` from the cached snapshot ({} when none)."""
    from tui.store import Store, cache_path

    path = cache_path(environ)
    if not path.is_file():
        return {}
    try:
        store = Store(path, read_only=True)
    except Exception:  # an unreadable cache has nothing to say here
        return {}
    try:
        loaded = store.load_snapshot()
    finally:
        store.close()
    sources = loaded[1].get("sources") if loaded else None
    return sources if isinstance(sources, dict) else {}


def listing(cfg: Config, environ: Mapping[str, str]) -> list[str]:
    """The lines `riskpulse sources` prints: a note on the fallback order, then a table (columns
    at least two spaces apart whatever their values) with a header row and one row per source."""
    status = last_status(environ)
    rows = [["source", "key", "refresh", "fallback", "last success", "url in force · last error"]]
    for source in LISTED:
        url, origin = url_in_force(source, cfg, environ)
        refresh = (
            f"when {STANDS_IN_FOR[source]} fails"
            if source in STANDS_IN_FOR
            else f"{cfg.refresh.get(source, 0)} s"
        )
        seen = status.get(source) if isinstance(status.get(source), dict) else {}
        assert isinstance(seen, dict)
        last_ok = clean(seen.get("last_ok") or "never", 32)
        error = clean(seen.get("error") or "none", 160)
        rows.append(
            [
                source,
                key_state(source, environ),
                refresh,
                ", ".join(FALLBACKS.get(source, ())) or "—",
                last_ok,
                f"{clean(url, 120)} ({origin}) · last error: {error}",
            ]
        )
    return [
        "fallback order: yahoo → cboe → stooq; coingecko → binance; kalshi → polymarket "
        "(Cboe quotes are delayed about 15 min)",
        *table(rows),
    ]


def probes(
    cfg: Config, environ: Mapping[str, str], fetcher: Any, today: date
) -> dict[str, Callable[[], Awaitable[int]]]:
    """One request per source; each returns how many readings the reply held."""
    from tui.sources import (
        alternative_me,
        binance,
        cboe,
        cme,
        cnn,
        coingecko,
        fred,
        news,
        prediction_markets,
        stooq,
        yahoo,
    )

    def base(source: str) -> str:
        return url_in_force(source, cfg, environ)[0]

    async def yahoo_probe() -> int:
        return len(await yahoo.YahooSession(fetcher, base("yahoo")).quotes(["GC=F"]))

    async def fred_probe() -> int:
        key = _key("fred", environ)
        if key:  # the keyed JSON API is what the live source uses then
            return len(await fred.fetch_api(fetcher, key, base("fred"), series=("SOFR",)))
        return len(await fred.fetch_graph(fetcher, base("fred"), series=("SOFR",)))

    async def count(job: Awaitable[Any]) -> int:
        return len(await job)

    return {
        "yahoo": yahoo_probe,
        "stooq": lambda: count(stooq.fetch_daily(fetcher, "spy.us", today, base("stooq"))),
        "cboe": lambda: count(cboe.fetch_european(fetcher, base("cboe"))),
        "coingecko": lambda: count(coingecko.fetch(fetcher, base("coingecko"))),
        "binance": lambda: count(binance.fetch_tickers(fetcher, base("binance"))),
        "alternative_me": lambda: count(alternative_me.fetch(fetcher, base("alternative_me"))),
        "cnn": lambda: count(_one(cnn.fetch(fetcher, base("cnn")))),
        "fred": fred_probe,
        "cme": lambda: count(_prices(cme.fetch(fetcher, base("cme")))),
        "kalshi": lambda: count(prediction_markets.fetch_kalshi(fetcher, base("kalshi"))),
        "polymarket": lambda: count(
            prediction_markets.fetch_polymarket(fetcher, base("polymarket"))
        ),
        "news": lambda: count(
            news.fetch_feed(fetcher, news.FED_PRESS, "Federal Reserve", base("news"))
        ),
    }


def _key(source: str, environ: Mapping[str, str]) -> str | None:
    from tui import secrets

    try:
        return secrets.get_key(source, environ)
    except Exception:  # no usable keyring backend: the keyless path serves
        return None


async def _one(job: Awaitable[Any]) -> list[Any]:
    return [await job]


async def _prices(job: Awaitable[Any]) -> list[Any]:
    """The settlement prices of a CME reply (none on a holiday)."""
    return list((await job).prices().values())


async def check(
    cfg: Config,
    environ: Mapping[str, str],
    today: date,
    transport: Any = None,
) -> list[tuple[str, bool, str]]:
    """Probe every source once, concurrently: (source, worked, verdict)."""
    from tui.sources.base import Fetcher, SourceError, make_client

    client = make_client(cfg.timeout, transport=transport)
    fetcher = Fetcher(client, retries=0, deadlines=cfg.deadlines, default_deadline=cfg.deadline)
    jobs = probes(cfg, environ, fetcher, today)

    async def run(source: str) -> tuple[str, bool, str]:
        if source not in jobs:  # a source added to SOURCE_IDS before its probe here
            return source, True, "not checked (no probe for this source yet)"
        start = time.monotonic()
        try:
            found = await jobs[source]()
        except SourceError as exc:
            return source, False, f"FAILED: {exc.reason}"
        except Exception as exc:  # a probe's own fault still gets one line
            return source, False, f"FAILED: unexpected {type(exc).__name__}"
        took = (time.monotonic() - start) * 1000
        if not found:
            return source, False, f"FAILED: answered in {took:.0f} ms with nothing readable"
        return source, True, f"ok in {took:.0f} ms ({found} readings)"

    try:
        return list(await asyncio.gather(*(run(s) for s in LISTED)))
    finally:
        await client.aclose()


def cmd_sources(
    cfg: Config,
    do_check: bool,
    clock: Callable[[], float] | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Print the listing, or with `do_check` one verdict per source (exit 1 if any failed)."""
    import os

    env = os.environ if environ is None else environ
    if not do_check:
        print("\n".join(listing(cfg, env)))
        return EXIT_OK
    today = datetime.fromtimestamp((clock or time.time)(), tz=UTC).date()
    verdicts = asyncio.run(check(cfg, env, today))
    rows = [
        [source, verdict, f"[{clean(url_in_force(source, cfg, env)[0], 120)}]"]
        for source, _, verdict in verdicts
    ]
    print("\n".join(table(rows)))
    return EXIT_OK if all(ok for _, ok, _ in verdicts) else EXIT_FAILED
