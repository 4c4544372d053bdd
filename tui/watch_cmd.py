"""`riskpulse watch add|rm|list|import|move`, and the same edits for the app.

Every edit reads the config with tomlkit, changes the pane lists and `[symbols]`, and writes it
back atomically (`tui.config_file`); the user's comments survive. A new symbol is checked with
one quote request before anything is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.assets import PANE_ASSETS, Asset, AssetClass, resolve
from tui.numtext import table
from tui.watchlist import Spec, WatchError, install, parse_spec

if TYPE_CHECKING:
    import argparse

    from tui.config import Config

Describe = Callable[[Spec], dict[str, Any]]
"""Checks a new symbol (one quote request) and returns its description, or raises WatchError."""


def _config_file() -> Any:
    """`tui.config_file`, imported on first use: tomlkit is not worth loading for a dashboard
    start that only builds the command line's parser."""
    from tui import config_file

    return config_file


def default_pane(entry: dict[str, Any]) -> str:
    """Where a symbol goes when no pane is named: coins to crypto, FX and futures to macro."""
    kind = entry.get("class")
    if kind == AssetClass.CRYPTO.value:
        return "crypto"
    if kind in (AssetClass.FX.value, AssetClass.FUTURE.value):
        return "macro"
    return "indices"


def _pane(name: str | None) -> str | None:
    if name is not None and name not in PANE_ASSETS:
        raise WatchError(f"unknown pane {name!r} (one of: {', '.join(PANE_ASSETS)})")
    return name


def _ids(names: Iterable[str]) -> list[str | None]:
    return [a.id if (a := resolve(n)) is not None else None for n in names]


def add(path: Path, text: str, pane: str | None, describe: Describe) -> tuple[str, str]:
    """Add one symbol to a pane (checked first when the catalogue does not know it).

    Args:
        path: The config file.
        text: What the user typed.
        pane: The pane, or None for the symbol's natural one.
        describe: The quote check.

    Returns:
        The pane and the line to show.

    Raises:
        WatchError: Invalid or unknown symbol, or an unknown pane.
    """
    asset, where, entry = _prepare(text, pane, describe)
    state: dict[str, str] = {}

    def change(doc: Any) -> None:
        state["line"] = _put(doc, asset, where, entry)

    _config_file().edit(path, change)
    return where, state["line"]


def _prepare(
    text: str, pane: str | None, describe: Describe
) -> tuple[Asset, str, dict[str, Any] | None]:
    """The asset `text` names (checked and registered when new), its pane, its description."""
    _pane(pane)
    known = resolve(text)
    entry: dict[str, Any] | None = None
    if known is None:
        spec = parse_spec(text)
        from tui.watch_check import builtin_for

        known = builtin_for(spec) or resolve(spec.key)
        if known is None:
            entry = describe(spec)
            install({spec.key: entry})
            known = resolve(spec.key)
    if known is None:  # pragma: no cover - install registers the key
        raise WatchError(f"could not register {text!r}")
    return known, pane or default_pane(entry or {"class": known.asset_class.value}), entry


def _put(doc: Any, asset: Asset, where: str, entry: dict[str, Any] | None) -> str:
    """Append the asset to its pane in the document; the line to show."""
    names = _config_file().pane_list(doc, where)
    if asset.id in _ids(names):
        return f"{asset.symbol} is already in {where}"
    written = key_of(asset.id)
    if entry is not None:
        _config_file().set_symbol(doc, written, entry)
    _config_file().set_pane(doc, where, [*names, written])
    return f"added {asset.symbol} ({asset.name}) to {where}"


def key_of(asset_id: str) -> str:
    """How a pane list names an asset: a user symbol by its key (`AAPL`, `coingecko:dogecoin`),
    a built-in by its id."""
    from tui.assets import BY_ID, USER_IDS

    asset = BY_ID[asset_id]
    if asset_id not in USER_IDS:
        return asset_id
    if asset.yahoo:
        return asset.yahoo
    return f"coingecko:{asset.coingecko}" if asset.coingecko else f"binance:{asset.binance}"


def remove(path: Path, text: str, pane: str | None = None) -> str:
    """Take a symbol off its pane (or every pane); its `[symbols]` entry goes when unused.

    Raises:
        WatchError: When no pane shows it.
    """
    _pane(pane)
    asset = resolve(text)
    if asset is None:
        raise WatchError(f"{text!r} is in no pane (`riskpulse watch list` shows them)")
    state: dict[str, list[str]] = {"from": []}

    def change(doc: Any) -> None:
        used = False
        for name in PANE_ASSETS:
            names = _config_file().pane_list(doc, name)
            ids = _ids(names)
            if asset.id in ids and (pane is None or pane == name):
                _config_file().set_pane(
                    doc, name, [n for n, i in zip(names, ids, strict=True) if i != asset.id]
                )
                state["from"].append(name)
            elif asset.id in ids:
                used = True
        for key in list(doc.get("symbols", {})):
            if not used and resolve(key) is asset:
                _config_file().drop_symbol(doc, key)

    _config_file().edit(path, change)
    if not state["from"]:
        raise WatchError(f"{asset.symbol} is in no pane (`riskpulse watch list` shows them)")
    return f"removed {asset.symbol} from {', '.join(state['from'])}"


