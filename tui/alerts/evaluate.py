"""Evaluating alert rules against a snapshot: each rule fires once per crossing.

A rule is armed until its value crosses the level; it then fires once and stays quiet until the
value has moved back past the level by the rule's margin, which re-arms it. A missing value
(a source that did not answer, a meeting without recorded odds) neither fires nor re-arms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tui.alerts.rules import Kind, Rule
from tui.model import Snapshot
from tui.numtext import signed

SigmaOf = Callable[[str, date], float | None]
"""Daily EWMA σ of an asset's moves (percent) up to the day before `date`, or None."""

LOG_LIMIT = 500
"""Log entries kept in the state file (the oldest go first)."""


@dataclass(frozen=True, slots=True)
class Fired:
    """A rule that crossed.

    Attributes:
        rule: The rule's written form.
        value: The value that crossed, in the rule's unit.
        at: The moment of the snapshot that crossed.
        message: One plain-text line for the toast and the log.
    """

    rule: str
    value: float
    at: datetime
    message: str

    def to_json(self) -> dict[str, Any]:
        """The log entry for the state file."""
        return {
            "rule": self.rule,
            "value": self.value,
            "at": self.at.isoformat(),
            "message": self.message,
        }

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Fired:
        """A log entry read back (raises KeyError/ValueError/TypeError when malformed)."""
        return cls(
            str(row["rule"]),
            float(row["value"]),
            datetime.fromisoformat(row["at"]),
            str(row["message"]),
        )


@dataclass
class AlertState:
    """Rules, whether each is armed, and the log of what fired.

    Attributes:
        rules: Rules in force (the state file's, then the config's).
        armed: Rule key to armed (a rule missing here is armed).
        log: What fired, oldest first.
        failing_since: Source id to the first moment it was seen failing with no last success.
    """

    rules: list[Rule] = field(default_factory=list)
    armed: dict[str, bool] = field(default_factory=dict)
    log: list[Fired] = field(default_factory=list)
    failing_since: dict[str, datetime] = field(default_factory=dict)

    def add(self, rule: Rule) -> bool:
        """Add a rule (armed); False when an equal rule is already there."""
        if any(r.key == rule.key for r in self.rules):
            return False
        self.rules.append(rule)
        self.armed[rule.key] = True
        return True

    def with_config(self, config_rules: Iterable[Rule]) -> AlertState:
        """This state with the config's rules after its own, sharing its armed flags and log.

        A config rule equal to one of the state's is not added twice (the state's stays, so
        saving the merged state keeps it).
        """
        merged = AlertState(list(self.rules), self.armed, self.log, self.failing_since)
        keys = {r.key for r in merged.rules}
        for rule in config_rules:
            if rule.key not in keys:
                keys.add(rule.key)
                merged.rules.append(rule)
                merged.armed.setdefault(rule.key, True)
        return merged


def _meeting(snapshot: Snapshot, subject: str) -> Any:
    meetings = snapshot.fedwatch.meetings
    if subject == "next":
        return next((m for m in meetings if m.probabilities), None)
    return next((m for m in meetings if m.date.isoformat() == subject), None)


def value_of(
    rule: Rule, snapshot: Snapshot, state: AlertState, sigma_of: SigmaOf | None = None
) -> float | None:
    """The value a rule compares with its level, or None when the snapshot does not have it."""
    if rule.is_fear_greed:
        reading = next((f for f in snapshot.fear_greed.indices if f.id == rule.subject), None)
        return reading.value if reading else None
    if rule.kind is Kind.FED:
        meeting = _meeting(snapshot, rule.subject)
        changes = meeting.change_1d_pp if meeting else {}
        return max((abs(v) for v in changes.values()), default=None)
    if rule.kind is Kind.SOURCE:
        health = next((h for h in snapshot.sources if h.id == rule.subject), None)
        if health is None:
            return None
        if health.ok:
            state.failing_since.pop(rule.subject, None)
            return 0.0
        since = health.last_ok or state.failing_since.setdefault(rule.subject, snapshot.as_of)
        return max(0.0, (snapshot.as_of - since).total_seconds() / 60)
    quote = snapshot.quote(rule.subject)
    if quote is None or quote.price is None:
        return None
    if rule.kind in (Kind.ABOVE, Kind.BELOW):
        return quote.price
    if quote.change_pct is None:
        return None
    if rule.kind is Kind.CHANGE:
        return abs(quote.change_pct)
    sigma = sigma_of(rule.subject, quote.as_of) if sigma_of and quote.as_of else None
    return abs(quote.change_pct) / sigma if sigma else None


def crossed(rule: Rule, value: float) -> bool:
    """True when the value is past the level."""
    if rule.kind is Kind.BELOW:
        return value < rule.level
    if rule.kind is Kind.ABOVE:
        return value > rule.level
    return value >= rule.level  # "beyond": changes, σ, odds moves and minutes failing


def back(rule: Rule, value: float) -> bool:
    """True when the value has moved back past the level by the margin (the rule re-arms)."""
    margin = rule.re_arm_margin()
    if rule.kind is Kind.BELOW:
        return value >= rule.level + margin
    return value <= rule.level - margin


def describe(rule: Rule, value: float, snapshot: Snapshot) -> str:
    """One plain line: `btc below 90000: BTC/USDT at 89,193 (2025-11-17)`."""
    if rule.kind is Kind.SOURCE:
        return f"{rule.text}: {rule.subject} failing for {value:.0f} min"
    if rule.kind is Kind.FED:
        return f"{rule.text}: odds moved {value:.1f} pp in a day"
    if rule.is_fear_greed:
        return f"{rule.text}: {rule.subject} fear & greed at {value:.0f}"
    quote = snapshot.quote(rule.subject)
    name = quote.symbol if quote else rule.subject
    when = f" ({quote.as_of})" if quote and quote.as_of else ""
    if rule.kind is Kind.SIGMA:
        pct = quote.change_pct if quote and quote.change_pct is not None else 0.0
        return f"{rule.text}: {name} {signed(pct, 2)}%, {value:.1f}σ{when}"
    if rule.kind is Kind.CHANGE:
        return f"{rule.text}: {name} moved {value:.2f}%{when}"
    return f"{rule.text}: {name} at {value:,.2f}{when}"


def check(snapshot: Snapshot, state: AlertState, sigma_of: SigmaOf | None = None) -> list[Fired]:
    """Evaluate every rule once against a snapshot.

    Updates `state` in place: a rule that crosses is disarmed and logged, a disarmed rule whose
    value moved back past its margin is re-armed.

    Args:
        snapshot: The snapshot just shown.
        state: Rules, armed flags and log (changed in place).
        sigma_of: Daily σ per asset for σ rules (σ rules stay quiet without it).

    Returns:
        The rules that fired, in rule order.
    """
    fired: list[Fired] = []
    for rule in state.rules:
        value = value_of(rule, snapshot, state, sigma_of)
        if value is None:
            continue
        armed = state.armed.get(rule.key, True)
        if armed and crossed(rule, value):
            state.armed[rule.key] = False
            fired.append(Fired(rule.key, value, snapshot.as_of, describe(rule, value, snapshot)))
        elif not armed and back(rule, value):
            state.armed[rule.key] = True
    state.log.extend(fired)
    del state.log[:-LOG_LIMIT]
    return fired
