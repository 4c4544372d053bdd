"""`riskpulse sources --check` asks each source exactly what its live fetch asks, so a passing
check means that source's quotes will load. Both run against `httpx.MockTransport` on the APIs'
own hosts (no URL override, which would hide a check sent to the wrong host), answered with the
recorded responses where there are some (404 elsewhere: the URL asked is what is compared)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from tests.loopback import FIXTURES, ROUTES, fred_batch, yahoo_batch
from tui import live_session
from tui.cli import main
from tui.config import load
from tui.sources import base
from tui.sources.live import REFRESHED
from tui.sources_report import LISTED

NOW = datetime(2026, 2, 10, 15, tzinfo=UTC).timestamp()
"""A Tuesday in New York trading hours, inside the FOMC calendar."""
HOSTS = {
    "fc.yahoo.com": "yahoo",
    "query1.finance.yahoo.com": "yahoo",
    "cdn.cboe.com": "cboe",
    "stooq.com": "stooq",
    "api.coingecko.com": "coingecko",
    "api.binance.com": "binance",
    "fapi.binance.com": "binance",
    "api.alternative.me": "alternative_me",
    "production.dataviz.cnn.io": "cnn",
    "fred.stlouisfed.org": "fred",
    "api.stlouisfed.org": "fred",
    "www.cmegroup.com": "cme",
    "api.elections.kalshi.com": "kalshi",
    "gamma-api.polymarket.com": "polymarket",
    "www.federalreserve.gov": "news",
    "www.coindesk.com": "news",
    "news.google.com": "news",
}
"""The APIs' own hosts, by source (written out here, not read from the code under test)."""


def recorder(asked: dict[str, list[str]]) -> httpx.MockTransport:
    """A transport that notes every URL by source and answers as the loopback server does."""

    def answer(request: httpx.Request) -> httpx.Response:
        source = HOSTS.get(request.url.host)
        assert source is not None, f"a request to an unknown host: {request.url}"
        asked[source].append(str(request.url))
        path, query = request.url.path, parse_qs(request.url.query.decode())
        if path == "/v7/finance/quote":
            symbols = ",".join(query.get("symbols", [])).split(",")
            return httpx.Response(200, content=yahoo_batch(symbols))
        if path == "/graph/fredgraph.csv":
            ids = ",".join(query.get("id", [])).split(",")
            return httpx.Response(
                200, content=fred_batch(ids), headers={"content-type": "text/csv"}
            )
        if path == "/" and source == "yahoo":
            return httpx.Response(200, text="")  # the consent cookie: any answer will do
        route = ROUTES.get(path)
        if route is None or route[0] != source or path == "/q/d/l/":
            return httpx.Response(404, text="Not Found")
        body = (FIXTURES / route[1]).read_bytes()
        return httpx.Response(200, content=body, headers={"content-type": route[2]})

    return httpx.MockTransport(answer)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No config file (the defaults), no URL override, no key unless a test sets one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "config.toml"
    monkeypatch.setenv("RISKPULSE_CONFIG", str(path))
    for sid in LISTED:
        monkeypatch.delenv(f"RISKPULSE_{sid.upper()}_URL", raising=False)
        monkeypatch.delenv(f"RISKPULSE_{sid.upper()}_KEY", raising=False)
    return path


async def _live_urls(config: Path) -> dict[str, list[str]]:
    """Every URL one refresh of each live source asks (Yahoo first, as on start), with Yahoo's
    fallbacks run for the assets it did not answer."""
    asked: dict[str, list[str]] = defaultdict(list)
    cfg = load(config)
    session = live_session.start(cfg, lambda: NOW, retries=0, transport=recorder(asked))
    try:
        for source in REFRESHED:
            await session.live.refresh(source)
    finally:
        await session.close()
    return asked


@pytest.mark.parametrize("keyed", [False, True], ids=["keyless", "with FRED and Stooq keys"])
def test_the_check_asks_exactly_what_the_live_fetch_asks(
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keyed: bool,
) -> None:
    if keyed:
        monkeypatch.setenv("RISKPULSE_FRED_KEY", "f" * 32)
        monkeypatch.setenv("RISKPULSE_STOOQ_KEY", "s" * 32)
    live = asyncio.run(_live_urls(config))
    checked: dict[str, list[str]] = defaultdict(list)
    real, mock = base.make_client, recorder(checked)

    def client(timeout: float = 10.0, transport: object = None) -> httpx.AsyncClient:
        return real(timeout, transport=mock)

    monkeypatch.setattr(base, "make_client", client)
    main(["sources", "--check"], clock=lambda: NOW)  # the command as a user runs it
    out = capsys.readouterr().out
    assert set(checked) == set(LISTED), out
    wrong = {s: [u for u in checked[s] if u not in live[s]] for s in LISTED}
    assert not any(wrong.values()), {s: urls for s, urls in wrong.items() if urls}
    if keyed:
        assert any("apikey=" + "s" * 32 in u for u in checked["stooq"])
        assert all(u.startswith("https://api.stlouisfed.org/") for u in checked["fred"])
        assert "s" * 32 not in out and "f" * 32 not in out
    # Each verdict names the endpoints asked (never the query, which may hold a key).
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert sorted(lines) == sorted(LISTED)
    assert lines["binance"].endswith("[https://fapi.binance.com/fapi/v1/fundingRate]")
    assert "https://cdn.cboe.com/api/global/delayed_quotes/quotes/_SPX.json" in lines["cboe"]
