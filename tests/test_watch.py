"""Your own symbols from the command line, against the loopback server of recorded responses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import loopback
from tests.loopback import FIXTURES, Server, serving
from tui import config_file
from tui.assets import BY_ID, resolve, unregister_users
from tui.cli import main
from tui.sources import SOURCE_IDS
from tui.watchlist import WatchError, parse_spec

NOW = 1739581200.0
"""2025-02-15 01:00 UTC, just after the recorded AAPL quote (2025-02-14 close)."""

AAPL = json.loads((FIXTURES / "quote_v7_AAPL,BABA.json").read_text())["quoteResponse"]["result"][0]

COMMENTED = textwrap.dedent(
    """\
    # my riskpulse settings
    timeout = 5  # seconds

    [watchlists]
    # the morning screen
    indices = ["sp500", "nasdaq100"]  # US first
    """
)


@pytest.fixture(autouse=True)
def _catalogue() -> Iterator[None]:
    """Each test starts and ends with the shipped catalogue only."""
    unregister_users()
    yield
    unregister_users()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Server, Path]]:
    with serving() as server:
        for sid in SOURCE_IDS:
            monkeypatch.setenv(f"RISKPULSE_{sid.upper()}_URL", server.url)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        config = tmp_path / "config.toml"
        config.write_text(COMMENTED)
        monkeypatch.setenv("RISKPULSE_CONFIG", str(config))
        yield server, config


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args), clock=lambda: NOW)
    out, err = capsys.readouterr()
    return code, out, err


def test_add_aapl_then_snapshot_shows_its_recorded_price(
    env: tuple[Server, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    server, config = env
    code, out, err = run(capsys, "watch", "add", "AAPL")
    assert code == 0, err
    assert out.strip() == "added AAPL (Apple Inc.) to indices"
    assert sum(1 for s, p in server.requests if "/v7/finance/quote" in p) == 1
    saved = tomllib.loads(config.read_text())
    assert saved["watchlists"]["indices"] == ["sp500", "nasdaq100", "AAPL"]
    entry = saved["symbols"]["AAPL"]
    assert entry["tz"] == AAPL["exchangeTimezoneName"]
    assert entry["currency"] == AAPL["currency"] and entry["decimals"] == AAPL["priceHint"]
    assert entry["exchange"] == AAPL["fullExchangeName"] and entry["class"] == "single stock"

    unregister_users()  # a new process: the catalogue is rebuilt from the config
    code, out, err = run(capsys, "snapshot", "--format", "json")
    assert code == 0, err
    rows = {q["id"]: q for q in json.loads(out)["panes"]["indices"]["quotes"]}
    assert rows["aapl"]["price"] == AAPL["regularMarketPrice"]
    assert rows["aapl"]["symbol"] == "AAPL" and rows["aapl"]["source"] == "yahoo"


@pytest.mark.parametrize(
    ("symbol", "pane", "row_id", "fixture"),
    [
        ("EURUSD=X", "macro", "eurusd=x", "quote_v7_EURUSD=X.json"),
        ("^VXAPL", "indices", "^vxapl", "quote_v7_^VXAPL.json"),
    ],
)
def test_fx_pairs_and_indices_are_added_from_their_exchange_metadata(
    env: tuple[Server, Path],
    capsys: pytest.CaptureFixture[str],
    symbol: str,
    pane: str,
    row_id: str,
    fixture: str,
) -> None:
    _, config = env
    row = json.loads((FIXTURES / fixture).read_text())["quoteResponse"]["result"][0]
    code, out, err = run(capsys, "watch", "add", symbol)
    assert code == 0, err
    assert out.strip().endswith(f"to {pane}")
    entry = tomllib.loads(config.read_text())["symbols"][symbol]
    assert entry["tz"] == row["exchangeTimezoneName"] and entry["decimals"] == row["priceHint"]
    assert entry["exchange"] == row["fullExchangeName"]
    unregister_users()
    code, out, err = run(capsys, "snapshot", "--format", "json")
    assert code == 0, err
    rows = {q["id"]: q for q in json.loads(out)["panes"][pane]["quotes"]}
    assert rows[row_id]["price"] == pytest.approx(
        row["regularMarketPrice"], abs=10 ** -row["priceHint"]
    )


def test_unknown_symbol_is_one_line_and_exit_2(
    env: tuple[Server, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, config = env
    before = config.read_text()
    code, out, err = run(capsys, "watch", "add", "NOPE.XX")
    assert code == 2 and out == ""
    assert err.strip() == "riskpulse: Yahoo does not know 'NOPE.XX' (no quote came back)"
    assert config.read_text() == before


@pytest.mark.parametrize(
    "text", ["AAPL;rm", "a b", "x" * 21, "../etc", "coingecko:Bad Coin", "binance:DOGEBTC", ""]
)
def test_symbols_are_validated_before_any_url(text: str) -> None:
    with pytest.raises(WatchError):
        parse_spec(text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("aapl", "AAPL"),
        ("0700.hk", "0700.HK"),
        ("^FTSE", "^FTSE"),
        ("EURUSD=X", "EURUSD=X"),
        ("cg:dogecoin", "coingecko:dogecoin"),
        ("binance:dogeusdt", "binance:DOGEUSDT"),
    ],
)
def test_symbols_of_every_kind_parse(text: str, key: str) -> None:
    assert parse_spec(text).key == key


def test_comments_survive_add_remove_and_list(
    env: tuple[Server, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, config = env
    assert run(capsys, "watch", "add", "BABA", "--pane", "indices")[0] == 0
    text = config.read_text()
    for comment in ("# my riskpulse settings", "# seconds", "# the morning screen", "# US first"):
        assert comment in text
    code, out, _ = run(capsys, "watch", "list")
    assert code == 0 and "BABA" in out and "(added)" in out
    assert run(capsys, "watch", "rm", "BABA")[0] == 0
    text = config.read_text()
    assert "BABA" not in text and "# the morning screen" in text and "# US first" in text
    assert tomllib.loads(text)["watchlists"]["indices"] == ["sp500", "nasdaq100"]


def test_import_a_csv_adds_known_and_checked_symbols(
    env: tuple[Server, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, config = env
    listing = tmp_path / "mine.csv"
    listing.write_text("symbol,note\nAAPL,phone\nBABA,\nspy,built in\nNOPE.XX,\nbad sym,\n")
    code, out, _ = run(capsys, "watch", "import", str(listing))
    assert code == 0
    lines = out.strip().splitlines()
    assert "added AAPL (Apple Inc.) to indices" in lines
    assert "added BABA (Alibaba Group Holding Limited) to indices" in lines
    assert any(line.startswith("skipped NOPE.XX") for line in lines)
    assert any(line.startswith("skipped: not a valid symbol") for line in lines)
    assert tomllib.loads(config.read_text())["watchlists"]["indices"] == [
        "sp500",
        "nasdaq100",
        "AAPL",
        "BABA",
        "spy",
    ]


def test_added_coin_is_quoted_in_the_one_coingecko_request(
    env: tuple[Server, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = env
    code, out, _ = run(capsys, "watch", "add", "coingecko:solana")
    assert code == 0 and out.strip() == "SOL/USDT is already in crypto"  # shipped: no check
    top100 = "coins_markets_top100_usd_2023-01-16.pretty.json"  # recorded; holds dogecoin
    monkeypatch.setitem(loopback.ROUTES, "/api/v3/coins/markets", ("coingecko", top100, "x"))
    code, out, err = run(capsys, "watch", "add", "coingecko:dogecoin")
    assert code == 0, err
    assert out.strip() == "added DOGE/USD (Dogecoin) to crypto"
    doge = next(r for r in json.loads((FIXTURES / top100).read_text()) if r["id"] == "dogecoin")
    unregister_users()
    server.requests.clear()
    code, out, err = run(capsys, "snapshot", "--format", "json")
    assert code == 0, err
    rows = {q["id"]: q for q in json.loads(out)["panes"]["crypto"]["quotes"]}
    assert rows["cg-dogecoin"]["price"] == doge["current_price"]
    markets = [p for s, p in server.requests if "/coins/markets" in p]
    assert len(markets) == 1 and "dogecoin" in markets[0] and "bitcoin" in markets[0]


def test_config_names_the_line_of_a_bad_symbol(tmp_path: Path) -> None:
    from tui.config import ConfigError, load

    path = tmp_path / "c.toml"
    path.write_text('timeout = 5\n\n[symbols."BAD SYM"]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"c\.toml:3: symbols\.BAD SYM: not a valid symbol"):
        load(path)
    path.write_text(
        '[symbols."0700.HK"]\nname = "x"\n\n[symbols."coingecko:doge"]\ndecimals = 99\n'
    )
    with pytest.raises(ConfigError, match=r"c\.toml:4: symbols\.coingecko:doge: decimals must"):
        load(path)


def test_registered_symbol_resolves_like_a_builtin(tmp_path: Path) -> None:
    from tui.config import load

    path = tmp_path / "c.toml"
    entry = 'name = "Tencent"\nclass = "single stock"\nregion = "asia"\ntz = "Asia/Hong_Kong"\n'
    path.write_text(f'[watchlists]\nindices = ["0700.HK"]\n\n[symbols."0700.HK"]\n{entry}')
    cfg = load(path)
    assert cfg.watchlists["indices"] == ("0700.hk",)
    asset = resolve("0700.hk")
    assert asset is not None and asset is BY_ID["0700.hk"] and asset.yahoo == "0700.HK"
    assert asset.tz == "Asia/Hong_Kong" and asset.region.value == "asia"


_WRITER = """
import sys
from pathlib import Path
from tui.config_file import write_atomic
path = Path(sys.argv[1])
print("ready", flush=True)
n = 0
while True:
    n += 1
    write_atomic(path, f"# writer pass {n}\\n" + "x = " + repr("y" * 200_000) + "\\n")
