"""A pane's bordered box: its footer says what fits in whole words."""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive

from tui.numtext import fit_words

FOOTER_FRAME = 6
"""Cells the border takes around the footer: the corners and a dash and a space each side."""


class PaneBox(Vertical):
    """A pane's box; `footer` is shown in its bottom border, fitted in whole words (a stale
    source's reason is cut at a clause or a word, with `…`, never mid-word)."""

    footer: reactive[str] = reactive("")
    """The footer's whole text: the failing source, or what is stale and since when."""

    def watch_footer(self) -> None:
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        shown = fit_words(self.footer, self.size.width - FOOTER_FRAME) if self.footer else ""
        if (str(self.border_subtitle) if self.border_subtitle else "") != shown:
            self.border_subtitle = Content(shown) if shown else None
