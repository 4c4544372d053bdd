"""Every key, read from the live bindings so the help can never drift from the app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓ / k j", "move within a pane; past its edge, into the next pane"),
    ("← → / h l", "move to the pane on the left or right"),
    ("Tab / Shift+Tab", "next / previous pane"),
    ("Enter", "open the drill-down of the selected asset"),
    ("Esc", "back to where you were"),
)


def _keys_of(screen: Screen[object]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    nodes = [screen.app, screen, *([screen.focused] if screen.focused else [])]
    for node in nodes:
        for binding in getattr(node, "BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.description:
                continue
            key = binding.key_display or binding.key
            seen.setdefault(binding.description, key)
    return [(key, desc) for desc, key in seen.items()]


class HelpScreen(ModalScreen[None]):
    """A list of every key on the screen underneath; any of Esc, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        rows = [*EXTRA_KEYS, *_keys_of(self.under)]
        width = max(len(k) for k, _ in rows) + 2
        text = "\n".join(f"{k:<{width}}{d}" for k, d in rows)
        with VerticalScroll(id="help-box"):
            yield Static(Content("riskpulse keys\n\n" + text), id="help-text")
