"""`riskpulse snapshot`: the JSON contract, the table and the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from typing import Any

import pytest

from tests.conftest import close_and_previous
from tui.assets import BY_ID
from tui.cli import main

DAY = date(2025, 11, 20)
QUOTE_KEYS = {
    "currency",
    "received",
    "symbol",
    "id",
    "name",
    "price",
    "change",
    "change_pct",
    "as_of",
    "source",
    "stale",
    "from_high_pct",
    "stale_reason",
    "updated",
    "detail",
    "sigma",
}
"""DESIGN §4's quote keys, plus the stale reason, the source's time stamp, the row's detail and
the day's move in σ."""


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["snapshot", *args, "--format", "json"]) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def test_snapshot_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--replay", "2025-11-20")
    assert doc["schema"] == "riskpulse.snapshot/1"
    assert doc["mode"] == "replay"
    assert doc["as_of"] == "2025-11-20T21:00:00Z"
    panes = doc["panes"]
    assert isinstance(panes, dict)
    assert set(panes) == {"indices", "crypto", "macro", "fedwatch", "fear_greed"}
    for name in ("indices", "crypto", "macro"):
        assert set(panes[name]) == {"quotes", "error"}
        for quote in panes[name]["quotes"]:
            assert set(quote) == QUOTE_KEYS
    assert set(panes["fedwatch"]) == {
        "meetings",
        "source",
        "as_of",
        "error",
        "notes",
        "last_decision",
        "calendar_ends",
    }
    meeting = panes["fedwatch"]["meetings"][0]
    assert set(meeting) == {
        "date",
        "probabilities",
        "derived",
        "change_1d_pp",
        "change_1w_pp",
        "change_1m_pp",
        "implied_rate",
        "note",
        "source",
        "method",
        "as_of",
        "approximate",
        "basis",
        "call",
        "call_state",
        "markets",
    }
    assert meeting["probabilities"] == {"-25": 0.391}
    fg = panes["fear_greed"]["indices"][0]
    assert set(fg) == {
        "id",
        "value",
        "label",
        "previous",
        "as_of",
        "source",
        "week_ago",
        "name",
        "components",
        "stale",
        "stale_reason",
    }
    assert (fg["id"], fg["value"], fg["label"], fg["previous"]) == (
        "crypto",
        11,
        "Extreme Fear",
        15,
    )
    # One definition with the drill-down (tui.breadth): 6 of the 13 moved ≥1σ down, in two
    # groups but under half of those that traded, so narrow.
    assert doc["breadth"] == {
        "risk_assets": 13,
        "down": 8,
        "up": 5,
        "label": "narrow risk-off",
        "same_direction": 6,
        "scope": "narrow",
        "text": "narrow risk-off: 6 of 13 fell ≥1σ (crypto, us), 8 down",
    }
    assert doc["sources"] == {} and doc["saved_at"] is None


def test_snapshot_json_prices_are_the_bundled_closes(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--replay", "2025-11-20")
    panes = doc["panes"]
    assert isinstance(panes, dict)
    checked = 0
    for name in ("indices", "crypto", "macro"):
        for quote in panes[name]["quotes"]:
            asset = BY_ID.get(quote["id"])
            if asset is None or not asset.file:
                continue
            day, close, prev = close_and_previous(asset.file, DAY, asset.column)
            assert quote["as_of"] == day
            assert quote["price"] == round(close, asset.decimals)
            assert quote["change"] == pytest.approx(
                close - prev, abs=0.6 * 10 ** -(asset.decimals + 2)
            )
            checked += 1
    assert checked >= 24


def test_missing_values_are_null_never_zero(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--replay", "2019-06-03")
    sol = next(q for q in doc["panes"]["crypto"]["quotes"] if q["id"] == "sol")
    assert sol["price"] is None and sol["change"] is None and sol["change_pct"] is None
    assert sol["stale"] is True
    funding = next(q for q in doc["panes"]["crypto"]["quotes"] if q["id"] == "btc_funding")
    assert funding["price"] is None


def test_snapshot_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["snapshot", "--replay", "2025-11-20"]) == 0
    out = capsys.readouterr().out
    assert "REPLAY 2025-11-20" in out
    assert "narrow risk-off: 6 of 13 fell ≥1σ (crypto, us), 8 down" in out
    assert "Nasdaq 100" in out and "-2.38%" in out


@pytest.mark.parametrize(
    "args", [["snapshot", "--replay", "2031-01-01"], ["--replay", "1999-01-01"]]
)
def test_out_of_range_is_a_usage_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("riskpulse: ") and "outside the bundled data" in err
    assert "Traceback" not in err


def test_bad_date_exits_2_with_one_line() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "snapshot", "--replay", "yesterday"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "not a date" in proc.stderr and "Traceback" not in proc.stderr


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("riskpulse ")


def test_snapshot_json_reads_back_as_cached(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from tui.model import Mode
    from tui.snapshot_output import snapshot_from_json, snapshot_json

    doc = run_json(capsys, "--replay", "2025-11-20")
    saved = datetime(2025, 11, 21, 8, 0, tzinfo=UTC)
    back = snapshot_from_json(doc, saved)
    assert back.mode is Mode.CACHED and back.saved_at == saved
    again = snapshot_json(back)
    assert again["mode"] == "cached"
    assert again["panes"]["fedwatch"] == doc["panes"]["fedwatch"]
    marks = {"stale", "stale_reason", "received"}
    for pane in ("indices", "crypto", "macro"):
        for old, new in zip(
            doc["panes"][pane]["quotes"], again["panes"][pane]["quotes"], strict=True
        ):
            assert {k: v for k, v in new.items() if k not in marks} == {
                k: v for k, v in old.items() if k not in marks
            }
            # Shown from the cache, nothing is current: every quote stale with the cache's time.
            assert new["stale"] is True and new["stale_reason"].startswith("cached 08:00Z")
            assert new["received"] == "2025-11-21T08:00:00Z"
    for old_fg, new_fg in zip(
        doc["panes"]["fear_greed"]["indices"], again["panes"]["fear_greed"]["indices"], strict=True
    ):
        assert new_fg["value"] == old_fg["value"] and new_fg["stale"] is True
    assert again["breadth"] == doc["breadth"]
    with pytest.raises(ValueError):
        snapshot_from_json({"schema": "something/else"})
