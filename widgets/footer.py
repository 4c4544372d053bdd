"""The key footer, redrawn only when the keys it shows change.

Textual's `Footer` recomposes all of its keys whenever the screen's bindings are updated: on
every focus change, so Tab between two quote panes (same keys) restyled every key. This footer
compares what it would show and recomposes only when that differs. Each key is also created in
the footer's own style: a `FooterKey` starts compact and is then bound to the footer's
setting, which restyled each key twice per recompose (a tenth of a second for the drill-down's
twenty-odd keys).

It also shows only whole keys: a key that would run under the command-palette key at the right
(or off the edge) is hidden with every key after it, rather than cut mid-word; `?` lists them
all.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
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


def key_width(key: FooterKey, compact: bool) -> int:
    """Cells a key takes in the footer, margin included (Textual 8's `FooterKey` styles: in the
    wide style the key is padded a cell each side and its description a cell on the right; in
    the compact style the description has a cell on its left and the key a margin of one)."""
    description = cell_len(key.description)
    if compact:
        return cell_len(key.key_display) + (1 + description if description else 0) + 1
    return cell_len(key.key_display) + (2 + description + 1 if description else 0)


class KeysFooter(Footer):
    """A `Footer` that recomposes only when the keys it shows change.

    With `with_screen` its keys are composed with it (not a refresh later, as Textual's are),
    and the keys that will not fit are hidden as they are composed, from their known widths:
    the screen's first frame shows its footer as it stays. The fit is checked again once laid
    out.
    """

    _shown: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def __init__(self, *, with_screen: bool = False) -> None:
        """A footer for one screen.

        Args:
            with_screen: Compose the keys with the footer, so the screen's first frame has
                them (a screen shown in one frame, the drill-down); else they follow the first
                frame, as Textual's do (the dashboard's first frame is its header and footer).
        """
        super().__init__()
        if with_screen:
            self.set_reactive(Footer._bindings_ready, True)

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        for key in widgets:
            if isinstance(key, FooterKey):
                key.set_reactive(FooterKey.compact, self.compact)
                key.set_class(self.compact, "-compact", update=False)
        self._fit(widgets, self.size.width or self.app.size.width)
        if self.is_attached:
            self._shown = shown_keys(self.screen)
        yield from widgets

    def _fit(self, widgets: list[Widget], width: int) -> bool:
        """Show the keys that fit `width` whole, from their known widths, and hide the rest;
        False (nothing changed) when a key group's width is not known."""
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        if len(keys) != len(widgets):
            return False
        palette = [k for k in keys if k.has_class("-command-palette")]
        # The palette key docks right with a border cell and a padding cell of its own.
        right = sum(key_width(k, self.compact) + 2 for k in palette)
        for key in keys:
            if key not in palette:
                right += key_width(key, self.compact)
                key.display = right <= width
        return True

    def on_resize(self) -> None:
        if not self._fit(list(self.children), self.size.width):
            for child in self._keys():
                child.display = True  # laid out again at the new width, then fitted
        self.call_after_refresh(self._hide_overflow)

    def on_mount(self) -> None:
        self.call_after_refresh(self._hide_overflow)

    def _keys(self) -> list[Widget]:
        """The footer's keys (and key groups) in order, without the command-palette key."""
        return [c for c in self.children if not c.has_class("-command-palette")]

    def _hide_overflow(self) -> None:
        """Hide the first key that does not fit whole, and every key after it."""
        palette = [c for c in self.children if c.has_class("-command-palette") and c.display]
        limit = self.content_region.width - sum(p.outer_size.width for p in palette)
        over = False
        for child in self._keys():
            over = over or child.virtual_region_with_margin.right > limit
            if over and child.display:
                child.display = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = shown_keys(screen)
            if shown == self._shown:
                return  # the same keys (Tab between two quote panes): nothing to redraw
            self._shown = shown
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._hide_overflow)
