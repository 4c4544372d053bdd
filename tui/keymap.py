"""Your keys: `[keys]` in the config rebinds any binding id, checked before the app starts.

Textual applies a keymap with `App.set_keymap` (binding id → keys) to every node in the binding
chain, so the footer and the help screen show the new keys. What Textual leaves to the app is
saying that two bindings now share a key: `check` does that once, from the classes' bindings, and
reports the first conflict as one config error line (`file:line: keys.ID: …`).

A conflict is a rebound key that another binding reachable on the same screen already uses
(the focused table's keys, the screen's, the app's); keys that already overlapped before the
keymap (a modal's `q` closing it instead of quitting) are the app's design, not a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from textual.binding import Binding
from textual.keys import _normalize_key_list

KEY_RE = re.compile(r"^[A-Za-z0-9_+\-]+$|^[^\s,]$")
"""One key: a Textual key name (`n`, `ctrl+n`, `question_mark`, `f5`) or one printable char."""


class KeymapError(Exception):
    """One line: file, line, key and what is wrong."""


def _bindings(cls: type) -> list[Binding]:
    merged = cls._merge_bindings()  # type: ignore[attr-defined]
    return [b for bs in merged.key_to_bindings.values() for b in bs]


def scopes() -> dict[str, list[Binding]]:
    """The bindings reachable together, per screen (focused widget, screen, app).

    Returns:
        Screen name → its bindings, the app's included.
    """
    from tui.app import RiskPulseApp
    from tui.screens.alert_log import AlertLogScreen
    from tui.screens.alert_prompt import AlertPromptScreen
    from tui.screens.dashboard import DashboardScreen
    from tui.screens.drilldown import DrillDownScreen
    from tui.screens.goto import GotoDateScreen
    from tui.screens.help import HelpScreen
    from tui.screens.recap import RecapScreen
    from tui.screens.sessions import SessionsScreen
    from tui.screens.watch_prompt import WatchPromptScreen
    from widgets.quote_table import QuoteTable

    app = _bindings(RiskPulseApp)
    out = {
        "dashboard": [*_bindings(QuoteTable), *_bindings(DashboardScreen), *app],
        "drill-down": [*_bindings(DrillDownScreen), *app],
    }
    for screen in (
        AlertLogScreen,
        AlertPromptScreen,
        GotoDateScreen,
        HelpScreen,
        RecapScreen,
        SessionsScreen,
        WatchPromptScreen,
    ):
        out[screen.__name__] = [*_bindings(screen), *app]
    return out


def binding_ids() -> dict[str, Binding]:
    """Every binding that can be rebound, by id."""
    return {b.id: b for bs in scopes().values() for b in bs if b.id}


def _keys(text: str) -> list[str]:
    return [k for k in _normalize_key_list(text).split(",") if k]


def check(
    keys: Mapping[str, str], path: Path, lines: Mapping[str, int] | None = None
) -> dict[str, str]:
    """Validate `[keys]`; the keymap to pass to `App.set_keymap`.

    Args:
        keys: Binding id → keys, as written (`"dash.next_day" = "n"`).
        path: The config file (for the error line).
        lines: The line of each entry.

    Returns:
        The keymap with keys in Textual's long form.

    Raises:
        KeymapError: On an unknown id, a malformed key, or a conflict.
    """
    if not keys:
        return {}  # reading every screen's bindings costs ~0.3 s of imports: only when asked
    where = lines or {}

    def fail(binding_id: str, why: str) -> KeymapError:
        return KeymapError(f"{path}:{where.get(binding_id, 1)}: keys.{binding_id}: {why}")

    known = binding_ids()
    keymap: dict[str, str] = {}
    for binding_id, text in keys.items():
        if binding_id not in known:
            raise fail(binding_id, f"no such binding (ids: {', '.join(sorted(known))})")
        parts = [p.strip() for p in text.split(",")]
        if not parts or not all(KEY_RE.match(p) for p in parts):
            raise fail(binding_id, f'not a key: {text[:30]!r} (such as "n" or "ctrl+n")')
        keymap[binding_id] = ",".join(_keys(text))
    all_scopes = scopes()
    defaults: dict[str, set[str]] = {}  # Textual splits "escape,q" into one Binding per key
    for bindings in all_scopes.values():
        for b in bindings:
            if b.id:
                defaults.setdefault(b.id, set()).update(_keys(b.key))
    for scope, bindings in all_scopes.items():
        taken: dict[str, Binding] = {}
        for binding in bindings:
            for key in _keys(keymap.get(binding.id or "", binding.key)):
                other = taken.setdefault(key, binding)
                if other is binding or (other.id and other.id == binding.id):
                    continue
                mine = _introduced(binding, key, keymap, defaults) or _introduced(
                    other, key, keymap, defaults
                )
                if mine is None:
                    continue  # overlapping by design before any rebinding
                theirs = other if mine is binding else binding
                assert mine.id is not None
                raise fail(
                    mine.id,
                    f"{keys[mine.id]!r} is also the key of {theirs.id or theirs.action} "
                    f"({theirs.description or 'no description'}) on the {scope} screen",
                )
    return keymap


def _introduced(
    binding: Binding, key: str, keymap: Mapping[str, str], defaults: Mapping[str, set[str]]
) -> Binding | None:
    """The binding, when the keymap gave it `key` (it was not one of its own keys)."""
    if binding.id in keymap and key not in defaults.get(binding.id or "", set()):
        return binding
    return None
