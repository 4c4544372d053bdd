"""`riskpulse alerts list|add|rm|backtest`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date

from tui.alerts.evaluate import AlertState
from tui.alerts.rules import Rule, RuleError, parse_rule
from tui.alerts.state import AlertStore
from tui.numtext import table

EXIT_OK, EXIT_USAGE = 0, 2


class AlertsUsageError(Exception):
    """A mistake on the command line, reported as one line with exit code 2."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `alerts` subcommand and its actions."""
    from tui.cli import parse_day

    alerts = sub.add_parser("alerts", help="threshold, σ, fear & greed, Fed-odds and source alerts")
    actions = alerts.add_subparsers(dest="alerts_action", metavar="ACTION", required=True)
    actions.add_parser("list", help="every rule, armed or not, and when it last fired")
    add = actions.add_parser("add", help="add a rule: btc below 90000, ndx change beyond 2, …")
    add.add_argument("rule", nargs="+", help="the rule in words (see README)")
    add.add_argument("--margin", type=float, help="how far back re-arms it (rule's unit)")
    rm = actions.add_parser("rm", help="remove a rule by its number in `list` or its words")
    rm.add_argument("rule", nargs="+")
    bt = actions.add_parser("backtest", help="when would each rule have fired on bundled days")
    bt.add_argument("--from", dest="start", type=parse_day, required=True, metavar="YYYY-MM-DD")
    bt.add_argument("--to", dest="end", type=parse_day, required=True, metavar="YYYY-MM-DD")
    bt.add_argument("--rule", action="append", help="test this rule instead of those in force")


def run(
    args: argparse.Namespace, config_rules: Sequence[Rule], store: AlertStore | None = None
) -> int:
    """Carry out one `alerts` action.

    Args:
        args: Parsed arguments.
        config_rules: The config's `[[alerts]]`.
        store: Where the state lives (tests pass a temporary one).

    Raises:
        AlertsUsageError: On a rule that cannot be read or removed, or days outside the bundle.
    """
    store = store or AlertStore()
    action = args.alerts_action
    try:
        if action == "backtest":
            return _backtest(args, config_rules, store)
        if action == "list":
            return _list(store, config_rules)
        with store.locked():
            state = store.load()
            if action == "add":
                rule = parse_rule(" ".join(args.rule), args.margin)
                if not state.add(rule):
                    print(f"already set: {rule.text}")
                    return EXIT_OK
                store.save(state)
                print(f"added: {rule.text}")
                return EXIT_OK
            return _remove(state, store, " ".join(args.rule), config_rules)
    except RuleError as exc:
        raise AlertsUsageError(str(exc)) from None


def _list(store: AlertStore, config_rules: Sequence[Rule]) -> int:
    state = store.load().with_config(config_rules)
    if store.warning:
        print(f"riskpulse: {store.warning}")
    if not state.rules:
        print("no alerts (add one: riskpulse alerts add btc below 90000)")
        return EXIT_OK
    last = {f.rule: f for f in state.log}
    rows = []
    for number, rule in enumerate(state.rules, 1):
        armed = "armed" if state.armed.get(rule.key, True) else "fired"
        seen = last.get(rule.key)
        when = f"last fired {seen.at:%Y-%m-%d %H:%M}" if seen else ""
        origin = "(config)" if rule.origin == "config" else ""
        rows.append([str(number), rule.text, armed, when, origin])
    print("\n".join(table(rows, "><", indent="  ")))
    return EXIT_OK


def _remove(state: AlertState, store: AlertStore, what: str, config_rules: Sequence[Rule]) -> int:
    merged = state.with_config(config_rules).rules
    target: Rule | None = None
    if what.isdigit() and 1 <= int(what) <= len(merged):
        target = merged[int(what) - 1]
    else:
        wanted = parse_rule(what).key
        target = next((r for r in merged if r.key == wanted), None)
    if target is None:
        raise AlertsUsageError(f"no such alert: {what!r} (riskpulse alerts list)")
    if target.origin == "config":
        raise AlertsUsageError(f"{target.text!r} comes from the config: remove it there")
    state.rules = [r for r in state.rules if r.key != target.key]
    state.armed.pop(target.key, None)
    store.save(state)
    print(f"removed: {target.text}")
    return EXIT_OK


def _backtest(args: argparse.Namespace, config_rules: Sequence[Rule], store: AlertStore) -> int:
    from tui.alerts.backtest import backtest
    from tui.history import History
    from tui.sources.replay import ReplaySource

    rules = (
        [parse_rule(r) for r in args.rule]
        if args.rule
        else store.load().with_config(config_rules).rules
    )
    if not rules:
        raise AlertsUsageError("no rules to test: add one, or pass --rule 'btc below 90000'")
    history = History()
    first, last = history.span()
    start: date = args.start
    end: date = args.end
    if not (first <= start <= end <= last):
        raise AlertsUsageError(f"replay days run from {first} to {last}, --from before --to")
    results = backtest(rules, start, end, ReplaySource(history))
    print(
        f"alerts backtest {start} … {end}: the bundled daily closes, each rule armed at the start"
    )
    for rule in rules:
        hits = [(d, f) for d, f in results if f.rule == rule.key]
        print(f"{rule.text}: fired {len(hits)} time{'s' if len(hits) != 1 else ''}")
        for day, fired in hits:
            print(f"  {day}  {fired.message}")
    return EXIT_OK
