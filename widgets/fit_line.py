"""One line of parts that shows as many as fit, each whole."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from tui.numtext import fit_parts


class FitLine(Static):
    """A one-line `Static` made of parts, most important first: it shows the parts that fit its
    width, whole and joined by `  ·  `, and drops the rest rather than cut one mid-word."""

    parts: reactive[tuple[str, ...]] = reactive(())
    """The line's parts, most important first (plain text, never markup)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)

    def watch_parts(self) -> None:
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self.update(Content(fit_parts(self.parts, self.content_size.width)))