def move(path: Path, pane: str, asset_id: str, offset: int) -> list[str] | None:
    """Move a row up (-1) or down (+1) in its pane; the pane's new ids, or None at an end."""
    result: dict[str, list[str]] = {}

    def change(doc: Any) -> None:
        names = _config_file().pane_list(doc, pane)
        ids = _ids(names)
        if asset_id not in ids:
            return
        i = ids.index(asset_id)
        j = i + offset
        if not 0 <= j < len(names):
            return
        names[i], names[j] = names[j], names[i]
        _config_file().set_pane(doc, pane, names)
        result["ids"] = [x for x in _ids(names) if x is not None]

    _config_file().edit(path, change)
    return result.get("ids")


def read_symbols(text: str) -> list[str]:
    """Symbols from an import file: one a line, or CSV (first column; a `symbol` header and
    `#` comments are skipped)."""
    out: list[str] = []
    for row in csv.reader(io.StringIO(text)):
        cell = row[0].strip() if row else ""
        if not cell or cell.startswith("#") or cell.lower() in ("symbol", "ticker"):
            continue
        out.append(cell)
    return list(dict.fromkeys(out))


def import_file(
    path: Path, text: str, pane: str | None, describe_many: Callable[[list[Spec]], Any]
) -> list[str]:
    """Add every symbol of an import file; one line per symbol added or refused."""
    lines: list[str] = []
    specs: list[Spec] = []
    for name in read_symbols(text):
        if resolve(name) is not None:
            specs.append(Spec("known", name))
            continue
        try:
            specs.append(parse_spec(name))
        except WatchError as exc:
            lines.append(f"skipped: {exc}")
    from tui.watch_check import builtin_for

    new = [s for s in specs if s.source != "known" and builtin_for(s) is None]
    found, failed = describe_many(new) if new else ({}, {})
    ready: list[tuple[Asset, str, dict[str, Any] | None]] = []
    for spec in specs:
        name = spec.symbol if spec.source == "known" else spec.key
        if spec.key in failed:
            lines.append(f"skipped {spec.key}: {failed[spec.key]}")
            continue

        def given(_spec: Spec, key: str = spec.key) -> dict[str, Any]:
            return dict(found[key])

        try:
            ready.append(_prepare(name, pane, given))
        except (WatchError, KeyError) as exc:
            lines.append(f"skipped {name}: {exc}")

    def change(doc: Any) -> None:  # one atomic write for the whole file
        lines.extend(_put(doc, *item) for item in ready)

    _config_file().edit(path, change)
    return lines


def listing(cfg: Config) -> list[str]:
    """`pane  symbol  name` lines for every pane, in columns at least two spaces apart."""
    rows = []
    for pane, ids in cfg.watchlists.items():
        for asset_id in ids:
            asset = resolve(asset_id)
            mark = "  (added)" if asset is not None and asset.id in _user_ids() else ""
            if asset is not None:
                rows.append([pane, asset.symbol, f"{asset.name}{mark}"])
    return table(rows)


def _user_ids() -> set[str]:
    from tui.assets import USER_IDS

    return USER_IDS


def add_parser(sub: Any) -> None:
    """Declare `riskpulse watch …`."""
    watch = sub.add_parser("watch", help="your own symbols: add, rm, list, import")
    actions = watch.add_subparsers(dest="watch_action", metavar="ACTION", required=True)
    one = actions.add_parser("add", help="add a symbol (checked with one quote request)")
    one.add_argument("symbol", help="AAPL, 0700.HK, ^FTSE, EURUSD=X, coingecko:dogecoin…")
    one.add_argument("--pane", choices=tuple(PANE_ASSETS))
    rm = actions.add_parser("rm", help="remove a symbol from its pane")
    rm.add_argument("symbol")
    rm.add_argument("--pane", choices=tuple(PANE_ASSETS))
    actions.add_parser("list", help="every pane's symbols")
    imp = actions.add_parser("import", help="add symbols from a file (one a line, or CSV)")
    imp.add_argument("file")
    imp.add_argument("--pane", choices=tuple(PANE_ASSETS))


def run(args: argparse.Namespace, cfg: Config) -> int:
    """Run a `watch` command against the config in force.

    Raises:
        WatchError: For anything the user must fix (one line, exit 2).
    """
    import asyncio

    from tui.live_session import source_urls
    from tui.watch_check import check_many, check_once

    urls = source_urls(cfg)
    if args.watch_action == "list":
        print("\n".join(listing(cfg)))
        return 0
    if args.watch_action == "add":
        _, line = add(
            cfg.path,
            args.symbol,
            args.pane,
            lambda spec: asyncio.run(check_once(spec, cfg.timeout, urls)),
        )
        print(line)
        return 0
    if args.watch_action == "rm":
        print(remove(cfg.path, args.symbol, args.pane))
        return 0
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchError(f"cannot read {args.file}: {exc}") from None
    lines = import_file(
        cfg.path,
        text,
        args.pane,
        lambda specs: asyncio.run(check_many(specs, cfg.timeout, urls)),
    )
    print("\n".join(lines))
    return 0
