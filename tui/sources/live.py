"""The live source: every fetcher behind one object that builds a Snapshot.

Each source refreshes on its own (`refresh(source_id)`), so one slow or failing API never holds
the others back. A reading, once received, is kept: when a later refresh fails, the quote stays on
screen marked stale with the reason and the age of its last good data. Nothing is filled from the
bundled history: a number on a live pane came from a live answer (or from the cache, and then it
says so).

Fallbacks: Yahoo → Stooq for the indices and metals Yahoo did not answer; CoinGecko → Binance spot
for crypto. Fed-watch odds come from dated 30-day fed funds futures by the CME method when Yahoo
answers for every contract the next meetings need; otherwise from Kalshi, with Polymarket beside
it, and the pane names that source.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from tui import fedwatch
from tui.assets import BY_ID, EXTRA_ROWS, PANE_ASSETS, RISK_ASSETS, Unit
from tui.bundled import fomc_decision_days
from tui.explain.headlines import Headline
from tui.model import (
    FearGreed,
    FearGreedPane,
    FedMeeting,
    FedWatch,
    Mode,
    Quote,
    QuotePane,
    Snapshot,
    SourceHealth,
    age_text,
)
from tui.sources import (
    SOURCE_IDS,
    alternative_me,
    binance,
    cnn,
    coingecko,
    fred,
    news,
    prediction_markets,
    stooq,
    yahoo,
)
from tui.sources.base import Fetcher, SourceError
from tui.sources.replay import breadth_of

NEW_YORK = ZoneInfo("America/New_York")
REFRESHED: tuple[str, ...] = tuple(s for s in SOURCE_IDS if s != "stooq")
"""Sources with a refresh loop of their own; Stooq runs inside Yahoo's, as its fallback."""

YAHOO_EXTRA = {"ust10y": "^TNX"}
"""Assets Yahoo quotes under another symbol than the display one (10Y yield in percent)."""
YAHOO_SKIP = frozenset({"btc", "eth", "sol", "btc_funding", "sofr_iorb", "fed_target", "effr"})
"""Assets other sources supply (crypto, FRED's rates)."""
FRED_ASSETS = ("ust2y", "ust10y", "sofr_iorb", "hy_spread", "fed_target", "effr", "sofr", "iorb")
MONTH_CODES = "FGHJKMNQUVXZ"
MEETINGS_SHOWN = 4
SPARK_POINTS = 30
SPARK_MAX_GAP_DAYS = 7
"""A sparkline is drawn only when the stored history reaches to within this many days of now."""


def zq_symbol(year: int, month: int) -> str:
    """Yahoo's dated 30-day fed funds future: `ZQZ25.CBT` for December 2025."""
    return f"ZQ{MONTH_CODES[month - 1]}{year % 100:02d}.CBT"


def zq_months(meetings: Iterable[date]) -> list[tuple[int, int]]:
    """Contract months the CME method needs: each meeting's month and its neighbours."""
    months: set[tuple[int, int]] = set()
    for m in meetings:
        months.add((m.year, m.month))
        prev = (m.year - 1, 12) if m.month == 1 else (m.year, m.month - 1)
        nxt = (m.year + 1, 1) if m.month == 12 else (m.year, m.month + 1)
        months.update((prev, nxt))
    return sorted(months)


@dataclass(frozen=True, slots=True)
class Reading:
    """One asset's latest value from a live source.

    Attributes:
        price: Level.
        change: Change from the previous close, in the level's unit.
        change_pct: Relative change in percent (prices only).
        day: The trading day the value belongs to.
        time: When the source stamped it.
        source: Which source gave it.
        received: Wall-clock seconds when it arrived.
        high_52w: The source's 52-week high, when it gives one.
        detail: Extra text for the row.
        symbol: Display symbol, when it differs from the catalogue's (BTC/USD on CoinGecko).
    """

    price: float
    change: float | None
    change_pct: float | None
    day: date | None
    time: datetime | None
    source: str
    received: float
    high_52w: float | None = None
    detail: str | None = None
    symbol: str | None = None


@dataclass
class Status:
    """A source's recent history of attempts."""

    last_ok: float | None = None
    error: str | None = None
    failures: int = 0
    retry_after: float | None = None


@dataclass
class LiveState:
    """Everything the live source has received, kept between refreshes."""

    readings: dict[str, Reading] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    """Asset id → why its last refresh gave nothing (the reading, if any, is then stale)."""
    status: dict[str, Status] = field(default_factory=lambda: {s: Status() for s in SOURCE_IDS})
    crypto_fng: list[alternative_me.FngPoint] = field(default_factory=list)
    stock_fng: cnn.StockFearGreed | None = None
    fng_received: dict[str, float] = field(default_factory=dict)
    zq: dict[tuple[int, int], float] = field(default_factory=dict)
    zq_missing: list[str] = field(default_factory=list)
    zq_received: float | None = None
    markets: dict[str, list[prediction_markets.MeetingMarket]] = field(default_factory=dict)
    headlines: list[news.FeedItem] = field(default_factory=list)
    cached_at: float | None = None
    """When the seeded cache was saved (None when nothing was seeded)."""
    cached: Snapshot | None = None
    """The seeded cached snapshot: its Fed and fear & greed panes stand in until sources answer."""


def _pct(price: float, prev: float | None) -> float | None:
    return (price / prev - 1) * 100 if prev else None


