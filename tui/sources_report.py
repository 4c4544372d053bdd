"""`riskpulse sources [--check]`: what each source is set to, how it last did, and a live check.

The listing shows, per source, the base URL in force (env `RISKPULSE_<ID>_URL`, then config, then
the API's own) and where it came from, the key state (set in the keyring / set from env / not
set — never the key), the refresh interval or the source it stands in for, its fallbacks, and
the last success and last error kept in the cache's last snapshot. `--check` makes, for each
source concurrently and within its deadline, the request its live fetch makes (the same function
builds it, on the URLs, watchlists and keys the dashboard would use: `probes`), so a passing check
means that source's quotes will load; it prints one verdict line per source, with the endpoints
it asked, and exits 1 when any failed. This is what a user runs when a pane goes stale.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.assets import BY_ID
from tui.config import Config
from tui.numtext import table
from tui.sanitize import clean
from tui.sources import SOURCE_IDS

if TYPE_CHECKING:
    from tui.sources.live import LiveSource

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


def probes(live: LiveSource) -> dict[str, Callable[[], Awaitable[int]]]:
    """Each source's check: the request its live fetch makes, through the same function.

    Yahoo asks for the tracked symbols (after its cookie and crumb), Cboe and Stooq for what
    they stand in for when Yahoo fails (Cboe's delayed quotes of the tracked S&P 500, Nasdaq 100
    and VIX; Stooq's daily CSV of the first tracked asset it quotes, with the key in force),
    Binance for the perpetual's funding, FRED for every series (the keyed API with a key), news
    for every macro feed; each of the others makes its one request.

    Args:
        live: A live source built from the config and environment as the dashboard builds its
            own, connected to the check's fetcher.

    Returns:
        Per source, a job returning how many readings the reply held.
    """
    from tui.sources import cboe
    from tui.sources.live import crypto, fed, headlines, sentiment

    ctx, quotes = live.ctx, live.quotes
    tracked = ctx.tracked()
    us_quotes = [a for a in tracked if a in cboe.US_SYMBOLS]
    daily = next((a for a in tracked if BY_ID[a].stooq), None)

    async def count(job: Awaitable[Any]) -> int:
        return len(await job)

    async def nothing_to_ask() -> int:
        raise NothingToAsk

    jobs: dict[str, Callable[[], Awaitable[int]]] = {
        "yahoo": lambda: count(quotes.fetch_yahoo(quotes.symbols())),
        "cboe": lambda: count(quotes.fetch_cboe(us_quotes)) if us_quotes else nothing_to_ask(),
        "stooq": lambda: count(quotes.fetch_stooq(daily)) if daily else nothing_to_ask(),
        "coingecko": lambda: count(crypto.fetch_markets(ctx, crypto.coins(ctx))),
        "binance": lambda: count(live.derivatives.fetch_funding()),
        "alternative_me": lambda: count(sentiment.fetch_crypto(ctx)),
        "cnn": lambda: count(_one(sentiment.fetch_cnn(ctx))),
        "fred": lambda: count(live.fred.fetch()),
        "cme": lambda: count(_prices(fed.fetch_cme(ctx))),
        "kalshi": lambda: count(fed.fetch_kalshi(ctx)),
        "polymarket": lambda: count(fed.fetch_polymarket(ctx)),
        "news": lambda: count(headlines.fetch_macro(ctx)),
    }
    return jobs


class NothingToAsk(Exception):
    """A fallback with no tracked asset it quotes: its live fetch never runs."""


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


@dataclass(frozen=True, slots=True)
class Verdict:
    """One source's check.

    Attributes:
        source: The source id.
        ok: True when it answered with readings (or was not checked).
        text: `ok in 120 ms (3 readings)`, `FAILED: …` or `not checked (…)`.
        asked: The endpoints requested, in order (scheme, host and path: never the query,
            which may carry a key).
    """

    source: str
    ok: bool
    text: str
    asked: tuple[str, ...] = ()


_CHECKING: ContextVar[str | None] = ContextVar("checking", default=None)
"""The source whose check runs in this task (its requests inherit it)."""


async def check(
    cfg: Config,
    environ: Mapping[str, str],
    clock: Callable[[], float] = time.time,
    transport: Any = None,
) -> list[Verdict]:
    """Probe every source once, concurrently.

    Args:
        cfg: The config in force (URL overrides, watchlists, timeouts, deadlines).
        environ: The environment (URL overrides and keys).
        clock: Wall-clock seconds: today in New York decides the dated requests.
        transport: An httpx transport (tests answer with `httpx.MockTransport`).

    Returns:
        One verdict per source in LISTED order.
    """
    from tui.live_session import source_urls
    from tui.sources.base import Fetcher, SourceError, make_client
    from tui.sources.live import LiveSource

    asked: dict[str, list[str]] = {s: [] for s in LISTED}

    async def note(request: Any) -> None:
        source = _CHECKING.get()
        if source in asked:
            endpoint = str(request.url.copy_with(query=None))
            if endpoint not in asked[source]:
                asked[source].append(endpoint)

    client = make_client(cfg.timeout, transport=transport)
    client.event_hooks = {"request": [note]}
    fetcher = Fetcher(client, retries=0, deadlines=cfg.deadlines, default_deadline=cfg.deadline)
    live = LiveSource(
        fetcher,
        urls=source_urls(cfg, environ),
        watchlists=cfg.watchlists,
        clock=clock,
        fred_key=_key("fred", environ),
        stooq_key=lambda: _key("stooq", environ),
    )
    jobs = probes(live)

    async def run(source: str) -> Verdict:
        ok, text = await attempt(source)
        return Verdict(source, ok, text, tuple(asked[source]))

    async def attempt(source: str) -> tuple[bool, str]:
        if source not in jobs:  # a source added to SOURCE_IDS before its probe here
            return True, "not checked (no probe for this source yet)"
        _CHECKING.set(source)  # this task's own context: the other checks keep theirs
        start = time.monotonic()
        try:
            found = await jobs[source]()
        except NothingToAsk:
            return True, "not checked (no tracked asset it would be asked for)"
        except SourceError as exc:
            return False, f"FAILED: {exc.reason}"
        except Exception as exc:  # a probe's own fault still gets one line
            return False, f"FAILED: unexpected {type(exc).__name__}"
        took = (time.monotonic() - start) * 1000
        if not found:
            return False, f"FAILED: answered in {took:.0f} ms with nothing readable"
        return True, f"ok in {took:.0f} ms ({found} readings)"

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
    verdicts = asyncio.run(check(cfg, env, clock or time.time))
    rows = []
    for v in verdicts:
        where = " · ".join(clean(u, 120) for u in v.asked) or clean(
            url_in_force(v.source, cfg, env)[0], 120
        )
        rows.append([v.source, v.text, f"[{where}]"])
    print("\n".join(table(rows)))
    return EXIT_OK if all(v.ok for v in verdicts) else EXIT_FAILED
