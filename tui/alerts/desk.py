"""Alerts for one app session: live snapshots use the saved state, replayed ones a private copy.

Stepping through replayed days must not disarm (or re-arm) the rules that watch live markets, so
replayed snapshots are evaluated against armed flags and a log kept in memory for the session.
Live snapshots load, evaluate and save the state file under its lock, writing only on change.
Cached and offline snapshots are not evaluated: their numbers were evaluated when they were live.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.alerts.evaluate import AlertState, Fired, SigmaOf, check
from tui.alerts.rules import Rule, parse_rule
from tui.alerts.state import AlertStore, state_to_json
from tui.model import Mode, Snapshot


class AlertDesk:
    """The app's alert state.

    Args:
        store: The state file; None keeps everything in memory (tests, read-only homes).
        config_rules: The config's `[[alerts]]`.
        sigma_of: Daily σ per asset, for σ rules.
    """

    def __init__(
        self,
        store: AlertStore | None,
        config_rules: Sequence[Rule] = (),
        sigma_of: SigmaOf | None = None,
    ) -> None:
        self.store = store
        self.config_rules = tuple(config_rules)
        self.sigma_of = sigma_of
        self.session = AlertState()
        """Rules (without a store), and the replayed days' armed flags and log."""

    def _rules(self) -> list[Rule]:
        return self.store.load().rules if self.store is not None else list(self.session.rules)

    def state(self) -> AlertState:
        """Rules in force with their live armed flags and log (for the log screen)."""
        own = self.store.load() if self.store is not None else self.session
        return own.with_config(self.config_rules)

    def replayed(self) -> list[Fired]:
        """What fired on replayed days in this session."""
        return list(self.session.log) if self.store is not None else []

    def add(self, text: str) -> tuple[Rule, bool]:
        """Add a rule from its written form; (rule, False) when it was already set.

        Raises:
            RuleError: When the text is no rule.
        """
        rule = parse_rule(text)
        if self.store is None:
            return rule, self.session.add(rule)
        with self.store.locked():
            state = self.store.load()
            added = state.add(rule)
            if added:
                self.store.save(state)
        return rule, added

    def evaluate(self, snapshot: Snapshot) -> list[Fired]:
        """Check every rule against a newly shown snapshot; what fired."""
        if snapshot.mode in (Mode.CACHED, Mode.OFFLINE):
            return []
        if snapshot.mode is Mode.REPLAY or self.store is None:
            s = self.session
            view = AlertState(self._rules(), s.armed, s.log, s.failing_since)
            return check(snapshot, view.with_config(self.config_rules), self.sigma_of)
        with self.store.locked():
            state = self.store.load()
            before = state_to_json(state)
            merged = state.with_config(self.config_rules)
            fired = check(snapshot, merged, self.sigma_of)
            if state_to_json(merged) != before:
                self.store.save(merged)
        return fired
