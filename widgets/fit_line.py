"""One line of parts that shows as many as fit, each whole."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tui.numtext import fit_parts


class FitLine(Widget):
    """A one-line widget made of parts, most important first: it shows the parts that fit its
    width, whole and joined by `  ·  `, and drops the rest rather than cut one mid-word.

    The parts are fitted when the line is rendered, to the width it is rendered at, so a line
    given its parts before it was laid out (or while its screen was off the stack) is never
    fitted to a width it no longer has.
    """

    DEFAULT_CSS = """
    FitLine { height: 1; }
    """

    parts: reactive[tuple[str, ...]] = reactive(())
    """The line's parts, most important first (plain text, never markup)."""

    @property
    def text(self) -> str:
        """The parts as they fit the line's current width (all of them before it is laid out)."""
        width = self.content_size.width
        return fit_parts(self.parts, width) if width else "  ·  ".join(self.parts)

    def render(self) -> Content:
        return Content(fit_parts(self.parts, self.content_size.width))