"""


def test_a_writer_killed_mid_write_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config_file.write_atomic(path, COMMENTED)
    for delay in (0.05, 0.11, 0.17):
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path)],
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[1],
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        doc: dict[str, Any] = tomllib.loads(path.read_text())  # never a half-written file
        assert doc == tomllib.loads(COMMENTED) or doc["x"] == "y" * 200_000
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "config.toml"]
    assert all(name.endswith(".tmp") for name in leftovers)


async def test_a_200_symbol_watchlist_is_one_yahoo_request_per_50(tmp_path: Path) -> None:
    from tests.test_live import FakeTime, live_source
    from tui.watchlist import install

    names = [f"W{i:03d}.X" for i in range(1, 201)]
    entry = {"name": "Synthetic", "class": "single stock", "region": "us", "tz": "America/New_York"}
    install({n: entry for n in names})
    with serving() as server:
        server.echo_symbols = True
        async with live_source(server, FakeTime()) as live:
            live.watchlists["indices"] = tuple(n.lower() for n in names)
            wanted = live.quotes.symbols()
            assert set(names) <= set(wanted)
            server.requests.clear()
            await live.refresh("yahoo")
            batches = [p for _, p in server.requests if p.startswith("/v7/finance/quote")]
            assert len(batches) == -(-len(wanted) // 50)
            snap = live.snapshot()
    shown = {q.id: q for q in snap.indices.quotes}
    assert len(shown) == 200 and shown["w200.x"].price == AAPL["regularMarketPrice"]


def test_add_writes_a_config_that_did_not_exist_and_refusals_are_one_line(
    env: tuple[Server, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, config = env
    config.unlink()
    assert run(capsys, "watch", "add", "BABA", "--pane", "macro")[0] == 0
    saved = tomllib.loads(config.read_text())
    assert saved["watchlists"]["macro"][-1] == "BABA"
    assert saved["symbols"]["BABA"]["name"] == "Alibaba Group Holding Limited"
    for args, start in (
        (("watch", "add", "AAPL;rm -rf"), "riskpulse: not a valid symbol: 'AAPL;rm -rf'"),
        (("watch", "rm", "ZZZZ"), "riskpulse: 'ZZZZ' is in no pane"),
        (("watch", "import", "/nonexistent.csv"), "riskpulse: cannot read /nonexistent.csv"),
    ):
        code, out, err = run(capsys, *args)
        assert code == 2 and out == "" and err.startswith(start) and err.count("\n") == 1


def test_text_from_an_api_is_kept_printable() -> None:
    from tui.watchlist import build, describe_yahoo

    row = dict(AAPL, longName="Evil\x1b]0;pwned\x07 Corp[/]", symbol="EVL")
    entry = describe_yahoo(parse_spec("EVL"), row)
    assert entry["name"] == "Evil]0;pwned Corp[/]"  # no escape, no bell; shown as plain text
    assert build("EVL", {**entry, "name": "a\x1bb"}).name == "ab"


def test_comments_inside_a_pane_list_survive_add_move_and_remove(tmp_path: Path) -> None:
    from tui import watch_cmd

    path = tmp_path / "config.toml"
    path.write_text(
        '[watchlists]\nindices = [\n    "sp500",  # core\n    # asia\n    "hang_seng",\n]\n'
    )
    watch_cmd.add(path, "dow", None, lambda spec: {})
    assert path.read_text().count("# core") == 1 and "# asia" in path.read_text()
    assert watch_cmd.move(path, "indices", "dow", -1) == ["sp500", "dow", "hang_seng"]
    assert watch_cmd.remove(path, "sp500") == "removed ^GSPC from indices"
    text = path.read_text()
    assert "# asia" in text and tomllib.loads(text)["watchlists"]["indices"] == ["dow", "hang_seng"]
