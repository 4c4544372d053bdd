"""The key footer, redrawn only when the keys it shows change.

Textual's `Footer` recomposes all of its keys whenever the screen's bindings are updated: on
every focus change, so Tab between two quote panes (same keys) restyled every key. This footer
compares what it would show and recomposes only when that differs.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


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

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = shown_keys(screen)
            if shown == self._shown:
                return  # the same keys (Tab between two quote panes): nothing to redraw
            self._shown = shown
        super().bindings_changed(screen)
