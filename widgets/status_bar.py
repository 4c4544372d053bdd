"""The header line: mode, as-of time and breadth. Always visible."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class StatusBar(Widget):
    """Shows `REPLAY 2025-11-20 · as of … · risk-off: 8 of 13 risk assets down`."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; padding: 0 1; }
    """

    mode: reactive[str] = reactive("")
    """LIVE, CACHED hh:mm or REPLAY date."""
    as_of: reactive[str] = reactive("")
    """When the numbers are from."""
    breadth: reactive[str] = reactive("")
    """The breadth sentence."""
    direction: reactive[str] = reactive("flat")
    """`gain`, `loss` or `flat`: colour of the breadth sentence."""

    def render(self) -> Content:
        parts = [Content.styled(f" {self.mode} ", "bold reverse")]
        if self.size.width >= 100:
            parts.append(Content("  riskpulse"))
        if self.as_of:
            narrow = self.size.width < 100 and "as of " in self.as_of
            parts.append(Content(f"  {self.as_of[-6:] if narrow else self.as_of}"))
        if self.breadth:
            parts.append(Content("  ·  "))
            parts.append(Content.styled(self.breadth, f"bold ${self.direction}"))
        return Content.assemble(*parts)
