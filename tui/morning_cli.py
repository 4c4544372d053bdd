"""The morning commands of the command line: `status`, `alerts`, `recap`, and `explain --list`.

`status` runs from tmux every few seconds, so `status_fast_path` recognises it before argparse
(and everything else) is imported; `riskpulse status --help` and malformed calls still go
through the full parser.
"""

from __future__ import annotations

from collections.abc import Sequence

TYPE_CHECKING = False  # typing itself costs the status line ~10 ms; mypy reads this name

if TYPE_CHECKING:
    import argparse
    from datetime import date, datetime

    from tui.config import Config


def status_fast_path(argv: Sequence[str]) -> tuple[str | None, bool, str | None] | None:
    """`(day, tmux, config)` when argv is a well-formed `status` call, else None.

    Accepts the global `--config PATH` and `--replay D` before `status`, and `--tmux` and
    `--replay D` after it (also as `--opt=value`).
    """
    day: str | None = None
    config: str | None = None
    tmux = seen = False
    i = 0
    while i < len(argv):
        token = argv[i]
        name, eq, value = token.partition("=")
        if name in ("--config", "--replay") and (eq or i + 1 < len(argv)):
            if not eq:
                value = argv[i + 1]
                i += 1
            if name == "--config":
                if seen:
                    return None
                config = value
            else:
                day = value
        elif token == "status" and not seen:
            seen = True
        elif token == "--tmux" and seen:
            tmux = True
        else:
            return None
        i += 1
    return (day, tmux, config) if seen else None


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `status`, `alerts` and `recap` subcommands."""
    from tui.alerts.command import add_parser
    from tui.cli import parse_day

    status = sub.add_parser("status", help="one line for a tmux status bar, from the cache")
    status.add_argument(
        "--replay",
        type=parse_day,
        dest="status_replay",
        metavar="YYYY-MM-DD",
        help="the bundled real data as of that day",
    )
    status.add_argument("--tmux", action="store_true", help="colour codes for tmux's status bar")
    add_parser(sub)
    recap = sub.add_parser("recap", help="what moved since you last looked, ranked by σ")
    recap.add_argument(
        "--since",
        metavar="12h|YYYY-MM-DD",
        help="a duration (30m, 12h, 2d) or a day; default: the end of the last session "
        "(replay: the previous trading day)",
    )


def run_command(args: argparse.Namespace, cfg: Config) -> int | None:
    """Run a morning command; None when `args` holds another command.

    Raises:
        UsageError: On a mistake the user can fix (one line, exit code 2).
    """
    from tui.cli import UsageError

    if args.command == "status":
        from tui.status_cmd import run

        day = args.status_replay or args.replay
        return run(day.isoformat() if day else None, args.tmux, args.config)
    if args.command == "alerts":
        from tui.alerts.command import AlertsUsageError
        from tui.alerts.command import run as run_alerts

        try:
            return run_alerts(args, cfg.alerts)
        except AlertsUsageError as exc:
            raise UsageError(str(exc)) from None
    if args.command == "recap":
        from tui.recap import RecapError

        try:
            return recap_command(args.since, args.replay)
        except RecapError as exc:
            raise UsageError(str(exc)) from None
    if args.command == "explain" and args.list:
        return list_assets()
    return None


def list_assets() -> int:
    """Every asset `explain` accepts, with its symbol and aliases."""
    from tui.numtext import table
    from tui.palette import explainable_assets

    rows = [[a.id, a.symbol, a.name, ", ".join(a.aliases)] for a in explainable_assets()]
    print("\n".join(table(rows)))
    return 0


def recap_command(since: str | None, replay: date | None, now: datetime | None = None) -> int:
    """`riskpulse recap`: print the recap; the exit code.

    Raises:
        RecapError: On a bad `--since`, a day outside the bundle, or nothing to compare.
    """
    from datetime import UTC, datetime

    from tui.history import History, MergedHistory
    from tui.recap import (
        RecapError,
        last_session_end,
        live_recap,
        parse_since,
        recap_text,
        replay_recap,
    )

    history = History()
    if replay is not None:
        first, last = history.span()
        if not first < replay <= last:
            raise RecapError(f"{replay} is outside the bundled data ({first} … {last})")
        print(recap_text(replay_recap(history, replay)))
        return 0
    from tui.alerts.state import state_dir
    from tui.live_session import open_store
    from tui.snapshot_output import snapshot_from_json

    now = now or datetime.now(UTC)
    start = parse_since(since, now) if since else last_session_end(state_dir())
    if start is None:
        raise RecapError("no session recorded yet: pass --since 12h or a day")
    store, warning = open_store()
    loaded = store.load_snapshot() if store is not None else None
    if store is None or loaded is None:
        raise RecapError(f"nothing cached to compare ({warning or 'run riskpulse once'})")
    saved_at, doc = loaded
    snap = snapshot_from_json(doc, datetime.fromtimestamp(saved_at, UTC))
    print(recap_text(live_recap(MergedHistory(history, store.merged), snap, start)))
    store.close()
    return 0
