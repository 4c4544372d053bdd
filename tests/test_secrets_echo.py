"""A server that echoes the request (key included) in a 200 error body: the key reaches neither
an error line, the snapshot, nor any byte of the cache."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tui.sources import fred
from tui.sources.base import Fetcher, SourceError
from tui.sources.live import LiveSource
from tui.store import Store

SECRET = "abcdef0123456789abcdef0123456789"  # the 32-character shape of a FRED key


def echo(request: httpx.Request) -> httpx.Response:
    """FRED's error envelope (recorded shape, `fred_api_error_400_realtime_end.json`), its
    message echoing the whole request as a hostile or careless server would."""
    body = {"error_code": 400, "error_message": f"Bad Request. You asked for {request.url}"}
    return httpx.Response(200, json=body)


async def test_the_adapter_error_has_no_key() -> None:
    client = httpx.AsyncClient(transport=httpx.MockTransport(echo))
    with pytest.raises(SourceError) as caught:
        await fred.fetch_api(Fetcher(client, retries=0), SECRET, series=("SOFR",))
    await client.aclose()
    assert SECRET not in str(caught.value) and "api_key=***" in caught.value.reason


async def test_nothing_the_live_source_shows_or_stores_has_the_key(tmp_path: Path) -> None:
    from tui.snapshot_output import snapshot_json, snapshot_table

    store = Store(tmp_path / "c.sqlite3")
    client = httpx.AsyncClient(transport=httpx.MockTransport(echo))
    live = LiveSource(
        Fetcher(client, retries=0),
        urls={"fred": "http://fred.test"},
        store=store,
        key_lookup=lambda: SECRET,
    )
    live.fred_key = SECRET
    assert not await live.refresh("fred")
    snap = live.snapshot()
    doc = snapshot_json(snap)
    store.save_snapshot(doc)
    await client.aclose()
    store.close()
    assert SECRET not in json.dumps(doc) and SECRET not in snapshot_table(snap)
    assert "***" in json.dumps(doc)
    for part in tmp_path.iterdir():
        assert SECRET.encode() not in part.read_bytes(), part.name


def test_a_key_read_from_the_environment_is_redacted_everywhere() -> None:
    from tui.sanitize import clean
    from tui.secrets import get_key

    key = "env-key-5a5a5a5a5a5a"
    assert get_key("coingecko", {"RISKPULSE_COINGECKO_KEY": key}) == key
    assert clean(f"server said {key}") == "server said ***"
    assert str(SourceError("coingecko", f"echo {key}")) == "coingecko: echo ***"