def _last_close(
    points: list[tuple[date, float]],
    source: str,
    received: float,
    *,
    with_pct: bool,
    detail: str | None = None,
) -> Reading | None:
    """The last daily value and its change from the one before (None for no points)."""
    if not points:
        return None
    day, value = points[-1]
    prev = points[-2][1] if len(points) > 1 else None
    change = value - prev if prev is not None else None
    pct = _pct(value, prev) if with_pct else None
    return Reading(value, change, pct, day, None, source, received, detail=detail)


def _hhmm(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%H:%MZ")


class LiveSource:
    """Fetches every source and assembles the live Snapshot.

    Args:
        fetcher: The shared fetcher (one httpx client, retries, breakers).
        urls: Base URL per source id in force (config and env already applied).
        watchlists: Assets per quote pane.
        clock: Wall-clock seconds (injected in tests).
        store: The cache, for daily history and the Fed odds' changes (optional).
        fred_key: A FRED API key; the keyless CSV is used without one.
        key_lookup: Finds the FRED key (env, then keyring) on the first FRED refresh, in a
            thread: a slow keyring never holds back start-up or the cached snapshot.
    """

    mode = Mode.LIVE

    def __init__(
        self,
        fetcher: Fetcher,
        urls: Mapping[str, str] | None = None,
        watchlists: Mapping[str, tuple[str, ...]] | None = None,
        clock: Callable[[], float] = time.time,
        store: Any | None = None,
        fred_key: str | None = None,
        key_lookup: Callable[[], str | None] | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.urls = dict(urls or {})
        self.watchlists: dict[str, tuple[str, ...]] = dict(watchlists or PANE_ASSETS)
        self.clock = clock
        self.store = store
        self.fred_key = fred_key
        self._key_lookup = key_lookup
        self.state = LiveState()
        self.sparks: dict[str, tuple[float, ...]] = {}
        """Recent daily closes per asset (bundled + cached), set off the UI thread."""
        self.highs: dict[str, float] = {}
        """52-week high of the daily closes before today, where the history covers the year."""
        self._yahoo: yahoo.YahooSession | None = None
        self._stooq_last: dict[str, float] = {}
        self._pending: dict[str, list[tuple[date, float]]] = {}
        self.stooq_interval = 300.0

    # -- helpers ----------------------------------------------------------------------------

    def url(self, source_id: str, default: str) -> str:
        """The base URL in force for a source."""
        return self.urls.get(source_id) or default

    def now(self) -> datetime:
        """Now, from the injected clock."""
        return datetime.fromtimestamp(self.clock(), tz=UTC)

    def today(self) -> date:
        """Today in New York: the day the dashboard and the drill-down describe."""
        return self.now().astimezone(NEW_YORK).date()

    def tracked(self) -> list[str]:
        """Every asset a pane shows, plus all risk assets (breadth counts them all)."""
        ids = [a for pane in ("indices", "crypto", "macro") for a in self.watchlists.get(pane, ())]
        return list(dict.fromkeys([*ids, *RISK_ASSETS]))

    def upcoming_meetings(self) -> list[date]:
        """The next FOMC decision days in the calendar, today's included."""
        today = self.today()
        return [d for d in fomc_decision_days() if d >= today][:MEETINGS_SHOWN]

    def _ok(self, source_id: str) -> None:
        st = self.state.status[source_id]
        st.last_ok, st.error, st.failures, st.retry_after = self.clock(), None, 0, None

    def _failed(self, source_id: str, error: SourceError) -> None:
        st = self.state.status[source_id]
        st.error, st.failures = error.reason, st.failures + 1
        st.retry_after = error.retry_after

    def _keep(self, asset_id: str, reading: Reading) -> None:
        self.state.readings[asset_id] = reading
        self.state.missing.pop(asset_id, None)
        if self.store is not None and reading.day is not None:
            self._pending[asset_id] = [(reading.day, reading.price)]

    def _flush(self) -> None:
        """Write the day's values received in one refresh in one transaction."""
        if self.store is not None and self._pending:
            pending, self._pending = self._pending, {}
            self.store.add_histories(pending)

    def _lose(self, asset_ids: Iterable[str], reason: str) -> None:
        for asset_id in asset_ids:
            self.state.missing[asset_id] = reason

    # -- refresh ----------------------------------------------------------------------------

    async def refresh(self, source_id: str) -> bool:
        """Refresh one source; True when it gave data. Never raises for a source's fault."""
        job = {
            "yahoo": self._refresh_yahoo,
            "coingecko": self._refresh_coingecko,
            "binance": self._refresh_binance,
            "alternative_me": self._refresh_alternative_me,
            "cnn": self._refresh_cnn,
            "fred": self._refresh_fred,
            "kalshi": self._refresh_kalshi,
            "polymarket": self._refresh_polymarket,
            "news": self._refresh_news,
        }[source_id]
        try:
            await job()
        except SourceError as exc:
            self._failed(source_id, exc)
            return False
        except Exception as exc:  # a parser bug must not take the app down
            self._failed(source_id, SourceError(source_id, f"unexpected {type(exc).__name__}"))
            return False
        finally:
            self._flush()
        self._ok(source_id)
        if source_id in ("yahoo", "fred", "kalshi", "polymarket"):
            self.record_fed_odds()
        return True

    async def refresh_all(self) -> dict[str, bool]:
        """Every source once, concurrently."""
        results = await asyncio.gather(*(self.refresh(s) for s in REFRESHED))
        return dict(zip(REFRESHED, results, strict=True))

    def yahoo_symbols(self) -> dict[str, str]:
        """Yahoo symbol → asset id, for one batched request (plus the ZQ contracts)."""
        out: dict[str, str] = {}
        for asset_id in self.tracked():
            if asset_id in YAHOO_SKIP or asset_id not in BY_ID:
                continue
            if asset_id in YAHOO_EXTRA:
                out[YAHOO_EXTRA[asset_id]] = asset_id
            elif BY_ID[asset_id].unit is Unit.PRICE:
                out[BY_ID[asset_id].symbol] = asset_id
        for year, month in zq_months(self.upcoming_meetings()):
            out[zq_symbol(year, month)] = f"zq:{year}-{month:02d}"
        out["ZQ=F"] = "zq:front"
        return out

    async def _refresh_yahoo(self) -> None:
        if self._yahoo is None:
            self._yahoo = yahoo.YahooSession(self.fetcher, self.url("yahoo", yahoo.QUERY_BASE))
        wanted = self.yahoo_symbols()
        assets = {s: a for s, a in wanted.items() if not a.startswith("zq:")}
        try:
            quotes = await self._yahoo.quotes(list(wanted))
        except SourceError as exc:
            self._lose(
                [
                    a
                    for a in assets.values()
                    if not self._fred_stands_in(a) and not self._stooq_holds(a)
                ],
                f"yahoo: {exc.reason}",
            )
            self.state.zq_missing = [s for s, a in wanted.items() if a.startswith("zq:")]
            await self._stooq_fallback(list(assets.values()))
            raise
        received = self.clock()
        zq: dict[tuple[int, int], float] = {}
        missing_zq: list[str] = []
        unanswered: list[str] = []
        for symbol, asset_id in wanted.items():
            q = quotes.get(symbol)
            if asset_id == "zq:front":
                continue
            if asset_id.startswith("zq:"):
                if q is None:
                    missing_zq.append(symbol)
                else:
                    year, month = asset_id[3:].split("-")
                    zq[(int(year), int(month))] = q.price
                continue
            if q is None:
                if not self._fred_stands_in(asset_id):
                    unanswered.append(asset_id)
                continue
            tz = ZoneInfo(BY_ID[asset_id].tz)
            prev = q.previous_close
            change = q.change if q.change is not None else (q.price - prev if prev else None)
            pct = q.change_pct if q.change_pct is not None else _pct(q.price, prev)
            if BY_ID[asset_id].unit is not Unit.PRICE:
                pct = None
            self._keep(
                asset_id,
                Reading(
                    q.price,
                    change,
                    pct,
                    q.time.astimezone(tz).date() if q.time else None,
                    q.time,
                    "yahoo",
                    received,
                    q.high_52w if BY_ID[asset_id].unit is Unit.PRICE else None,
                    symbol=symbol if asset_id in YAHOO_EXTRA else None,
                ),
            )
        this_month = (self.today().year, self.today().month)
        front = quotes.get("ZQ=F")
        if front is not None and this_month not in zq:
            # The rolling front month is this month's contract: with today's EFFR it still
            # gives the next meeting when that meeting is this month.
            zq[this_month] = front.price
        self.state.zq, self.state.zq_missing = zq, missing_zq
        self.state.zq_received = received
        self._lose(
            [a for a in unanswered if not self._stooq_holds(a)], "yahoo sent no quote for it"
        )
        await self._stooq_fallback(unanswered)

    async def _stooq_fallback(self, asset_ids: list[str]) -> None:
        """Daily closes from Stooq for the assets Yahoo did not give (not more often than
        every `stooq_interval` seconds per asset)."""
        now = self.clock()
        todo = [
            a
            for a in asset_ids
            if a in stooq.SYMBOLS and now - self._stooq_last.get(a, -1e12) >= self.stooq_interval
        ]
        if not todo:
            return
        base = self.url("stooq", stooq.DEFAULT_BASE)
        errors: list[str] = []

        async def one(asset_id: str) -> None:
            self._stooq_last[asset_id] = now
            try:
                rows = await stooq.fetch_daily(
                    self.fetcher, stooq.SYMBOLS[asset_id], self.today(), base
                )
            except SourceError as exc:
                errors.append(exc.reason)
                yahoo_reason = self.state.missing.get(asset_id, "yahoo failed")
                self.state.missing[asset_id] = f"{yahoo_reason}; stooq: {exc.reason}"
                return
            closes = [(date.fromisoformat(day), close) for day, close in rows]
            reading = _last_close(closes, "stooq", self.clock(), with_pct=True)
            if reading is not None:
                self._keep(asset_id, reading)

        semaphore = asyncio.Semaphore(4)

        async def bounded(asset_id: str) -> None:
            async with semaphore:
                await one(asset_id)

        await asyncio.gather(*(bounded(a) for a in todo))
        st = self.state.status["stooq"]
        if errors:
            st.error, st.failures = errors[-1], st.failures + 1
        else:
            st.last_ok, st.error, st.failures = self.clock(), None, 0

    async def _refresh_coingecko(self) -> None:
        coins = [a for a in self.tracked() if a in coingecko.COIN_IDS]
        try:
            quotes = await coingecko.fetch(
                self.fetcher, self.url("coingecko", coingecko.DEFAULT_BASE)
            )
        except SourceError as exc:
            self._lose(coins, f"coingecko: {exc.reason}")
            await self._binance_spot(coins)
            raise
        received = self.clock()
        for asset_id in coins:
            q = quotes.get(asset_id)
            if q is None:
                self._lose([asset_id], "coingecko sent no price for it")
                continue
            prev = q.price - q.change_24h if q.change_24h is not None else None
            self._keep(
                asset_id,
                Reading(
                    q.price,
                    q.change_24h,
                    q.change_pct_24h if q.change_pct_24h is not None else _pct(q.price, prev),
                    q.updated.date() if q.updated else None,
                    q.updated,
                    "coingecko",
                    received,
                    symbol=f"{asset_id.upper()}/USD",
                    detail="24 h change",
                ),
            )
        missing = [a for a in coins if a not in quotes]
        if missing:
            await self._binance_spot(missing)

    async def _binance_spot(self, coins: list[str]) -> None:
        """CoinGecko's fallback: Binance spot tickers (USDT), one request."""
        if not coins:
            return
        try:
            tickers = await binance.fetch_tickers(
                self.fetcher, self.url("binance", binance.SPOT_BASE)
            )
        except SourceError as exc:
            for a in coins:
                self.state.missing[a] = f"{self.state.missing.get(a, '')}; binance: {exc.reason}"
            return
        received = self.clock()
        for asset_id in coins:
            t = tickers.get(binance.SYMBOLS[asset_id])
            if t is None:
                continue
            self._keep(
                asset_id,
                Reading(
                    t.last,
                    t.change,
                    t.change_pct,
                    t.close_time.date(),
                    t.close_time,
                    "binance",
                    received,
                    symbol=f"{asset_id.upper()}/USDT",
                    detail="24 h change",
                ),
            )

    async def _refresh_binance(self) -> None:
        base = self.url("binance", binance.FUTURES_BASE)
        try:
            prints = await binance.fetch_funding(self.fetcher, base)
        except SourceError as exc:
            self._lose(list(EXTRA_ROWS), f"binance: {exc.reason}")
            raise
        try:
            interest = await binance.fetch_open_interest(self.fetcher, base)
        except SourceError as exc:
            self._lose(["btc_oi"], f"binance: {exc.reason}")  # funding still counts
        else:
            if interest:
                now_oi = interest[-1]
                before = interest[-2].value_usdt if len(interest) > 1 else None
                self._keep(
                    "btc_oi",
                    Reading(
                        now_oi.value_usdt / 1e9,
                        (now_oi.value_usdt - before) / 1e9 if before is not None else None,
                        _pct(now_oi.value_usdt, before),
                        now_oi.time.date(),
                        now_oi.time,
                        "binance",
                        self.clock(),
                        detail=f"{now_oi.contracts:,.0f} BTC",
                    ),
                )
        if not prints:
            self._lose(["btc_funding"], "binance sent no readable funding print")
            raise SourceError("binance", "no readable funding print in the reply")
        else:
            last = prints[-1]
            prev = prints[-2] if len(prints) > 1 else None
            annual = last.rate * 3 * 365 * 100
            self._keep(
                "btc_funding",
                Reading(
                    last.rate * 100,
                    (last.rate - prev.rate) * 100 if prev else None,
                    None,
                    last.time.date(),
                    last.time,
                    "binance",
                    self.clock(),
                    detail=f"{annual:+.1f}%/yr",
                ),
            )

    async def _refresh_alternative_me(self) -> None:
        base = self.url("alternative_me", alternative_me.DEFAULT_BASE)
        self.state.crypto_fng = await alternative_me.fetch(self.fetcher, base, limit=31)
        self.state.fng_received["crypto"] = self.clock()

    async def _refresh_cnn(self) -> None:
        self.state.stock_fng = await cnn.fetch(self.fetcher, self.url("cnn", cnn.DEFAULT_BASE))
        self.state.fng_received["stock"] = self.clock()

    async def _refresh_fred(self) -> None:
        base = self.url("fred", fred.GRAPH_BASE)
        if self._key_lookup is not None:
            lookup, self._key_lookup = self._key_lookup, None
            self.fred_key = self.fred_key or await asyncio.to_thread(lookup)
        try:
            since = self.today() - timedelta(days=400)
            if self.fred_key:
                api = self.url("fred", fred.API_BASE)
                series = await fred.fetch_api(self.fetcher, self.fred_key, api, since=since)
            else:
                series = await fred.fetch_graph(self.fetcher, base, since=since)
        except SourceError as exc:
            self._lose(self._fred_assets(), f"fred: {exc.reason}")
            raise
        received = self.clock()
        by_id = {fred.SERIES[k]: v for k, v in series.items() if k in fred.SERIES}
        if self.store is not None:
            for asset_id, points in by_id.items():
                if asset_id in BY_ID:
                    self.store.add_history(asset_id, points)
        got: set[str] = set()

        def keep(
            asset_id: str, points: list[tuple[date, float]], detail: str | None = None
        ) -> None:
            reading = _last_close(points, "fred", received, with_pct=False, detail=detail)
            if reading is not None:
                self._keep(asset_id, reading)
                got.add(asset_id)

        for asset_id in ("ust2y", "hy_spread", "effr", "sofr", "iorb"):
            keep(asset_id, by_id.get(asset_id, []))
        if not self._yahoo_has("ust10y"):  # Yahoo's intraday 10Y is newer than FRED's print
            keep("ust10y", by_id.get("ust10y", []))
        else:
            got.add("ust10y")
        upper, lower = by_id.get("fed_target", []), dict(by_id.get("fed_target_lower", []))
        if upper:
            low = lower.get(upper[-1][0])
            keep("fed_target", upper, f"{low:.2f}–{upper[-1][1]:.2f}" if low is not None else None)
        spread = _spread(by_id.get("sofr", []), by_id.get("iorb", []))
        keep("sofr_iorb", spread)
        lost = [a for a in self._fred_assets() if a not in got]
        self._lose(lost, "fred sent no observation for it")
        if len(lost) == len(self._fred_assets()):
            raise SourceError("fred", "reply held none of the requested series")

    def _fred_assets(self) -> list[str]:
        tracked = set(self.tracked())
        return [a for a in FRED_ASSETS if a in tracked]

    def _stooq_holds(self, asset_id: str) -> bool:
        """Stooq's close, fetched within its interval, stands in while Yahoo stays silent: the
        row does not flip to stale between two Stooq fetches."""
        r = self.state.readings.get(asset_id)
        return (
            r is not None
            and r.source == "stooq"
            and asset_id not in self.state.missing
            and self.clock() - r.received < self.stooq_interval
        )

    def _fred_stands_in(self, asset_id: str) -> bool:
        """FRED's daily print serves an asset Yahoo did not answer for (the 10Y yield)."""
        r = self.state.readings.get(asset_id)
        return (
            asset_id in FRED_ASSETS
            and r is not None
            and r.source == "fred"
            and asset_id not in self.state.missing
        )

    def _yahoo_has(self, asset_id: str) -> bool:
        r = self.state.readings.get(asset_id)
        return r is not None and r.source == "yahoo" and asset_id not in self.state.missing

    async def _refresh_kalshi(self) -> None:
        base = self.url("kalshi", prediction_markets.KALSHI_BASE)
        self.state.markets["kalshi"] = await prediction_markets.fetch_kalshi(self.fetcher, base)

    async def _refresh_polymarket(self) -> None:
        base = self.url("polymarket", prediction_markets.POLYMARKET_BASE)
        self.state.markets["polymarket"] = await prediction_markets.fetch_polymarket(
            self.fetcher, base
        )

    async def _refresh_news(self) -> None:
        base = self.urls.get("news")
        results = await asyncio.gather(
            *(news.fetch_feed(self.fetcher, url, src, base) for url, src in news.MACRO_FEEDS),
            return_exceptions=True,
        )
        items = [i for r in results if isinstance(r, list) for i in r]
        errors = [r for r in results if isinstance(r, SourceError)]
        if items:
            seen: set[str] = set()
            unique = []
            for item in sorted(
                items, key=lambda i: i.published or datetime.min.replace(tzinfo=UTC), reverse=True
            ):
                if item.title.lower() not in seen:
                    seen.add(item.title.lower())
                    unique.append(item)
            self.state.headlines = unique[:200]
        if not items:
            raise errors[0] if errors else SourceError("news", "no feed held a headline")

    async def backfill(self) -> str | None:
        """A year of daily closes per tracked asset into the store, for the drill-down on
        today's data: Yahoo charts (one request per symbol, two at a time) and Binance daily
        candles for crypto (the bundled crypto history is those candles).

        Returns:
            None when every asset was filled, else one line on what was not.
        """
        store = self.store
        if store is None:
            return "no cache to fill"
        yahoo_base = self.url("yahoo", yahoo.QUERY_BASE)
        binance_base = self.url("binance", binance.SPOT_BASE)
        jobs: list[tuple[str, Any]] = []
        for symbol, asset_id in self.yahoo_symbols().items():
            if not asset_id.startswith("zq:") and symbol != "^TNX":
                jobs.append((asset_id, yahoo.fetch_chart(self.fetcher, symbol, yahoo_base)))
        for asset_id, pair in binance.SYMBOLS.items():
            if asset_id in self.tracked():
                jobs.append(
                    (asset_id, binance.fetch_daily_klines(self.fetcher, pair, binance_base))
                )
        semaphore = asyncio.Semaphore(2)
        failed: list[str] = []

        async def one(asset_id: str, job: Any) -> None:
            async with semaphore:
                try:
                    points = await job
                except Exception:  # a source's fault (or a parser's) skips this asset only
                    failed.append(asset_id)
                    return
            today = self.today()
            # Today's bar is the running session: the live quote keeps it current.
            store.add_history(asset_id, [(d, v) for d, v in points if d <= today])

        await asyncio.gather(*(one(a, j) for a, j in jobs))
        return f"no daily history for {', '.join(sorted(failed))}" if failed else None

    async def asset_headlines(self, asset_id: str) -> tuple[Headline, ...]:
        """Headlines about one asset: a Google News search for its name and, for symbols Yahoo
        quotes, Yahoo's headline feed. Kept with the macro headlines; a failing feed is skipped.
        """
        asset = BY_ID.get(asset_id)
        if asset is None:
            return self.headlines()
        base = self.urls.get("news")
        feeds: list[tuple[str, str | None]] = [(news.asset_feed(asset.name.split(" (")[0]), None)]
        if asset.asset_class.value != "crypto" and asset.unit is Unit.PRICE:
            feeds.append((news.YAHOO_HEADLINES.format(symbol=quote(asset.symbol)), "Yahoo Finance"))
        results = await asyncio.gather(
            *(news.fetch_feed(self.fetcher, url, src, base) for url, src in feeds),
            return_exceptions=True,
        )
        items = [i for r in results if isinstance(r, list) for i in r]
        known = {i.title.lower() for i in self.state.headlines}
        self.state.headlines += [i for i in items if i.title.lower() not in known]
        return self.headlines()

    def headlines(self) -> tuple[Headline, ...]:
        """The fetched headlines, for the drill-down (publish times from the feeds)."""
        return tuple(
            Headline(i.published, i.title, i.source or "news", i.url, "published")
            for i in self.state.headlines
            if i.published is not None
        )

    # -- cache ------------------------------------------------------------------------------

    def seed(self, doc: Mapping[str, Any], saved_at: float) -> None:
        """Start from a cached snapshot: it shows, marked stale, until each source answers.

        Raises:
            ValueError: When the document is not a snapshot riskpulse wrote.
        """
        from tui.snapshot_output import snapshot_from_json

        cached = snapshot_from_json(doc, datetime.fromtimestamp(saved_at, tz=UTC))
        self.state.cached_at = saved_at
        self.state.cached = cached
        reason = f"cached {_hhmm(saved_at)}; waiting for a refresh"
        for pane in (cached.indices, cached.crypto, cached.macro):
            for q in pane.quotes:
                if q.price is None:
                    continue
                high = None
                if q.from_high_pct is not None and q.from_high_pct > -100:
                    high = q.price / (1 + q.from_high_pct / 100)
                self.state.readings.setdefault(
                    q.id,
                    Reading(
                        q.price,
                        q.change,
                        q.change_pct,
                        q.as_of,
                        q.updated,
                        q.source,
                        saved_at,
                        high,
                        q.detail,
                        q.symbol,
                    ),
                )
                self.state.missing.setdefault(q.id, reason)

    # -- snapshot ---------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Every pane from what has been received so far."""
        now = self.clock()
        panes = {
            name: QuotePane(
                tuple(self.quote(a, now) for a in self.watchlists.get(name, ()) if a in BY_ID)
            )
            for name in ("indices", "crypto", "macro")
        }
        crypto = QuotePane((*panes["crypto"].quotes, *(self.quote(r, now) for r in EXTRA_ROWS)))
        risk = [self.quote(a, now) for a in RISK_ASSETS]
        fresh = [q for q in risk if not q.stale and q.price is not None]
        any_live = any(
            st.last_ok is not None for sid, st in self.state.status.items() if sid != "news"
        )
        if any_live:
            mode = Mode.LIVE
        else:
            mode = Mode.CACHED if self.state.cached_at is not None else Mode.OFFLINE
        return Snapshot(
            as_of=datetime.fromtimestamp(now, tz=UTC),
            mode=mode,
            day=self.today(),
            indices=self._pane_error(panes["indices"], ("yahoo", "stooq")),
            crypto=self._pane_error(crypto, ("coingecko", "binance")),
            macro=self._pane_error(panes["macro"], ("yahoo", "fred")),
            fedwatch=self.fedwatch(),
            fear_greed=self.fear_greed(),
            breadth=breadth_of(fresh, None),  # each risk asset on its own latest session
            sources=self.health(),
            saved_at=(
                datetime.fromtimestamp(self.state.cached_at, tz=UTC)
                if self.state.cached_at is not None
                else None
            ),
        )

    def health(self) -> tuple[SourceHealth, ...]:
        """Each source's state, for the header and the JSON."""
        return tuple(
            SourceHealth(
                sid,
                st.error is None and st.last_ok is not None,
                datetime.fromtimestamp(st.last_ok, tz=UTC) if st.last_ok else None,
                st.error,
                st.retry_after,
            )
            for sid, st in self.state.status.items()
        )

    def _pane_error(self, pane: QuotePane, sources: tuple[str, ...]) -> QuotePane:
        errors = []
        for sid in sources:
            st = self.state.status[sid]
            if st.error:
                cached_at = self.state.cached_at
                since = (
                    f"; last data {_hhmm(st.last_ok)} ({age_text(self.clock() - st.last_ok)} ago)"
                    if st.last_ok
                    else f"; showing the cache of {_hhmm(cached_at)}"
                    if cached_at is not None
                    else "; no data yet"
                )
                errors.append(f"{sid}: {st.error}{since}")
        return QuotePane(pane.quotes, "; ".join(errors) or None)

    def quote(self, asset_id: str, now: float | None = None) -> Quote:
        """One asset's quote from its latest reading, stale when the last refresh failed."""
        now = self.clock() if now is None else now
        row = BY_ID.get(asset_id) or EXTRA_ROWS[asset_id]
        name, symbol, unit = row.name, row.symbol, row.unit
        reading = self.state.readings.get(asset_id)
        missing = self.state.missing.get(asset_id)
        if reading is None:
            waiting = missing or "waiting for the first answer"
            return Quote.missing(row, self._expected_source(asset_id), waiting)
        reason = None
        if missing:
            reason = (
                f"{missing}; last data {_hhmm(reading.received)} "
                f"({age_text(now - reading.received)} ago)"
            )
        from_high = None
        high = reading.high_52w or self.highs.get(asset_id)
        if high and unit is Unit.PRICE and reading.price > 0:
            # The history's high is of closes before today: today's price may be above it.
            from_high = (reading.price / max(high, reading.price) - 1) * 100
        return Quote(
            asset_id,
            reading.symbol or symbol,
            name,
            reading.price,
            reading.change,
            reading.change_pct,
            reading.day,
            reading.source,
            stale=reason is not None,
            stale_reason=reason,
            from_high_pct=from_high,
            unit=unit,
            spark=self._spark(asset_id, reading),
            detail=reading.detail,
            updated=(
                reading.time
                if reading.time is not None
                else datetime.fromtimestamp(reading.received, tz=UTC)
            ),
        )

    def _expected_source(self, asset_id: str) -> str:
        if asset_id in ("btc", "eth", "sol"):
            return "coingecko"
        if asset_id in EXTRA_ROWS:
            return "binance"
        if asset_id in FRED_ASSETS and asset_id != "ust10y":
            return "fred"
        return "yahoo"

    def _spark(self, asset_id: str, reading: Reading) -> tuple[float, ...]:
        closes = self.sparks.get(asset_id, ())
        return (*closes[-(SPARK_POINTS - 1) :], reading.price) if closes else ()

    def load_sparks(self, history: Any) -> None:
        """Recent daily closes and the 52-week high from bundled + cached history, where it
        reaches to within a week of today (call off the UI thread)."""
        today = self.today()
        out: dict[str, tuple[float, ...]] = {}
        highs: dict[str, float] = {}
        for asset_id in self.tracked():
            if asset_id not in BY_ID:
                continue
            series = history.series(asset_id)
            i = series.index_at(today - timedelta(days=1))
            if i < 0 or (today - series.dates[i]).days > SPARK_MAX_GAP_DAYS:
                continue
            out[asset_id] = tuple(series.window(i, SPARK_POINTS - 1))
            year_ago = today - timedelta(days=365)
            j = series.index_at(year_ago)
            if series.dates[max(j, 0)] <= year_ago + timedelta(days=SPARK_MAX_GAP_DAYS):
                highs[asset_id] = max(series.values[max(j + 1, 0) : i + 1])
        self.sparks, self.highs = out, highs

    # -- Fed watch --------------------------------------------------------------------------

    def fedwatch(self) -> FedWatch:
        """Odds for the next meetings: futures by the CME method, else prediction markets."""
        meetings = self.upcoming_meetings()
        now = self.now()
        if not meetings:
            return FedWatch(
                error="the FOMC calendar riskpulse carries has run out; update riskpulse",
                source=None,
                as_of=now,
            )
        notes: list[str] = []
        if len(meetings) < MEETINGS_SHOWN:
            notes.append(f"the FOMC calendar ends at {meetings[-1]}: later meetings are not shown")
        beside = self._markets_by_meeting()
        effr = self.state.readings.get("effr")
        solved = fedwatch.solve(self.state.zq, meetings, effr.price if effr else None)
        today = self.today()
        if solved:
            rows = []
            for odds in solved:
                probs = odds.probabilities_bp
                rows.append(
                    self._with_changes(
                        FedMeeting(
                            odds.meeting,
                            probs,
                            implied_rate=round(odds.r_end, 4),
                            note=_beside_note(beside.get(odds.meeting, [])),
                        ),
                        today,
                        "futures",
                    )
                )
            yahoo_error = self.state.status["yahoo"].error
            stale = (
                f"futures prices of {_hhmm(self.state.zq_received)}; yahoo: {yahoo_error}"
                if yahoo_error and self.state.zq_received is not None
                else None
            )
            return FedWatch(
                tuple(rows),
                "CME FedWatch method on Yahoo 30-day fed funds futures (ZQ)",
                now,
                error=stale,
                notes=tuple(notes),
            )
        why = (
            f"Yahoo sent no price for {', '.join(self.state.zq_missing[:3])}"
            + ("…" if len(self.state.zq_missing) > 3 else "")
            if self.state.zq_missing
            else "no futures prices yet"
        )
        for market_source in ("kalshi", "polymarket"):
            markets = {m.meeting: m for m in self.state.markets.get(market_source, [])}
            if not markets:
                continue
            rows = []
            for meeting in meetings:
                if meeting not in markets:
                    continue
                others = [m for m in beside.get(meeting, []) if m.source != market_source]
                rows.append(
                    self._with_changes(
                        FedMeeting(
                            meeting, markets[meeting].probabilities, note=_beside_note(others)
                        ),
                        today,
                        market_source,
                    )
                )
            name = "Kalshi" if market_source == "kalshi" else "Polymarket"
            return FedWatch(
                tuple(rows),
                f"{name} prediction market (futures unavailable: {why})",
                now,
                notes=tuple(notes),
            )
        errors = [
            f"{sid}: {self.state.status[sid].error}"
            for sid in ("kalshi", "polymarket")
            if self.state.status[sid].error
        ]
        error = f"no odds: futures unavailable ({why})" + (
            f"; {'; '.join(errors)}" if errors else ""
        )
        cached = self.state.cached
        if cached is not None and cached.fedwatch.meetings and self.state.cached_at is not None:
            c = cached.fedwatch
            return FedWatch(
                c.meetings,
                c.source,
                c.as_of,
                error=f"showing the cached odds of {_hhmm(self.state.cached_at)}; {error}",
                notes=c.notes,
            )
        return FedWatch(
            tuple(FedMeeting(m) for m in meetings), None, now, error=error, notes=tuple(notes)
        )

    def _markets_by_meeting(self) -> dict[date, list[prediction_markets.MeetingMarket]]:
        out: dict[date, list[prediction_markets.MeetingMarket]] = {}
        for source in ("kalshi", "polymarket"):
            for m in self.state.markets.get(source, []):
                out.setdefault(m.meeting, []).append(m)
        return out

    def record_fed_odds(self) -> None:
        """Keep today's odds in the store, per method, for tomorrow's changes."""
        if self.store is None:
            return
        fw = self.fedwatch()
        key = _fed_key(fw.source)
        if key is None or fw.error:
            return  # nothing new (or cached odds standing in): no history to add
        for m in fw.meetings:
            if m.probabilities:
                self.store.add_fed_odds(key, m.date, self.today(), m.probabilities)

    def _with_changes(self, meeting: FedMeeting, today: date, key: str) -> FedMeeting:
        """Add the 1d/1w/1m changes from the odds of the same method on earlier days."""
        store = self.store
        if store is None or not meeting.probabilities:
            return meeting

        def change(days: int) -> dict[int, float]:
            past = store.fed_odds_before(key, meeting.date, today - timedelta(days=days - 1))
            if past is None:
                return {}
            return {
                k: round((v - past[k]) * 100, 2)
                for k, v in meeting.probabilities.items()
                if k in past
            }

        return FedMeeting(
            meeting.date,
            meeting.probabilities,
            change(1),
            change(7),
            meeting.implied_rate,
            meeting.note,
            change(30),
        )

    # -- fear & greed -----------------------------------------------------------------------

    def fear_greed(self) -> FearGreedPane:
        """Crypto (alternative.me) and stock (CNN) readings, with their age when stale."""
        out: list[FearGreed] = []
        errors: list[str] = []
        points = self.state.crypto_fng
        if points:
            last = points[-1]
            by_day = {p.day: p.value for p in points}
            out.append(
                FearGreed(
                    "crypto",
                    "Crypto",
                    last.value,
                    last.label,
                    by_day.get(last.day - timedelta(days=1)),
                    by_day.get(last.day - timedelta(days=7)),
                    last.day,
                    "alternative_me",
                )
            )
        s = self.state.stock_fng
        if s is not None:
            comps = tuple(
                (cnn_label, f"{value:,.2f} ({rating})" if value is not None else f"({rating})")
                for key, cnn_label in CNN_COMPONENT_NAMES
                if key in s.components
                for value, rating in [s.components[key]]
            )
            out.append(
                FearGreed(
                    "stock",
                    "Stock (CNN)",
                    s.score,
                    s.rating.title() if s.rating else None,
                    s.previous_close,
                    s.previous_1_week,
                    s.time.astimezone(NEW_YORK).date(),
                    "cnn",
                    comps,
                )
            )
        cached = self.state.cached
        for sid, name in (("alternative_me", "crypto"), ("cnn", "stock")):
            st = self.state.status[sid]
            when = self.state.fng_received.get(name)
            stand_in = None
            if when is None and cached is not None and self.state.cached_at is not None:
                stand_in = next((f for f in cached.fear_greed.indices if f.id == name), None)
                if stand_in is not None:
                    out.append(stand_in)
            if st.error:
                age = (
                    f"; showing the reading of {_hhmm(when)}"
                    if when
                    else f"; showing the cached reading of {_hhmm(self.state.cached_at)}"
                    if stand_in is not None and self.state.cached_at is not None
                    else "; no reading yet"
                )
                errors.append(f"{sid}: {st.error}{age}")
        out.sort(key=lambda f: f.id)
        return FearGreedPane(tuple(out), "; ".join(errors) or None)


CNN_COMPONENT_NAMES: tuple[tuple[str, str], ...] = (
    ("market_momentum_sp500", "S&P 500 level"),
    ("stock_price_strength", "price strength"),
    ("stock_price_breadth", "price breadth"),
    ("put_call_options", "put/call"),
    ("market_volatility_vix", "VIX"),
    ("junk_bond_demand", "junk bond demand"),
    ("safe_haven_demand", "safe-haven demand"),
)


def _fed_key(source: str | None) -> str | None:
    """Which method a Fed-watch source line names: changes compare like with like."""
    if source is None:
        return None
    if source.startswith("CME"):
        return "futures"
    return "kalshi" if source.startswith("Kalshi") else "polymarket"


def _beside_note(markets: list[prediction_markets.MeetingMarket]) -> str | None:
    parts = []
    for m in markets:
        name = "Kalshi" if m.source == "kalshi" else "Polymarket"
        odds = ", ".join(
            f"{'hold' if k == 0 else f'{k:+d}bp'} {v * 100:.0f}%"
            for k, v in sorted(m.probabilities.items())
            if v >= 0.005
        )
        parts.append(f"{name}: {odds}")
    return "; ".join(parts) or None


def _spread(a: list[tuple[date, float]], b: list[tuple[date, float]]) -> list[tuple[date, float]]:
    """SOFR − IORB in bp on the days both printed."""
    other = dict(b)
    return [(d, round((v - other[d]) * 100, 6)) for d, v in a if d in other]
