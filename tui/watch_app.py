"""The app's watchlist keys: add a symbol, remove or move the selected row, import a file.

Each edit goes through the same functions as `riskpulse watch` (the config file, atomically,
comments kept), then the new pane lists are handed to the replay source, the live context and
the dashboard, and the cursor follows the moved row.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.assets import PANE_ASSETS, resolve
from tui.watchlist import WatchError, completions, parse_spec

if TYPE_CHECKING:
    from tui.app import RiskPulseApp

ADD_HINT = "AAPL, 0700.HK, ^FTSE, EURUSD=X, coingecko:dogecoin, binance:DOGEUSDT"


def focused_pane(app: RiskPulseApp) -> str | None:
    """The quote pane whose table has focus (`table-indices` → `indices`), if any."""
    focused = app.screen.focused
    name = (focused.id or "").removeprefix("table-") if focused is not None else ""
    return name if name in PANE_ASSETS else None


def _config(app: RiskPulseApp) -> Path:
    if app.config_path is None:
        raise WatchError("no config file in this run: use `riskpulse watch add`")
    return app.config_path


def _reloaded(path: Path) -> tuple[dict[str, tuple[str, ...]], Any]:
    from tui import config

    try:
        cfg = config.load(path)
    except config.ConfigError as exc:
        raise WatchError(str(exc)) from None
    return cfg.watchlists, cfg


async def add(app: RiskPulseApp, pane: str | None, text: str) -> str:
    """Add `text` to `pane` (the one focused when the prompt opened, else its natural one).

    Raises:
        WatchError: An invalid or unknown symbol (the prompt shows it).
    """
    from tui import watch_cmd
    from tui.live_session import source_urls
    from tui.watch_check import builtin_for, check_once

    path = _config(app)
    entry: dict[str, Any] | None = None
    if resolve(text) is None:
        spec = parse_spec(text)
        if builtin_for(spec) is None:
            _, cfg = await asyncio.to_thread(_reloaded, path)
            entry = await check_once(spec, cfg.timeout, source_urls(cfg))
    found = entry

    def given(_spec: object) -> dict[str, Any]:
        if found is None:  # pragma: no cover - only asked for a symbol not known yet
            raise WatchError(f"{text!r} changed while it was checked; try again")
        return found

    where, line = await asyncio.to_thread(watch_cmd.add, path, text, pane, given)
    apply(app, (await asyncio.to_thread(_reloaded, path))[0], where)
    return line


def remove_selected(app: RiskPulseApp) -> None:
    """Take the selected row off its pane."""
    from tui import watch_cmd
    from tui.screens.alert_prompt import selected_row

    pane, row = focused_pane(app), selected_row(app.screen)
    if pane is None or row is None or resolve(row) is None:
        app.notify("Select a row in a quote pane first.")
        return
    try:
        line = watch_cmd.remove(_config(app), row, pane)
        apply(app, _reloaded(_config(app))[0], pane)
    except WatchError as exc:
        app.notify(str(exc), severity="warning", markup=False)
        return
    app.notify(line, markup=False)


def move_selected(app: RiskPulseApp, offset: int) -> None:
    """Move the selected row up (-1) or down (+1) in its pane, and keep it selected."""
    from tui import watch_cmd
    from tui.screens.alert_prompt import selected_row

    pane, row = focused_pane(app), selected_row(app.screen)
    asset = resolve(row) if row else None
    if pane is None or asset is None:
        app.notify("Select a row in a quote pane first.")
        return
    try:
        ids = watch_cmd.move(_config(app), pane, asset.id, offset)
    except WatchError as exc:
        app.notify(str(exc), severity="warning", markup=False)
        return
    if ids is not None:
        apply(app, {pane: tuple(ids)}, pane, select=asset.id)


async def import_file(app: RiskPulseApp, pane: str | None, name: str) -> str:
    """Add every symbol of a file (one a line, or CSV); a one-line summary."""
    from tui import watch_cmd
    from tui.live_session import source_urls
    from tui.watch_check import check_many

    path = _config(app)
    try:
        text = Path(name).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchError(f"cannot read {name}: {exc.__class__.__name__}") from None
    _, cfg = await asyncio.to_thread(_reloaded, path)
    urls = source_urls(cfg)

    def check(specs: Any) -> Any:
        return asyncio.run(check_many(specs, cfg.timeout, urls))

    lines = await asyncio.to_thread(watch_cmd.import_file, path, text, pane, check)
    apply(app, (await asyncio.to_thread(_reloaded, path))[0], pane)
    added = sum(1 for line in lines if line.startswith("added"))
    skipped = [line for line in lines if line.startswith("skipped")]
    return f"imported {added}, skipped {len(skipped)}" + (f" ({skipped[0]})" if skipped else "")


def apply(
    app: RiskPulseApp,
    watchlists: dict[str, tuple[str, ...]],
    pane: str | None,
    select: str | None = None,
) -> None:
    """Hand new pane lists to the sources and repaint the dashboard at once.

    The dashboard may offer `watchlists_changed(panes)`; until it does, the snapshot is rebuilt
    here (replay: the day again; live: the readings held, new rows waiting for the next cycle,
    which is asked for now).
    """
    from tui.screens.dashboard_live import LiveUpdated

    app.source.watchlists.update(watchlists)
    dash = app.dashboard()
    if dash is None:
        return
    session = dash.session
    if session is not None:
        session.live.watchlists.update(watchlists)
    hook = getattr(dash, "watchlists_changed", None)
    if callable(hook):
        hook(watchlists)
    elif dash.day is not None:
        dash.snapshot = app.source.snapshot(dash.day)
    elif session is not None:
        dash.post_message(LiveUpdated(session.live.snapshot()))
        if dash.scheduler is not None:
            for source in ("yahoo", "coingecko"):
                dash.scheduler.schedule(source, 0.05)
    if pane is not None and select is not None:
        _select(app, pane, select)


def _select(app: RiskPulseApp, pane: str, asset_id: str) -> None:
    from widgets.navigable import NavigableTable

    dash = app.dashboard()
    tables = dash.query(f"#table-{pane}") if dash is not None else None
    table = tables.first() if tables else None
    if isinstance(table, NavigableTable) and asset_id in table.row_keys:
        table.move_cursor(row=table.get_row_index(asset_id))


def suggestions() -> list[str]:
    """What the add prompt completes over."""
    return completions()
