"""The alert state file: rules, armed flags and the log, in the XDG state directory.

`$XDG_STATE_HOME/riskpulse/alerts.json` (default `~/.local/state/…`). Every write goes to a
temporary file in the same directory, is fsynced, then replaces the old file with `os.replace`,
so a reader (or a crash at any instant) sees the old file or the new one, never a torn one. An
`flock` on `alerts.lock` serialises the app and `riskpulse alerts` read-modify-write cycles.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.alerts.evaluate import AlertState, Fired
from tui.alerts.rules import RuleError, rule_from_json

SCHEMA = "riskpulse.alerts/1"


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_STATE_HOME/riskpulse` (default `~/.local/state/riskpulse`)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "riskpulse"


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text`: temp file, fsync, `os.replace`, fsync of the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself survives a power cut
    finally:
        os.close(fd)


def state_to_json(state: AlertState) -> dict[str, Any]:
    """The state file's document (config rules are not written: the config owns them)."""
    own = [r for r in state.rules if r.origin == "state"]
    return {
        "schema": SCHEMA,
        "rules": [r.to_json() for r in own],
        "armed": dict(sorted(state.armed.items())),
        "log": [f.to_json() for f in state.log],
        "failing_since": {k: v.isoformat() for k, v in state.failing_since.items()},
    }


def state_from_json(doc: Any) -> AlertState:
    """Read a state document; rows that do not parse are dropped, never guessed.

    Raises:
        ValueError: When the document is not a riskpulse alerts state at all.
    """
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} document")
    state = AlertState()
    for row in doc.get("rules") or []:
        with contextlib.suppress(RuleError):
            state.add(rule_from_json(row))
    armed = doc.get("armed") or {}
    state.armed.update({str(k): bool(v) for k, v in armed.items() if isinstance(v, bool)})
    for row in doc.get("log") or []:
        with contextlib.suppress(KeyError, ValueError, TypeError):
            state.log.append(Fired.from_json(row))
    for source, when in (doc.get("failing_since") or {}).items():
        with contextlib.suppress(ValueError, TypeError):
            state.failing_since[str(source)] = datetime.fromisoformat(when)
    return state


class AlertStore:
    """Loads and saves the alert state.

    Args:
        directory: The state directory (tests pass a temporary one).
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or state_dir()
        self.path = self.directory / "alerts.json"
        self.warning: str | None = None
        """Set when an unreadable state file was moved aside."""

    def load(self) -> AlertState:
        """The saved state; an empty one when there is none or it cannot be read (moved aside)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return AlertState()
        try:
            return state_from_json(json.loads(text))
        except ValueError as exc:
            aside = self.path.with_name(f"{self.path.name}.unreadable")
            os.replace(self.path, aside)
            self.warning = f"the alert state could not be read ({exc}); moved it to {aside.name}"
            return AlertState()

    def save(self, state: AlertState) -> None:
        """Write the state atomically."""
        write_atomic(self.path, json.dumps(state_to_json(state), ensure_ascii=False, indent=1))

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the state's lock across a load, change and save."""
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / "alerts.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)
