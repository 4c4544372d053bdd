"""The alert log: what fired, newest first, with the rules in force and whether each is armed."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.alerts.evaluate import AlertState, Fired


def log_text(state: AlertState, replayed: Sequence[Fired] = ()) -> str:
    """Plain text: rules with their state, then the log (live first, then replayed days)."""
    lines = ["Rules"]
    for rule in state.rules:
        armed = "armed" if state.armed.get(rule.key, True) else "fired, waiting to re-arm"
        origin = " (config)" if rule.origin == "config" else ""
        lines.append(f"  {rule.text}{origin}: {armed}")
    if not state.rules:
        lines.append("  none: press a on a row to set one")
    lines += ["", "Fired"]
    lines += [f"  {f.at.astimezone():%Y-%m-%d %H:%M}  {f.message}" for f in reversed(state.log)]
    if not state.log:
        lines.append("  nothing yet")
    if replayed:
        lines += ["", "Fired on replayed days (this session only)"]
        lines += [f"  {f.at:%Y-%m-%d}  {f.message}" for f in reversed(replayed)]
    return "\n".join(lines)


class AlertLogScreen(ModalScreen[None]):
    """The alert log; Esc, A or q closes it."""

    DEFAULT_CSS = """
    AlertLogScreen { align: center middle; }
    #alert-log-box {
        width: 100; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; padding: 1 2; background: $surface;
    }
    """

    BINDINGS = [Binding("escape,A,q", "dismiss", "Close", id="alert_log.close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="alert-log-box"):
            yield Static(Content("Alerts\n\n" + self.text), id="alert-log-text")
