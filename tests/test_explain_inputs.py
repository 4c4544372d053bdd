"""Explain takes its context as typed inputs and never imports a source module."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from tui.explain.engine import explain, window_for
from tui.explain.fedodds import fed_odds_change
from tui.explain.inputs import ExplainInputs
from tui.explain.move import Horizon
from tui.explain_inputs import FED_SOURCES, MARKET, PUBLISHED, replay_inputs
from tui.history import History


def test_explain_imports_no_source_module() -> None:
    code = (
        "import sys, pkgutil, importlib, tui.explain as p\n"
        "for m in pkgutil.iter_modules(p.__path__):\n"
        "    importlib.import_module(f'tui.explain.{m.name}')\n"
        "print(','.join(sorted(n for n in sys.modules if n.startswith('tui.sources'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == ""


def test_window_of_an_asian_day_reads_new_york_the_day_before(history: History) -> None:
    w = window_for(history, "hang_seng", date(2025, 11, 21), Horizon.D1)
    assert (w.day, w.start, w.us_day, w.us_start) == (
        date(2025, 11, 21),
        date(2025, 11, 20),
        date(2025, 11, 20),
        date(2025, 11, 19),
    )
    w = window_for(history, "nasdaq100", date(2025, 11, 20), Horizon.D1)
    assert w.known_day == w.day == date(2025, 11, 20)


def test_replay_inputs_are_single_source_and_dated(history: History) -> None:
    inputs = replay_inputs(window_for(history, "btc", date(2025, 11, 20), Horizon.D1))
    assert inputs.fed_sources == FED_SOURCES
    assert {w.source for w in inputs.fed_odds} == {PUBLISHED, MARKET}
    assert all(w.as_of is not None for w in inputs.fed_odds)
    assert "liquidations" in inputs.missing
    assert inputs.etf_flows[-1].day == date(2025, 11, 20)
    assert inputs.etf_flows[-1].value == -903.2


def test_fed_odds_change_uses_one_source_at_both_ends(history: History) -> None:
    inputs = replay_inputs(window_for(history, "nasdaq100", date(2025, 11, 20), Horizon.D1))
    month = fed_odds_change(inputs.fed_odds, date(2025, 10, 21), date(2025, 11, 20), FED_SOURCES)
    assert month is not None and month.source == PUBLISHED
    assert month.then == pytest.approx(0.989) and month.now == pytest.approx(0.391)
    assert month.then_day == date(2025, 10, 20) and month.approximate  # one day off the window
    day = fed_odds_change(inputs.fed_odds, date(2025, 11, 19), date(2025, 11, 20), FED_SOURCES)
    # CME has no reading on 2025-11-19 within reach of a later one; the order book has both ends.
    assert day is not None and day.source == MARKET and day.move_bp == 0


def test_without_inputs_every_reading_channel_says_no_data(history: History) -> None:
    exp = explain(history, "btc", date(2025, 11, 20))
    for cid in ("fed_odds", "flows"):
        ch = next(c for c in exp.channels if c.id == cid)
        assert ch.status == "no data"
    assert isinstance(
        replay_inputs(window_for(history, "btc", date(2025, 11, 20), Horizon.D1)), ExplainInputs
    )
