"""A loopback HTTP server that answers the real API paths with the recorded responses.

Every source's base URL is pointed at it (`RISKPULSE_<ID>_URL`), so riskpulse runs end to end
against recorded bytes. Two answers are assembled from recorded parts, because no recording holds
the exact batch riskpulse asks for: Yahoo's v7 batch is the recorded `result` rows of the symbols
asked for, and FRED's multi-series CSV is the recorded single-series files joined on their dates.
Anything without a recording answers 404.

No recording holds a year of daily closes of a single stock or an added coin, so a test that needs
one sets a stand-in per path (`server.stand_ins`): `chart_stand_in` wraps real closes of another
series (a bundled file) in the recorded AAPL chart's envelope, and the test names what stands in
for what. Nothing is served from `stand_ins` unless a test put it there.

Faults are switched on per source id (`server.faults["yahoo"] = "500"`) to check that riskpulse
reports them and recovers once they clear. `FAULTS` are the ones every live test knows;
`HOSTILE_FAULTS` add what a hostile network does (a 1-byte-per-second trickle, redirect loops, a
bad gzip body, 50 MB, invalid UTF-8, non-finite numbers, Stooq's proof-of-work page…). Those are
built from the recorded body where there is one (cut, re-typed, re-encoded); the proof-of-work
page is only known by its shape (an HTML page with HTTP 200 saying the site requires JavaScript to
verify the browser, posting to `/__verify`), so its bytes here are a stand-in of that shape.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from tests.hostile import EVIL, HOSTILE_FAULTS, POW_PAGE, answer, inject

__all__ = [
    "EVIL",
    "FAULTS",
    "FIXTURES",
    "HOSTILE_FAULTS",
    "POW_PAGE",
    "Server",
    "inject",
    "serving",
]

FIXTURES = Path(__file__).parent / "fixtures"

YAHOO_QUOTES = (
    "quote_v7_GC=F.json",
    "quote_v7_AAPL,BABA.json",
    "quote_v7_BTC-USD.json",
    "quote_v7_EURUSD=X.json",  # an FX pair and an index, for symbols a user adds
    "quote_v7_^VXAPL.json",
)
FRED_FILES = {
    "SOFR": "fred_SOFR_head_with_blank_holidays_renamed_header.csv",
    "DGS10": "fred_DGS10_holiday_week_2025-07.csv",
}
ROUTES: dict[str, tuple[str, str, str]] = {
    "/v1/test/getcrumb": ("yahoo", "getcrumb_200.txt", "text/plain"),
    "/api/v3/coins/markets": (
        "coingecko",
        "coins_markets_bitcoin,ethereum,solana_usd_pcp_all_2026-04-27.json",
        "application/json",
    ),
    "/api/v3/ticker/24hr": (
        "binance",
        "spot_ticker_24hr_BTCUSDT_2021-10-22.pretty.json",
        "application/json",
    ),
    "/fapi/v1/fundingRate": (
        "binance",
        "futures_fundingRate_BTCUSDT_limit3_2026-09-15.json",
        "application/json",
    ),
    "/futures/data/openInterestHist": (
        "binance",
        "futures_openInterestHist_BTCUSDT_5m_first_element_2026-09-15.json",
        "application/json",
    ),
    "/fng/": ("alternative_me", "alternative_me_fng_limit2.json", "application/json"),
    "/index/fearandgreed/graphdata": ("cnn", "cnn_fear_greed_graphdata.json", "application/json"),
    "/CmeWS/mvc/Settlements/Futures/Settlements/305/FUT": (
        "cme",
        "cme_settlements_305_20260918.json",
        "application/json",
    ),
    "/trade-api/v2/events": (
        "kalshi",
        "kalshi_events_kxfeddecision_open_nested.json",
        "application/json",
    ),
    "/events": (
        "polymarket",
        "polymarket_gamma_event_fed_decision_october_2026.json",
        "application/json",
    ),
    "/feeds/press_monetary.xml": (
        "news",
        "fed_press_monetary_rss_excerpt_2026-09-25.xml",
        "application/rss+xml",
    ),
    "/arc/outboundfeeds/rss/": ("news", "coindesk_rss_excerpt_2026-09-25.xml", "text/xml"),
    "/rss/search": ("news", "google_news_rss_search_ko_excerpt_2026-09-27.xml", "text/xml"),
    "/rss/2.0/headline": ("news", "yahoo_rss_headline_7203T_excerpt_2026-09-27.xml", "text/xml"),
    "/q/d/l/": ("stooq", "daily_spy.us_i=d_2018-02-26_to_2026-02-09.csv", "text/csv"),
    "/v8/finance/chart/GC=F": ("yahoo", "chart_v8_GC=F_1d.json", "application/json"),
    "/api/v3/klines": (
        "binance",
        "spot_klines_BTCUSDT_1m_2021-10-22.pretty.json",
        "application/json",
    ),
    "/api/global/european_indices/index_quotes/all-indices.json": (
        "cboe",
        "european_indices_all-indices_20240627.json",
        "application/json",
    ),
}
SOURCE_OF_PATH = {path: route[0] for path, route in ROUTES.items()} | {
    "/v7/finance/quote": "yahoo",
    "/": "yahoo",
    "/graph/fredgraph.csv": "fred",
}
FAULTS = ("429", "429-retry-after", "500", "hang", "html", "truncated", "nulls")
CBOE_VIX_PATH = "/api/global/delayed_quotes/quotes/_VIX.json"
CBOE_VIX_SHAPE = {
    "timestamp": "2026-08-13 05:09:05",
    "data": {"symbol": "^VIX", "current_price": 14.55, "last_trade_time": "2026-08-12T16:15:01"},
    "symbol": "_VIX",
}
"""Only the shape of Cboe's US quotes is known (PROVENANCE-cboe.md quotes a trimmed `_VIX.json`
with these fields): no full US reply was recorded. A test that needs Cboe to answer serves it as a
stand-in (`server.stand_ins[CBOE_VIX_PATH]`) and says so."""


def yahoo_echo(symbols: list[str]) -> bytes:
    """Every symbol asked for, each answered with the recorded AAPL row with only `symbol`
    changed: not a real quote of those symbols, a stand-in of the recorded shape for load
    tests (benchmarks/watchlist.py) where what matters is batch size and parsing cost."""
    doc = json.loads((FIXTURES / "quote_v7_AAPL,BABA.json").read_text())
    template = doc["quoteResponse"]["result"][0]
    rows = [{**template, "symbol": s} for s in symbols if s]
    return json.dumps({"quoteResponse": {"result": rows, "error": None}}).encode()


def yahoo_batch(symbols: list[str]) -> bytes:
    """The recorded v7 rows of the symbols asked for, in one quoteResponse."""
    rows = []
    for name in YAHOO_QUOTES:
        doc = json.loads((FIXTURES / name).read_text())
        rows += [r for r in doc["quoteResponse"]["result"] if r.get("symbol") in symbols]
    return json.dumps({"quoteResponse": {"result": rows, "error": None}}).encode()


def chart_stand_in(
    symbol: str, closes: Sequence[tuple[date, float]], tz: str = "America/New_York"
) -> bytes:
    """A `/v8/finance/chart` reply of daily bars carrying `closes` under `symbol`: the recorded
    AAPL chart's envelope (meta, events, indicator keys), its bars replaced, each stamped at
    09:30 in the exchange's time zone as Yahoo stamps daily bars. Not a recording of `symbol`:
    the closes come from elsewhere, which the test using it says."""
    doc = json.loads((FIXTURES / "chart_v8_AAPL_1d_2020-08-31_2020-11-07_split.json").read_text())
    result = doc["chart"]["result"][0]
    zone = ZoneInfo(tz)
    stamps = [int(datetime.combine(d, time(9, 30), zone).timestamp()) for d, _ in closes]
    values = [v for _, v in closes]
    result["meta"].update(
        {
            "symbol": symbol,
            "exchangeTimezoneName": tz,
            "range": "1y",
            "regularMarketPrice": values[-1],
        }
    )
    result["timestamp"] = stamps
    result["events"] = {}
    result["indicators"] = {
        "quote": [
            {
                "close": values,
                "open": values,
                "high": values,
                "low": values,
                "volume": [0] * len(values),
            }
        ],
        "adjclose": [{"adjclose": values}],
    }
    return json.dumps(doc).encode()


def fred_batch(ids: list[str]) -> bytes:
    """The recorded single-series fredgraph files joined on their dates (blank where absent)."""
    columns: dict[str, dict[str, str]] = {}
    for series_id in ids:
        if series_id not in FRED_FILES:
            continue
        reader = csv.reader(io.StringIO((FIXTURES / FRED_FILES[series_id]).read_text()))
        next(reader)
        columns[series_id] = {row[0]: row[1] for row in reader if len(row) >= 2}
    days = sorted({d for col in columns.values() for d in col})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["observation_date", *columns])
    for d in days:
        writer.writerow([d, *(col.get(d, "") for col in columns.values())])
    return out.getvalue().encode()


def _nulls(body: bytes) -> bytes:
    """The same JSON with every number replaced by null."""

    def walk(value: object) -> object:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return None
        if isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit():
            return None  # Binance and alternative.me send numbers as strings
        return value

    return json.dumps(walk(json.loads(body))).encode()


class Server(ThreadingHTTPServer):
    """The loopback server; `faults` maps a source id to one of FAULTS."""

    daemon_threads = True
    request_queue_size = 128  # start-up opens a dozen connections at once: no refused connects

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.faults: dict[str, str] = {}
        self.requests: list[tuple[str, str]] = []
        self.release = threading.Event()
        self.echo_symbols = False
        """When True, v7 quotes answer every symbol asked for (`yahoo_echo`)."""
        self.stand_ins: dict[str, bytes] = {}
        """JSON bodies a test serves at a path with no recording (`chart_stand_in`)."""

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        parts = parts._replace(path=unquote(parts.path))
        query = parse_qs(parts.query)
        source = SOURCE_OF_PATH.get(parts.path)
        if source is None and parts.path.startswith("/v8/finance/chart/"):
            source = "yahoo"
        if source is None and parts.path.startswith("/api/v3/coins/"):
            source = "coingecko"
        if source is None and parts.path.startswith("/api/global/delayed_quotes/"):
            source = "cboe"  # no recording of the US quotes: 404, the fault still applies
        self.server.requests.append((source or "?", self.path))
        body, ctype, status = self._answer(parts.path, query)
        fault = self.server.faults.get(source or "")
        headers: dict[str, str] = {}
        if fault == "hang":
            self.server.release.wait(10)
            return
        if fault in HOSTILE_FAULTS and answer(self, fault, body, ctype, status):
            return
        if fault in ("429", "429-retry-after"):
            status, body, ctype = 429, b"Too Many Requests", "text/plain"
            if fault == "429-retry-after":
                headers["Retry-After"] = "2"
        elif fault == "500":
            status, body, ctype = 500, b"Internal Server Error", "text/plain"
        elif fault == "html":
            status, ctype = 200, "text/html"
            body = b"<!DOCTYPE html><html><body>This site requires JavaScript</body></html>"
        elif fault == "truncated" and status == 200:
            body = body[: len(body) // 2]
        elif fault == "nulls" and status == 200 and ctype == "application/json":
            body = _nulls(body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", headers.pop("length", str(len(body))))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, path: str, query: dict[str, list[str]]) -> tuple[bytes, str, int]:
        if path in self.server.stand_ins:
            return self.server.stand_ins[path], "application/json", 200
        if path == "/v7/finance/quote":
            symbols = ",".join(query.get("symbols", [])).split(",")
            if self.server.echo_symbols:
                return yahoo_echo(symbols), "application/json", 200
            return yahoo_batch(symbols), "application/json", 200
        if path == "/graph/fredgraph.csv":
            ids = ",".join(query.get("id", [])).split(",")
            return fred_batch(ids), "text/csv", 200
        if path == "/q/d/l/" and query.get("s") != ["spy.us"]:
            return b"Not Found", "text/plain", 404
        if path == "/api/v3/klines" and query.get("symbol") != ["BTCUSDT"]:
            return b'{"code":-1121,"msg":"Invalid symbol."}', "application/json", 400
        route = ROUTES.get(path)
        if route is None:
            return b"Not Found", "text/plain", 404
        return (FIXTURES / route[1]).read_bytes(), route[2], 200


@contextmanager
def serving() -> Iterator[Server]:
    """Run the server in a thread for the duration of the block."""
    server = Server()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
