"""Config discovery, validation with exact errors, and init."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import config
from tui.cli import main


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_discovery_order(tmp_path: Path) -> None:
    assert config.config_path("x.toml", {"RISKPULSE_CONFIG": "y.toml"}) == Path("x.toml")
    assert config.config_path(None, {"RISKPULSE_CONFIG": "y.toml"}) == Path("y.toml")
    assert (
        config.config_path(None, {"XDG_CONFIG_HOME": str(tmp_path)})
        == tmp_path / "riskpulse" / "config.toml"
    )


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    cfg = config.load(tmp_path / "none.toml")
    assert not cfg.exists and cfg.refresh["fred"] == 3600 and cfg.refresh["yahoo"] == 15


def test_init_writes_a_default_that_loads_and_never_overwrites(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "cfg" / "config.toml"
    assert main(["--config", str(path), "config", "init"]) == 0
    cfg = config.load(path)
    assert (
        cfg.exists
        and cfg.theme == "riskpulse"
        and cfg.watchlists["crypto"] == ("btc", "eth", "sol")
    )
    assert main(["--config", str(path), "config", "init"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_values_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'theme = "riskpulse-ansi"\n[refresh]\nyahoo = 30\n'
        '[watchlists]\ncrypto = ["BTC-USD", "ether"]\n'
        '[sources.fred]\nurl = "http://127.0.0.1:8080"\n',
    )
    cfg = config.load(path)
    assert cfg.theme == "riskpulse-ansi" and cfg.refresh["yahoo"] == 30
    assert cfg.watchlists["crypto"] == ("btc", "eth")
    assert cfg.source_urls == {"fred": "http://127.0.0.1:8080"}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('theme = "x"\n[refresh]\nyahoo = 1\n', 3, "refresh.yahoo: must be a number of seconds"),
        ('[watchlists]\ncrypto = ["dogecoin"]\n', 2, "unknown asset 'dogecoin'"),
        ('[sources.fred]\napi_key = "abc"\n', 2, "keys do not belong in the config"),
        ('colour = "red"\n', 1, "colour: unknown setting"),
        ('theme = "a"\ntimeout = 0\n', 2, "timeout: must be a number of seconds"),
        ('theme = "a"\n[refresh\n', 2, "line"),
    ],
)
def test_bad_config_is_one_line_with_file_line_and_key(
    tmp_path: Path, text: str, line: int, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, text)
    assert main(["--config", str(path), "config", "show"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"riskpulse: {path}:{line}:") and words in err
    assert "\n" not in err and "Traceback" not in err
    assert "abc" not in err


def test_show_reports_defaults(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(tmp_path / "none.toml"), "config", "show"]) == 0
    out = capsys.readouterr().out
    assert "defaults in force" in out and "fred = 3600" in out


def test_watchlists_drive_the_snapshot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = write(tmp_path, '[watchlists]\ncrypto = ["ETH-USD"]\nindices = ["^N225", "spx"]\n')
    assert (
        main(["--config", str(path), "snapshot", "--replay", "2025-11-20", "--format", "json"]) == 0
    )
    panes = json.loads(capsys.readouterr().out)["panes"]
    assert [q["id"] for q in panes["crypto"]["quotes"]] == ["eth", "btc_funding", "btc_oi"]
    assert [q["id"] for q in panes["indices"]["quotes"]] == ["nikkei225", "sp500"]

    # Breadth still counts all 13 risk assets, whatever the panes show.
    main(["--config", str(path), "snapshot", "--replay", "2025-11-20", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["breadth"]["risk_assets"] == 13
