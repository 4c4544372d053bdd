"""The TOML config: where it lives, what is in force, and exact errors.

Discovery order: `--config PATH`, then `RISKPULSE_CONFIG`, then `$XDG_CONFIG_HOME/riskpulse/
config.toml` (default `~/.config/riskpulse/config.toml`). A missing file means the defaults. A bad
file is one line naming the file, the line and the key. Keys never belong here (`riskpulse keys`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.alerts.rules import Rule
from tui.assets import BY_ID, PANE_ASSETS
from tui.config_read import ConfigError as ConfigError
from tui.config_read import line_of, parse, read_text, where
from tui.sanitize import clean
from tui.sources import SOURCE_IDS
from tui.status_line import StatusSettings

DEFAULT_REFRESH: dict[str, int] = {
    "yahoo": 15,
    "stooq": 300,
    "coingecko": 30,
    "binance": 300,
    "alternative_me": 3600,
    "cnn": 3600,
    "fred": 3600,
    "cme": 900,  # settlements are published once a day
    "kalshi": 60,
    "polymarket": 60,
    "news": 300,
}
"""Seconds between refreshes per source: fear & greed and FRED change daily, not every 15 s."""
CONFIGURABLE_SOURCES: tuple[str, ...] = tuple(dict.fromkeys((*SOURCE_IDS, "cboe")))
"""Sources that take `[sources.<id>]` settings: the refreshed ones and the Cboe fallback."""
MIN_REFRESH = 5
MAX_REFRESH = 86_400
DEFAULT_TIMEOUT = 10.0
"""Seconds to wait for one HTTP read."""
DEFAULT_DEADLINE = 10.0
"""Seconds one request may take in all: connect, headers, body, retries and their waits."""
MAX_DEADLINE = 120.0

DEFAULT_TEXT = """\
# riskpulse configuration. Every setting is optional; delete a line to get the default.
# API keys do not belong here: use `riskpulse keys set SOURCE` or RISKPULSE_<SOURCE>_KEY.

# Colour theme: riskpulse, riskpulse-light, riskpulse-red-up, riskpulse-ansi, or a Textual theme.
theme = "riskpulse"

# Seconds to wait for one HTTP answer (raise it on a slow link).
timeout = 10

# Seconds one request may take in all (connect, headers, body and retries).
deadline = 10

# Seconds between refreshes, per source.
[refresh]
{refresh}

# What each pane shows (asset ids, symbols or aliases).
[watchlists]
{watchlists}

# Point a source at another server (a mirror, or a local one for testing), or give it its own
# deadline:
# [sources.fred]
# url = "http://127.0.0.1:8080"
# deadline = 20

# The tmux status line (`riskpulse status`): items are asset names, NAME:price, fg, fed.
# [status]
# items = ["sp500", "nasdaq100", "btc:price", "fg", "fed"]
# width = 100
# refresh = 60

# Alerts kept in the config (`riskpulse alerts add` keeps them in the state directory).
# `alert_bell = false`, placed above the first [table], keeps alerts from ringing the bell.
# [[alerts]]
# rule = "btc below 90000"
"""


@dataclass(frozen=True)
class Config:
    """The settings in force."""

    path: Path
    exists: bool
    theme: str | None = None
    refresh: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_REFRESH))
    watchlists: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(PANE_ASSETS))
    source_urls: dict[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT
    status: StatusSettings = field(default_factory=StatusSettings)
    """`[status]`: the tmux status line's items, width, freshness and colours."""
    alerts: tuple[Rule, ...] = ()
    """`[[alerts]]`: rules that live in the config (the state file keeps their armed flags)."""
    alert_bell: bool = True
    """`alert_bell = false` keeps alerts from ringing the terminal bell."""
    deadline: float = DEFAULT_DEADLINE
    """Seconds per request in all, for sources without their own `deadline`."""
    deadlines: dict[str, float] = field(default_factory=dict)
    """Per-source deadlines from `[sources.<id>] deadline`."""
    symbols: dict[str, dict[str, Any]] = field(default_factory=dict)
    """`[symbols."KEY"]`: the user's own symbols, as their quote described them."""
    keys: dict[str, str] = field(default_factory=dict)
    """`[keys]`: binding id → keys (`"dash.next_day" = "n"`), checked by `tui.keymap`."""
    key_lines: dict[str, int] = field(default_factory=dict)
    """The line each `[keys]` entry is on, for error lines."""


