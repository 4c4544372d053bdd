"""The key footer, redrawn only when the keys it shows change.

Textual's `Footer` recomposes all of its keys whenever the screen's bindings are updated: on
every focus change, so Tab between two quote panes (same keys) restyled every key. This footer
compares what it would show and recomposes only when that differs. Each key is also created in
the footer's own style: a `FooterKey` starts compact and is then bound to the footer's
setting, which restyled each key twice per recompose (a tenth of a second for the drill-down's
twenty-odd keys).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual 8's key widget (pinned below 9)


def shown_keys(screen: Screen[object]) -> tuple[tuple[str, str, str, bool, str], ...]:
    """What a footer on `screen` shows: each shown binding's key, action, description, whether
    it is enabled and its tooltip, in the screen's order."""
    return tuple(
        (key, active.binding.action, active.binding.description, active.enabled, active.tooltip)
        for key, active in screen.active_bindings.items()
        if active.binding.show
    )


class KeysFooter(Footer):
    """A `Footer` that recomposes only when the keys it shows change."""

    _shown: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = shown_keys(screen)
            if shown == self._shown:
                return  # the same keys (Tab between two quote panes): nothing to redraw
            self._shown = shown
        super().bindings_changed(screen)
