"""Replaying bundled days through the alert rules: when would each have fired?"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from tui.alerts.evaluate import AlertState, Fired, check
from tui.alerts.rules import Rule
from tui.sigma import SigmaTable
from tui.sources.replay import ReplaySource


def backtest(
    rules: Iterable[Rule], start: date, end: date, source: ReplaySource | None = None
) -> list[tuple[date, Fired]]:
    """Evaluate rules on every calendar day from `start` to `end`, each rule armed at the start.

    Every calendar day is replayed because crypto trades on weekends; a shut market shows its
    last close, which cannot cross twice.

    Args:
        rules: The rules.
        start: First day replayed.
        end: Last day replayed.
        source: The replay source (tests inject one sharing their history).

    Returns:
        (replayed day, what fired) in order.
    """
    source = source or ReplaySource()
    sigma = SigmaTable(source.history)
    state = AlertState()
    for rule in rules:
        state.add(rule)
    out: list[tuple[date, Fired]] = []
    day = start
    while day <= end:
        for fired in check(source.snapshot(day), state, sigma):
            out.append((day, fired))
        day += timedelta(days=1)
    return out