def config_path(cli_path: str | None = None, environ: dict[str, str] | None = None) -> Path:
    """Where the config is read from, by the discovery order above."""
    env = dict(os.environ) if environ is None else environ
    if cli_path:
        return Path(cli_path).expanduser()
    if env.get("RISKPULSE_CONFIG"):
        return Path(env["RISKPULSE_CONFIG"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "riskpulse" / "config.toml"


def load(path: Path) -> Config:
    """Read and validate the config at `path` (defaults when it does not exist).

    Raises:
        ConfigError: One line `file:line: key: why` for any defect of the file or a setting.
    """
    text = read_text(path)
    if text is None:
        return Config(path, exists=False)
    data = parse(path, text)

    def fail(key: str, why: str) -> ConfigError:
        return ConfigError(f"{where(path)}:{line_of(text, key)}: {clean(key, 80)}: {why}")

    allowed = {
        "theme",
        "refresh",
        "watchlists",
        "sources",
        "timeout",
        "deadline",
        *MORNING_KEYS,
        *WATCH_KEYS,
    }
    for key in data:
        if key not in allowed:
            raise fail(key, f"unknown setting (allowed: {', '.join(sorted(allowed))})")
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise fail("theme", "must be a theme name in quotes")
    timeout = data.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 120:
        raise fail("timeout", "must be a number of seconds between 0 and 120")
    deadline = data.get("deadline", DEFAULT_DEADLINE)
    if not _seconds(deadline, MAX_DEADLINE):
        raise fail("deadline", f"must be a number of seconds between 0 and {MAX_DEADLINE:g}")
    refresh = dict(DEFAULT_REFRESH)
    for source, seconds in _table(data, "refresh", fail).items():
        if source not in SOURCE_IDS:
            raise fail(f"refresh.{source}", f"unknown source (one of: {', '.join(SOURCE_IDS)})")
        if not _seconds(seconds, MAX_REFRESH) or seconds < MIN_REFRESH:
            raise fail(
                f"refresh.{source}",
                f"must be a number of seconds from {MIN_REFRESH} to {MAX_REFRESH}",
            )
        refresh[source] = int(seconds)
    _install_symbols(data, fail, path, text)
    watchlists = dict(PANE_ASSETS)
    for pane, names in _table(data, "watchlists", fail).items():
        if pane not in PANE_ASSETS:
            raise fail(f"watchlists.{pane}", f"unknown pane (one of: {', '.join(PANE_ASSETS)})")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise fail(f"watchlists.{pane}", "must be a list of asset names in quotes")
        from tui.assets import resolve

        ids = []
        for name in names:
            asset = resolve(name)
            if asset is None or asset.id not in BY_ID:
                raise fail(f"watchlists.{pane}", f"unknown asset {name!r}")
            ids.append(asset.id)
        watchlists[pane] = tuple(ids)
    urls: dict[str, str] = {}
    deadlines: dict[str, float] = {}
    for source, table in _table(data, "sources", fail).items():
        if source not in CONFIGURABLE_SOURCES:
            known = ", ".join(CONFIGURABLE_SOURCES)
            raise fail(f"sources.{source}", f"unknown source (one of: {known})")
        if not isinstance(table, dict):
            raise fail(f"sources.{source}", "must be a table such as [sources.fred]")
        for key, value in table.items():
            if key in ("key", "api_key", "token"):
                raise fail(
                    f"sources.{source}.{key}",
                    "keys do not belong in the config: use `riskpulse keys set "
                    f"{source}` or RISKPULSE_{source.upper()}_KEY",
                )
            if key == "deadline":
                if not _seconds(value, MAX_DEADLINE):
                    raise fail(
                        f"sources.{source}.deadline",
                        f"must be a number of seconds between 0 and {MAX_DEADLINE:g}",
                    )
                deadlines[source] = float(value)
                continue
            if key != "url":
                raise fail(f"sources.{source}.{key}", "unknown setting (allowed: url, deadline)")
            if not isinstance(value, str) or not re.match(r"^https?://[^/\s]+", value):
                raise fail(f"sources.{source}.url", "must be http(s)://host[:port]")
            urls[source] = value
    cfg = Config(
        path,
        True,
        theme,
        refresh,
        watchlists,
        urls,
        float(timeout),
        deadline=float(deadline),
        deadlines=deadlines,
    )
    return _with_watch(_with_morning(cfg, data, fail), data, fail)


MORNING_KEYS = ("status", "alerts", "alert_bell")


def _with_morning(cfg: Config, data: dict[str, Any], fail: Any) -> Config:
    """Read `[status]`, `[[alerts]]` and `alert_bell` into the config."""
    from dataclasses import replace

    from tui.alerts.rules import RuleError, rule_from_json
    from tui.status_line import settings_from

    status = settings_from(data.get("status", {}), fail)
    rows = data.get("alerts", [])
    if not isinstance(rows, list):
        raise fail("alerts", 'must be a list of tables: [[alerts]] rule = "btc below 90000"')
    rules = []
    for row in rows:
        try:
            rules.append(rule_from_json(row, origin="config"))
        except RuleError as exc:
            raise fail("alerts", str(exc)) from None
    bell = data.get("alert_bell", True)
    if not isinstance(bell, bool):
        raise fail("alert_bell", "must be true or false")
    return replace(cfg, status=status, alerts=tuple(rules), alert_bell=bell)


def _seconds(value: Any, most: float) -> bool:
    """A finite number of seconds in (0, most] (booleans are not numbers here)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and 0 < value <= most


WATCH_KEYS = ("symbols", "keys")


def _install_symbols(data: dict[str, Any], fail: Any, path: Path, text: str) -> None:
    """Register `[symbols]` in the catalogue before `[watchlists]` names them."""
    from tui.watchlist import WatchError, install

    symbols = _table(data, "symbols", fail)

    def bad(key: str, why: str) -> ConfigError:
        quoted = re.escape(key)
        line = next(
            (
                n
                for n, row in enumerate(text.splitlines(), 1)
                if re.match(rf'\s*\[\s*symbols\s*\.\s*("{quoted}"|\'{quoted}\'|{quoted})\s*\]', row)
            ),
            1,
        )
        return ConfigError(f"{path}:{line}: symbols.{key}: {why}")

    for key, entry in symbols.items():
        if not isinstance(entry, dict):
            raise bad(key, 'must be a table: [symbols."AAPL"]')
    try:
        install(symbols)
    except WatchError as exc:
        raise bad(exc.key or "?", str(exc)) from None


def _with_watch(cfg: Config, data: dict[str, Any], fail: Any) -> Config:
    """Keep `[symbols]` and `[keys]` in the config (their lines for error messages)."""
    from dataclasses import replace

    keys = _table(data, "keys", fail)
    for binding_id, value in keys.items():
        if not isinstance(value, str) or not value.strip():
            raise fail(f"keys.{binding_id}", 'must be keys in quotes, such as "n" or "ctrl+n"')
    text = cfg.path.read_text(encoding="utf-8") if cfg.path.exists() else ""
    lines = {k: _key_line(text, k) for k in keys}
    symbols = {k: dict(v) for k, v in _table(data, "symbols", fail).items()}
    return replace(cfg, symbols=symbols, keys=dict(keys), key_lines=lines)


def _key_line(text: str, binding_id: str) -> int:
    """The line of `"binding.id" = …` under `[keys]` (1 when not found)."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == "[keys]"
        elif inside and re.match(rf"[\"']?{re.escape(binding_id)}[\"']?\s*=", stripped):
            return number
    return 1


def _table(data: dict[str, Any], key: str, fail: Any) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise fail(key, "must be a table")
    return value


def show_text(cfg: Config) -> str:
    """The settings in force as TOML that tomllib reads back (`riskpulse config show`).

    Written by tomli-w, which escapes control characters inside strings, so a hostile value
    shows as `\u001b…`, never as a live escape; the first line is a comment naming the file.
    """
    import tomli_w

    doc: dict[str, Any] = {
        "theme": cfg.theme or "riskpulse",
        "timeout": cfg.timeout,
        "deadline": cfg.deadline,
        "refresh": dict(cfg.refresh),
        "watchlists": {pane: list(ids) for pane, ids in cfg.watchlists.items()},
    }
    sources: dict[str, dict[str, Any]] = {}
    for source, url in cfg.source_urls.items():
        sources.setdefault(source, {})["url"] = url
    for source, seconds in cfg.deadlines.items():
        sources.setdefault(source, {})["deadline"] = seconds
    if sources:
        doc["sources"] = sources
    note = "" if cfg.exists else " (not found: defaults in force)"
    return f"# {where(cfg.path)}{note}\n{tomli_w.dumps(doc)}"


def default_text() -> str:
    """The commented default config that `riskpulse config init` writes."""
    refresh = "\n".join(f"{k} = {v}" for k, v in DEFAULT_REFRESH.items())
    watch = "\n".join(
        f"{pane} = [{', '.join(repr(a) for a in ids)}]".replace("'", '"')
        for pane, ids in PANE_ASSETS.items()
    )
    return DEFAULT_TEXT.format(refresh=refresh, watchlists=watch)


def write_default(path: Path) -> None:
    """Write the default config atomically; an existing file is never overwritten.

    Raises:
        ConfigError: When the file already exists.
    """
    if path.exists():
        raise ConfigError(f"{path} already exists; not overwritten")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(default_text(), encoding="utf-8")
    os.replace(tmp, path)
