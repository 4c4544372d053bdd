"""Hostile config files: every defect is one line `file:line: key: why` and exit 2, never a
traceback or a hang; `config show` prints TOML that reads back."""

from __future__ import annotations

import os
import threading
import tomllib
from pathlib import Path

import pytest

from tui import config
from tui.cli import main


def run(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--config", str(path), "config", "show"])
    err = capsys.readouterr().err.strip()
    return code, err


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b'theme = "a"\ntheme2 = "\xff\xfe"\n', 2, "(file): is not valid UTF-8 (byte 0xff)"),
        (b"[refresh]\nyahoo = inf\n", 2, "refresh.yahoo: must be a finite number"),
        (b"[refresh]\nyahoo = nan\n", 2, "refresh.yahoo: must be a finite number"),
        (b"[refresh]\nyahoo = 1e300\n", 2, "refresh.yahoo: must be a number of seconds from 5"),
        (b"[refresh]\nyahoo = 99999999999999999999\n", 2, "refresh.yahoo: must be a number"),
        (b"timeout = -inf\n", 1, "timeout: must be a finite number"),
        (b"deadline = 0\n", 1, "deadline: must be a number of seconds between 0 and 120"),
        (b"[sources.cnn]\ndeadline = 1000\n", 2, "sources.cnn.deadline: must be a number"),
        (b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", 1, "nested too deeply"),
        (b"a" + b".a" * 50 + b" = 1\n", 1, "nested too deeply"),
        (b'theme = "' + b"x" * 10_000 + b'"\n', 1, "theme: value is 10,000 characters long"),
        (b"theme = 1\x00\n", 1, "line"),
        (b'theme = "\\u001b]52;c;aGk=\\u0007"\ncolour = 1\n', 2, "colour: unknown setting"),
    ],
    ids=[
        "invalid-utf8",
        "inf",
        "nan",
        "1e300",
        "huge-int",
        "neg-inf",
        "zero-deadline",
        "big-deadline",
        "deep-arrays",
        "deep-keys",
        "10k-value",
        "nul",
        "escape-in-value",
    ],
)
def test_defects_are_one_line_with_file_line_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, line: int, words: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    code, err = run(path, capsys)
    assert code == 2, err
    assert err.startswith(f"riskpulse: {path}:") and words in err, err
    assert "\n" not in err and "Traceback" not in err and "\x1b" not in err
    if "(file)" in words or "finite" in words:
        assert err.startswith(f"riskpulse: {path}:{line}:")


def test_a_ten_megabyte_file_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "' + b"x" * 10_000_000 + b'"\n')
    code, err = run(path, capsys)
    assert code == 2 and "(file): is 10,000,011 bytes" in err


def test_a_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(tmp_path, capsys)
    assert (
        code == 2 and err == f"riskpulse: {tmp_path}:1: (file): is a directory, not a config file"
    )


def test_a_fifo_is_refused_without_opening_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    result: list[tuple[int, str]] = []
    worker = threading.Thread(target=lambda: result.append(run(fifo, capsys)), daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # it blocked on the FIFO: unblock it so the test run can end
        with open(fifo, "wb"):
            pass
        pytest.fail("config load blocked on a FIFO")
    code, err = result[0]
    assert code == 2 and "(file): is a FIFO (named pipe), not a config file" in err


def test_a_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(Path("/dev/zero"), capsys)
    assert code == 2 and "(file): is a character device, not a config file" in err


def test_a_path_through_a_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("")
    code, err = run(tmp_path / "file" / "config.toml", capsys)
    assert code == 2 and "(file): cannot be read" in err and "\n" not in err


def test_show_prints_toml_that_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'theme = "a \\" quote \\u001b[2J"\ndeadline = 7.5\n'
        '[sources.fred]\nurl = "http://127.0.0.1:9"\ndeadline = 3\n'
    )
    assert main(["--config", str(path), "config", "show"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    doc = tomllib.loads(out)
    assert doc["theme"] == 'a " quote \x1b[2J' and doc["deadline"] == 7.5
    assert doc["sources"]["fred"] == {"url": "http://127.0.0.1:9", "deadline": 3.0}
    assert doc["refresh"]["fred"] == 3600 and doc["watchlists"]["crypto"] == ["btc", "eth", "sol"]
    assert config.load(path).deadlines == {"fred": 3.0}
