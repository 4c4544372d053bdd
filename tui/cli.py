"""Command line: the dashboard and the non-interactive commands.

Exit codes (DESIGN §4): 0 when data was shown, 1 when no source gave any data, 2 for a usage
error. Errors are one readable line, never a traceback. Heavy modules load only in the command
that needs them.
"""

from __future__ import annotations

import gc
import json  # the status line needs it too; argparse and the rest load per command
import os
import sys
import time
from collections.abc import Callable, Sequence

TYPE_CHECKING = False  # typing itself costs the status line ~10 ms; mypy reads this name

if TYPE_CHECKING:
    import argparse
    from datetime import date

    from tui.config import Config
    from tui.explain.engine import Explanation
    from tui.explain.move import Horizon
    from tui.live_session import LiveSession
    from tui.model import Snapshot

EXIT_OK, EXIT_NO_DATA, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command-line mistake, reported as one line with exit code 2."""


def parse_day(text: str) -> date:
    """Parse a YYYY-MM-DD day for argparse."""
    import argparse
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


LATE_COMMANDS = ("status", "alerts", "recap", "watch")
"""Commands whose parsers live in their own modules: loaded only when one is asked for, so a
dashboard start does not pay for their imports before its first frame."""


def build_parser(late: bool = True) -> argparse.ArgumentParser:
    """The argument parser for every command (`late=False`: without LATE_COMMANDS)."""
    import argparse

    from tui import __version__

    parser = argparse.ArgumentParser(
        prog="riskpulse",
        description="Terminal market monitor: indices, crypto, gold & macro, Fed-watch odds and "
        "fear & greed, with a drill-down that explains why an asset moved.",
    )
    parser.add_argument("--version", action="version", version=f"riskpulse {__version__}")
    parser.add_argument(
        "--replay",
        type=parse_day,
        metavar="YYYY-MM-DD",
        help="show the bundled real data as of that day",
    )
    parser.add_argument("--theme", metavar="NAME", help="colour theme (see the command palette)")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (else RISKPULSE_CONFIG, else $XDG_CONFIG_HOME/riskpulse/config.toml)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    snap = sub.add_parser("snapshot", help="print the panes once and exit")
    snap.add_argument(
        "--replay",
        type=parse_day,
        metavar="YYYY-MM-DD",
        dest="snapshot_replay",
        help="as of that day, from the bundled real data",
    )
    snap.add_argument("--format", choices=("table", "json"), default="table")
    exp = sub.add_parser("explain", help="explain, from data, why an asset moved")
    exp.add_argument("asset", nargs="?", help="asset id, symbol or alias (btc, ^NDX, gold, GC=F…)")
    exp.add_argument("--list", action="store_true", help="list every asset explain accepts")
    exp.add_argument(
        "--replay",
        type=parse_day,
        metavar="YYYY-MM-DD",
        dest="explain_replay",
        help="the day to explain, from the bundled real data",
    )
    exp.add_argument("--horizon", choices=("1d", "5d", "1m"), default="1d")
    exp.add_argument("--format", choices=("text", "json"), default="text")
    exp.add_argument(
        "--schema",
        choices=("riskpulse.explain/2", "riskpulse.explain/1"),
        default="riskpulse.explain/2",
        help="JSON schema to write (/1 is the earlier shape, kept for existing consumers)",
    )
    cfg = sub.add_parser("config", help="where the config is, what is in force, or write one")
    cfg.add_argument("action", choices=("path", "show", "init"))
    src = sub.add_parser("sources", help="each source's URL, key state and health; --check")
    src.add_argument("--check", action="store_true", help="one live request per source")
    keys = sub.add_parser("keys", help="manage API keys in the system keyring")
    keys.add_argument("action", choices=("set", "delete", "list"))
    keys.add_argument("source", nargs="?", help="source id (fred, coingecko, …)")
    if late:
        from tui.morning_cli import add_commands
        from tui.watch_cmd import add_parser

        add_commands(sub)
        add_parser(sub)
    return parser


def cmd_config(action: str, cli_path: str | None) -> int:
    """Show where the config is, what is in force, or write the commented default."""
    from tui import config

    path = config.config_path(cli_path)
    try:
        if action == "path":
            print(path)
        elif action == "init":
            config.write_default(path)
            print(f"wrote {path}")
        else:
            print(config.show_text(config.load(path)), end="")
    except config.ConfigError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


def load_config(cli_path: str | None) -> Config:
    """The config in force (a bad config is a usage error)."""
    from tui import config

    try:
        return config.load(config.config_path(cli_path))
    except config.ConfigError as exc:
        raise UsageError(str(exc)) from None


def cmd_watch(args: argparse.Namespace) -> int:
    """`riskpulse watch …`: a refused symbol or pane is one line and exit 2."""
    from tui import watch_cmd
    from tui.watchlist import WatchError

    try:
        return watch_cmd.run(args, load_config(args.config))
    except WatchError as exc:
        raise UsageError(str(exc)) from None


def cmd_keys(action: str, source: str | None) -> int:
    """Store, delete or list API keys; a key is read from stdin, never from the command line."""
    from tui import secrets
    from tui.sources import SOURCE_IDS

    try:
        if action == "list":
            from tui.numtext import table

            print("\n".join(table([[sid, secrets.where(sid)] for sid in SOURCE_IDS])))
            return EXIT_OK
        if source is None:
            raise UsageError(f"keys {action} needs a source (one of: {', '.join(SOURCE_IDS)})")
        if action == "set":
            if sys.stdin.isatty():
                import getpass

                value = getpass.getpass(f"API key for {source}: ")
            else:
                value = sys.stdin.readline()
            secrets.set_key(source, value)
            print(f"stored the {source} key in the system keyring")
        elif secrets.delete_key(source):
            print(f"deleted the {source} key")
        else:
            print(f"no {source} key was stored")
    except secrets.SecretsError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


def cmd_explain(
    name: str,
    day: date | None,
    horizon: str,
    fmt: str,
    cfg: Config,
    clock: Callable[[], float] | None = None,
    schema: str = "riskpulse.explain/2",
) -> int:
    """Explain one asset's move: on a replayed day, or today's from live data."""
    from tui.assets import resolve

    asset = resolve(name)
    if asset is None:
        raise UsageError(f"unknown asset {name!r} (try btc, ndx, gold, hang_seng…)")
    from tui.explain.move import Horizon
    from tui.explain.output import to_json, to_text

    if day is not None:
        from tui.explain_inputs import explain_replay
        from tui.history import History

        result = explain_replay(History(), asset.id, replay_day(day), Horizon(horizon))
    else:
        result = live_explanation(asset.id, Horizon(horizon), cfg, clock or time.time)
    if fmt == "json":
        doc = to_json(result, schema)
        print(json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False))
    else:
        print(to_text(result))
    return EXIT_OK


def live_explanation(
    asset_id: str, horizon: Horizon, cfg: Config, clock: Callable[[], float]
) -> Explanation:
    """Today's move: refresh the quotes, fill a year of daily history into the cache (the
    explained asset's whether a pane shows it or not, saying so when that fails), fetch the
    headlines, then explain on the bundled history extended with the cache. Sources that do
    not answer leave the cache as it is; the narrative then names the last close it used.

    Fed odds, sentiment, funding and open interest are the live readings the panes show, on top of
    the bundled tables and the odds the cache kept (`tui.sources.live.explain_inputs`)."""
    import asyncio

    from tui import live_session
    from tui.explain.engine import explain, window_for
    from tui.history import History, MergedHistory
    from tui.sources.live.explain_inputs import builder

    async def fetch_and_explain() -> tuple[Explanation, str | None]:
        session = live_session.start(cfg, clock, retries=1, max_delay=5.0)
        try:
            live = session.live
            sources = ("yahoo", "coingecko", "binance", "fred", "news", "alternative_me", "cnn")
            *_, why = await asyncio.gather(
                *(live.refresh(s) for s in (*sources, "cme", "kalshi", "polymarket")),
                live.backfill(skip=asset_id),
                live.backfill_asset(asset_id),  # in a pane or not, and said when it fails
            )
            if why is not None:
                print(f"riskpulse: no daily history fetched for {asset_id}: {why}", file=sys.stderr)
            heads = await live.asset_headlines(asset_id)
            base = History()
            store = session.store
            history = MergedHistory(base, store.merged) if store is not None else base
            today = live.today()
            inputs = builder(live)(window_for(history, asset_id, today, horizon))
            return explain(history, asset_id, today, horizon, heads, inputs), session.warning
        finally:
            await session.close()

    result, warning = asyncio.run(fetch_and_explain())
    if warning:
        print(f"riskpulse: {warning}", file=sys.stderr)
    return result


def replay_day(day: date) -> date:
    """Check that the bundle covers `day`.

    Raises:
        UsageError: When the day is outside the bundled history.
    """
    from tui.history import History

    first, last = History().span()
    if not first <= day <= last:
        raise UsageError(f"{day} is outside the bundled data ({first} … {last})")
    return day


def cmd_snapshot(
    day: date | None, fmt: str, cfg: Config, clock: Callable[[], float] | None = None
) -> int:
    """Print the panes once: the replayed day, or one refresh of every live source."""
    from tui.snapshot_output import dumps, snapshot_json, snapshot_table

    if day is None:
        snap, code = live_snapshot(cfg, clock or time.time)
        if snap is None:
            return code
    else:
        from tui.sources.replay import ReplaySource

        snap, code = ReplaySource(watchlists=cfg.watchlists).snapshot(replay_day(day)), EXIT_OK
    if fmt == "json":
        print(dumps(snapshot_json(snap)))
    else:
        print(snapshot_table(snap))
    return code


def live_snapshot(cfg: Config, clock: Callable[[], float]) -> tuple[Snapshot | None, int]:
    """Refresh every source once; the snapshot and the exit code.

    Sources that fail are reported inside the snapshot (exit 0). When none answers, the cached
    snapshot is printed marked CACHED (exit 1), or one line says so (exit 1).
    """
    import asyncio

    from tui import live_session

    async def once() -> tuple[Snapshot | None, Snapshot | None, str | None]:
        session = live_session.start(cfg, clock, retries=1, max_delay=5.0)
        try:
            cached = session.cached()
            await asyncio.to_thread(session.load_history)
            results = await session.live.refresh_all()
            snap = session.live.snapshot() if any(results.values()) else None
            if snap is not None:
                session.save(snap)
            return snap, cached, session.warning
        finally:
            await session.close()

    snap, cached, warning = asyncio.run(once())
    if warning:
        print(f"riskpulse: {warning}", file=sys.stderr)
    if snap is not None:
        return snap, EXIT_OK
    replay_hint = "`riskpulse snapshot --replay YYYY-MM-DD` shows the bundled real data"
    if cached is not None:
        print(
            f"riskpulse: no source answered; showing the cached snapshot ({replay_hint})",
            file=sys.stderr,
        )
        return cached, EXIT_NO_DATA
    print(f"riskpulse: no source answered and nothing is cached; {replay_hint}", file=sys.stderr)
    return None, EXIT_NO_DATA


def cmd_dashboard(day: date | None, theme: str | None, cfg: Config) -> int:
    """Run the Textual dashboard: live unless a day is replayed."""
    if day is not None:
        replay_day(day)
    from tui.app import RiskPulseApp

    def live() -> LiveSession:
        from tui import live_session  # httpx and the sources load after the first frame

        return live_session.prepare(cfg)  # connects in the dashboard, after the cache shows

    from themes import default_theme
    from tui.alerts.state import AlertStore, state_dir
    from tui.keymap import KeymapError, check
    from tui.store import cache_path
    from tui.user_themes import themes_dir

    try:
        keymap = check(cfg.keys, cfg.path, cfg.key_lines)
    except KeymapError as exc:
        raise UsageError(str(exc)) from None
    app = RiskPulseApp(
        replay=day,
        theme_name=theme or cfg.theme or os.environ.get("TEXTUAL_THEME") or default_theme(),
        keymap=keymap,
        config_path=cfg.path,
        theme_dir=themes_dir(),
        watchlists=cfg.watchlists,
        live=live if day is None else None,
        refresh=cfg.refresh,
        alerts=AlertStore(),
        alert_rules=cfg.alerts,
        bell=cfg.alert_bell,
        session_dir=state_dir(),
        sessions_file=cache_path().parent / "sessions.json",
    )
    # Start-up has just made most of the objects the session will keep (modules, catalogue,
    # styles): move them out of the collector's sight, so its full passes during the first
    # frames walk only what is new.
    gc.freeze()
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None, clock: Callable[[], float] | None = None) -> int:
    """Entry point of the `riskpulse` console script (`clock` is injected by tests)."""
    from tui.morning_cli import status_fast_path

    fast = status_fast_path(sys.argv[1:] if argv is None else argv)
    if fast is not None:  # tmux calls this every few seconds: no argparse, no config module
        from tui.status_cmd import run

        try:
            return run(*fast)
        except BrokenPipeError:
            return EXIT_OK
    given = sys.argv[1:] if argv is None else list(argv)
    late = any(a in LATE_COMMANDS for a in given) or any(a in ("-h", "--help") for a in given)
    parser = build_parser(late)
    args = parser.parse_args(given)
    try:
        if args.command in ("status", "alerts", "recap") or (
            args.command == "explain" and args.list
        ):
            from tui.morning_cli import run_command

            code = run_command(args, load_config(args.config))
            if code is not None:
                return code
        if args.command == "snapshot":
            day = args.snapshot_replay or args.replay
            return cmd_snapshot(day, args.format, load_config(args.config), clock)
        if args.command == "config":
            return cmd_config(args.action, args.config)
        if args.command == "sources":
            from tui.sources_report import cmd_sources

            return cmd_sources(load_config(args.config), args.check, clock)
        if args.command == "watch":
            return cmd_watch(args)
        if args.command == "keys":
            return cmd_keys(args.action, args.source)
        if args.command == "explain":
            if args.asset is None:
                raise UsageError("explain needs an asset (`riskpulse explain --list` shows them)")
            return cmd_explain(
                args.asset,
                args.explain_replay or args.replay,
                args.horizon,
                args.format,
                load_config(args.config),
                clock,
                args.schema,
            )
        return cmd_dashboard(args.replay, args.theme, load_config(args.config))
    except UsageError as exc:
        print(f"riskpulse: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
