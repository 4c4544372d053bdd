"""Injection matrix: OSC/CSI/DCS, bidi, zero-width and markup through every text field of every
parser, and through `snapshot` and `explain` end to end: no ESC byte (nor any control or format
character) reaches the output."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hostile import EVIL, inject
from tests.loopback import FIXTURES, Server, serving
from tui.cli import main
from tui.sources import SOURCE_IDS, alternative_me, binance, cnn, coingecko, fred, news, yahoo
from tui.sources.base import SourceError

NOW = 1_759_752_000.0  # 2025-10-06 12:00 UTC


def texts(value: Any) -> Iterator[str]:
    """Every string inside a parser's result."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from texts(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from texts(k)
            yield from texts(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from texts(v)


def inert(text: str) -> bool:
    return not any(unicodedata.category(c) in ("Cc", "Cf") for c in text if c != "\n")


def feed_case(name: str) -> Callable[[], Any]:
    return lambda: news.parse(inject((FIXTURES / name).read_bytes(), "text/xml"))


def json_case(parser: Callable[[Any], Any], name: str) -> Callable[[], Any]:
    return lambda: parser(json.loads(inject((FIXTURES / name).read_bytes(), "application/json")))


PARSERS: dict[str, Callable[[], Any]] = {
    "yahoo quotes": json_case(yahoo.parse_quotes, "quote_v7_AAPL,BABA.json"),
    "yahoo chart": json_case(yahoo.parse_chart, "chart_v8_GC=F_1d.json"),
    "yahoo error": json_case(yahoo.parse_chart, "chart_v8_SI_404_delisted.json"),
    "coingecko": json_case(
        coingecko.parse_markets, "coins_markets_bitcoin,ethereum,solana_usd_pcp_all_2026-04-27.json"
    ),
    "coingecko error": json_case(coingecko.parse_markets, "error_429_rate_limit.json"),
    "binance tickers": json_case(
        binance.parse_tickers, "spot_ticker_24hr_BTCUSDT_2021-10-22.pretty.json"
    ),
    "binance error": json_case(binance.parse_tickers, "error_-1121_invalid_symbol.json"),
    "binance funding": json_case(
        binance.parse_funding, "futures_fundingRate_BTCUSDT_limit3_2026-09-15.json"
    ),
    "alternative_me": json_case(alternative_me.parse, "alternative_me_fng_limit2.json"),
    "cnn": json_case(cnn.parse, "cnn_fear_greed_graphdata.json"),
    "fred api": json_case(fred.parse_api, "fred_api_series_observations_UNRATE_single.json"),
    "fred api error": json_case(fred.parse_api, "fred_api_error_400_realtime_end.json"),
    "fred csv": lambda: fred.parse_fredgraph(
        inject((FIXTURES / "fred_DGS10_holiday_week_2025-07.csv").read_bytes(), "text/csv").decode()
    ),
    **{
        f"news {name[:12]}": feed_case(name)
        for name in (
            "coindesk_rss_excerpt_2026-09-25.xml",
            "google_news_rss_search_ko_excerpt_2026-09-27.xml",
            "fed_press_monetary_rss_excerpt_2026-09-25.xml",
            "yahoo_rss_headline_7203T_excerpt_2026-09-27.xml",
        )
    },
}


@pytest.mark.parametrize("case", sorted(PARSERS))
def test_no_escape_survives_a_parser(case: str) -> None:
    try:
        result = PARSERS[case]()
    except SourceError as exc:
        result = [exc.reason, str(exc)]
    found = list(texts(result))
    assert all(inert(t) for t in found), [t for t in found if not inert(t)][:3]


@pytest.fixture
def hostile_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with serving() as server:
        for sid in SOURCE_IDS:
            monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", server.url)
            server.faults[sid] = "inject"
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        config = tmp_path / "config.toml"
        config.write_text("timeout = 5\n")
        monkeypatch.setenv("RISKPULSE_CONFIG", str(config))
        yield server


@pytest.mark.parametrize(
    "argv",
    [
        ["snapshot", "--format", "table"],
        ["snapshot", "--format", "json"],
        ["explain", "btc", "--format", "text"],
    ],
    ids=" ".join,
)
def test_no_escape_reaches_the_output(
    hostile_env: Server, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv, clock=lambda: NOW)
    out, err = capsys.readouterr()
    assert code in (0, 1)
    assert "\x1b" not in out and "\x1b" not in err and "\x9b" not in out
    assert inert(out.replace("\t", " ")) and inert(err)
    assert "\u202e" not in out and EVIL[:5] not in out


async def test_no_escape_reaches_the_dashboard(history: Any, tmp_path: Path) -> None:
    """The live dashboard, every source injected: what Textual paints holds no escape."""
    from tests.test_app import dashboard, live_app, wait_until

    with serving() as server:
        for sid in SOURCE_IDS:
            server.faults[sid] = "inject"
        app = live_app(history, tmp_path, server.url)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: dashboard(app).live_snapshot is not None)
            await app.workers.wait_for_complete()
            await pilot.pause()
            screens = [app.export_screenshot()]
            await pilot.press("enter")  # the drill-down of the selected row, with headlines
            await pilot.pause(0.5)
            screens.append(app.export_screenshot())
    assert any("x[/]" in svg for svg in screens)  # the injected text is shown, inert
    for svg in screens:
        assert "\x1b" not in svg and "&#27;" not in svg and "\x9b" not in svg
        assert "\u202e" not in svg and "\u200d" not in svg
