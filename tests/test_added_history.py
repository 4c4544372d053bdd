"""A year of daily history for the symbols a user added, fetched into the cache: by the round
backfill for every tracked symbol, and for one symbol at once when its drill-down opens.

Against the loopback server only. No recording holds a year of any added symbol, so each test
that needs one serves a stand-in and says what it is: NVDA's bundled closes in the recorded
AAPL chart's envelope for AAPL, the recorded BTC `market_chart` (60 days, hourly) under
dogecoin's path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.loopback import FIXTURES, Server, chart_stand_in, serving
from tests.test_live import FakeTime, live_source
from tui.assets import unregister_users
from tui.history import History, MergedHistory
from tui.sources.coingecko import parse_market_chart
from tui.store import Store
from tui.watchlist import install

DAY = date(2025, 2, 14)
"""The day of the recorded AAPL quote."""
NOW = datetime(2025, 2, 14, 21, 30, tzinfo=UTC).timestamp()
MARKET_CHART = "market_chart_bitcoin_usd_days60_2023-01-19.pretty.json"


@pytest.fixture(autouse=True)
def _symbols() -> Iterator[None]:
    unregister_users()
    install(
        {
            "AAPL": {
                "source": "yahoo",
                "name": "Apple Inc.",
                "class": "single stock",
                "region": "us",
                "tz": "America/New_York",
            },
            "coingecko:dogecoin": {
                "source": "coingecko",
                "name": "Dogecoin",
                "ticker": "DOGE",
                "class": "crypto",
                "region": "global",
                "tz": "UTC",
            },
        }
    )
    yield
    unregister_users()


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as srv:
        yield srv


def nvda_year(end: date = DAY) -> list[tuple[date, float]]:
    """NVDA's bundled year to `end`: the stand-in served as AAPL's chart."""
    series = History().series("nvda")
    i = series.index_at(end)
    return list(zip(series.dates[i - 251 : i + 1], series.values[i - 251 : i + 1], strict=True))


def test_coingecko_daily_chart_gives_each_utc_days_last_price() -> None:
    payload = json.loads((FIXTURES / MARKET_CHART).read_text())
    closes = parse_market_chart(payload)
    assert closes[0][0] == date(2022, 11, 20) and closes[-1][0] == date(2023, 1, 19)
    assert len(closes) == len({d for d, _ in closes}) == 61
    last_of_day = {}
    for stamp, price in payload["prices"]:
        last_of_day[datetime.fromtimestamp(stamp / 1000, tz=UTC).date()] = price
    assert dict(closes) == last_of_day  # hourly stamps: none falls on midnight exactly
    # Past 90 days the points are stamped 00:00 UTC: each is the close of the day before.
    daily = {"prices": [[1700006400000, 36500.5], [1700092800000, 35550.0]]}
    assert parse_market_chart(daily) == [
        (date(2023, 11, 14), 36500.5),
        (date(2023, 11, 15), 35550.0),
    ]


async def test_one_added_stock_is_filled_from_its_chart(server: Server, tmp_path: Path) -> None:
    year = nvda_year()
    server.stand_ins["/v8/finance/chart/AAPL"] = chart_stand_in("AAPL", year)
    store = Store(tmp_path / "c.sqlite3")
    clock = FakeTime()
    clock.wall = NOW
    async with live_source(server, clock, store) as live:
        live.load_history(MergedHistory(History(), store.merged))
        assert live.history is not None and len(live.history.series("aapl")) == 0
        assert await live.backfill_asset("aapl") is None
        # The panes' history reads the new days at once (sparkline, 52-week high, σ column).
        assert len(live.history.series("aapl")) == len(year)
    assert store.history("aapl") == year
    charts = [p for _, p in server.requests if p.startswith("/v8/finance/chart/")]
    assert charts == ["/v8/finance/chart/AAPL?range=1y&interval=1d"]  # that symbol only
    store.close()


async def test_a_failed_fill_is_one_line_naming_the_source(server: Server, tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    async with live_source(server, FakeTime(), store) as live:
        why = await live.backfill_asset("aapl")  # no chart of AAPL is served: 404
    assert why is not None and why.startswith("Yahoo chart: ") and "404" in why
    assert "\n" not in why and store.history("aapl") == []
    store.close()


async def test_the_round_backfill_covers_the_symbols_in_the_panes(
    server: Server, tmp_path: Path
) -> None:
    year = nvda_year()
    server.stand_ins["/v8/finance/chart/AAPL"] = chart_stand_in("AAPL", year)
    store = Store(tmp_path / "c.sqlite3")
    async with live_source(server, FakeTime(), store) as live:
        live.watchlists["indices"] = ("sp500", "aapl")
        await live.backfill()
    assert store.history("aapl") == year
    store.close()


async def test_an_added_coin_is_filled_from_coingecko_then_its_binance_pair(
    server: Server, tmp_path: Path
) -> None:
    body = (FIXTURES / MARKET_CHART).read_bytes()  # BTC's recorded chart, as dogecoin's
    server.stand_ins["/api/v3/coins/dogecoin/market_chart"] = body
    store = Store(tmp_path / "c.sqlite3")
    async with live_source(server, FakeTime(), store) as live:
        assert await live.backfill_asset("cg-dogecoin") is None
        assert store.history("cg-dogecoin") == parse_market_chart(json.loads(body))
        asked = [p for _, p in server.requests if "market_chart" in p]
        assert asked == [
            "/api/v3/coins/dogecoin/market_chart?vs_currency=usd&days=365&interval=daily"
        ]
        # CoinGecko failing: its Binance USDT pair is tried (the loopback knows only BTCUSDT).
        server.faults["coingecko"] = "500"
        why = await live.backfill_asset("cg-dogecoin")
    assert why is not None
    assert why.startswith("CoinGecko daily chart: ") and "; Binance DOGEUSDT daily candles: " in why
    assert any("symbol=DOGEUSDT" in p for _, p in server.requests)
    store.close()


def test_a_history_is_short_of_a_year_when_it_starts_late_or_stops_early() -> None:
    from tui.history import Series, short_of_a_year

    year = nvda_year()
    days, values = tuple(d for d, _ in year), tuple(v for _, v in year)
    full = Series("aapl", days, values)
    assert not short_of_a_year(full, DAY)
    assert short_of_a_year(Series("aapl", (), ()), DAY)
    assert short_of_a_year(Series("aapl", days[60:], values[60:]), DAY)  # from ~10 months back
    # A year that stops weeks before the day (the app was not run): the gap is fetched too.
    assert short_of_a_year(Series("aapl", (*days[:-20], DAY), (*values[:-20], 244.6)), DAY)


# -- riskpulse explain SYMBOL, live -----------------------------------------------------------

SYMBOL_CONFIG = """\
[symbols."AAPL"]
source = "yahoo"
name = "Apple Inc."
class = "single stock"
region = "us"
tz = "America/New_York"
"""


@pytest.fixture
def live_env(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Server:
    from tui.sources import SOURCE_IDS

    for sid in SOURCE_IDS:
        monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", server.url)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("RISKPULSE_CONFIG", str(tmp_path / "config.toml"))
    return server


def explain_json(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, object], str]:
    from tui.cli import main

    code = main(["explain", *args, "--format", "json"], clock=lambda: NOW)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


@pytest.mark.parametrize("in_a_pane", [True, False])
def test_explain_an_added_symbol_live_fetches_its_year_then_sizes_and_attributes_it(
    live_env: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str], in_a_pane: bool
) -> None:
    year = nvda_year()  # NVDA's year in the recorded chart's envelope, as AAPL's
    live_env.stand_ins["/v8/finance/chart/AAPL"] = chart_stand_in("AAPL", year)
    panes = '[watchlists]\nindices = ["sp500", "AAPL"]\n\n' if in_a_pane else ""
    (tmp_path / "config.toml").write_text("timeout = 5\n\n" + panes + SYMBOL_CONFIG)
    code, doc, err = explain_json(capsys, "AAPL")
    assert code == 0 and "Traceback" not in err and doc["asset"] == "aapl"
    move = doc["move"]
    assert isinstance(move, dict) and move["sigma"] is not None
    drivers = doc["drivers"]
    assert isinstance(drivers, list)
    assert [(d["id"], d["kind"]) for d in drivers][-1] == ("nasdaq100", "market")
    charts = [p for _, p in live_env.requests if p.startswith("/v8/finance/chart/AAPL")]
    assert len(charts) == 1  # on its own, never again by the round
    store = Store(tmp_path / "cache" / "riskpulse" / "cache.sqlite3")
    assert store.history("aapl")[0][0] == year[0][0]
    store.close()


def test_explain_an_added_symbol_live_without_its_chart_says_how_little_it_has(
    live_env: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    panes = '[watchlists]\nindices = ["sp500", "AAPL"]\n\n'
    (tmp_path / "config.toml").write_text(panes + SYMBOL_CONFIG)  # no chart of AAPL: 404
    code, doc, err = explain_json(capsys, "AAPL")
    assert code == 0 and "Traceback" not in err
    assert "riskpulse: no daily history fetched for aapl: Yahoo chart: " in err
    narrative = doc["narrative"]
    assert isinstance(narrative, list)
    # The cache holds the recorded quote's close alone.
    assert (
        "the history starts too late for this horizon (1 daily close from 2025-02-14)"
        in (narrative[0])
    )
