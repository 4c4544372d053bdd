"""Every key of the screen underneath, read from its live bindings so the help never drifts.

The keys are gathered the way Textual dispatches them: the focused widget first, then its
ancestors up to the screen, then the app. A key bound at several levels is listed once, under the
level that wins. Keys of one action (`up` and `k`) share a line, with the binding's tooltip.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GROUP_TITLES: dict[str, str] = {
    "DashboardScreen": "Dashboard",
    "DrillDownScreen": "Drill-down",
    "QuoteTable": "Selected pane",
    "FedTable": "Selected pane",
    "FearGreedTable": "Selected pane",
    "NavigableTable": "Selected pane",
    "DataTable": "Table",
}
"""Group headings by class name; a node may also say `HELP_TITLE = "…"`."""


def _title(node: DOMNode, screen: Screen[object]) -> str:
    if node is screen.app:
        return "Everywhere"
    named = getattr(node, "HELP_TITLE", None)
    if isinstance(named, str):
        return named
    return GROUP_TITLES.get(type(node).__name__, type(node).__name__)


def _chain(screen: Screen[object]) -> list[DOMNode]:
    """Focused widget → its ancestors → the screen → the app (Textual's dispatch order)."""
    focused = screen.focused
    nodes: list[DOMNode] = list(focused.ancestors_with_self) if focused else [screen]
    if screen not in nodes:
        nodes.append(screen)
    if screen.app not in nodes:
        nodes.append(screen.app)
    return nodes


def key_groups(screen: Screen[object]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The keys of a screen, grouped: (heading, [(keys, description)]), each key once.

    Args:
        screen: The screen whose keys are listed.

    Returns:
        Groups in dispatch order, empty groups left out.
    """
    app = screen.app
    taken: set[str] = set()
    groups: dict[str, dict[tuple[str, str], list[str]]] = {}
    for node in _chain(screen):
        lines = groups.setdefault(_title(node, screen), {})
        node_bindings = node._bindings.copy()
        if app._keymap:  # the user's `[keys]`, as Textual applies them to the binding chain
            node_bindings.apply_keymap(app._keymap)
        bindings: Iterable[Binding] = [
            b for bs in node_bindings.key_to_bindings.values() for b in bs
        ]
        for binding in bindings:
            if not binding.description or binding.key in taken:
                continue
            taken.add(binding.key)
            display = app.get_key_display(binding)
            what = binding.description
            if binding.tooltip and binding.tooltip.lower() != what.lower():
                what = f"{what}: {binding.tooltip}"
            if binding.id:  # the name `[keys]` in the config rebinds it by
                what = f"{what}  ({binding.id})"
            lines.setdefault((binding.action, what), []).append(display)
    return [
        (title, [(" / ".join(keys), desc) for (_, desc), keys in lines.items()])
        for title, lines in groups.items()
        if lines
    ]


def help_text(screen: Screen[object]) -> str:
    """The grouped key list as plain text."""
    groups = key_groups(screen)
    width = max((len(k) for _, rows in groups for k, _ in rows), default=0) + 2
    parts = []
    for title, rows in groups:
        parts.append(title)
        parts += [f"  {keys:<{width}}{desc}" for keys, desc in rows]
        parts.append("")
    return "\n".join(parts).rstrip()


class HelpScreen(ModalScreen[None]):
    """Every key on the screen underneath; any of Esc, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Content("riskpulse keys\n\n" + help_text(self.under)), id="help-text")
