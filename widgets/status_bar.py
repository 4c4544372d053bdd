"""The header line: mode, as-of time and breadth. Always visible."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

BRAND = "  riskpulse"
SEPARATOR = "  ·  "
BRAND_FROM = 98
"""Cells of content (a 100-column terminal, less the padding) from which the name is shown,
where it fits beside the rest."""


class StatusBar(Widget):
    """Shows `REPLAY 2025-11-20  riskpulse  as of …  ·  narrow risk-off: 6 of 13 fell ≥1σ …`.

    The as-of time and the breadth statement each come in forms from longest to shortest; the
    header shows whole forms, never a cut one: the longest breadth that fits beside some form
    of the time, with the longest time that fits beside it (the time is left out only when even
    the shortest breadth does not fit beside it), and the name from `BRAND_FROM` cells where it
    fits beside both.
    """

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; padding: 0 1; }
    """

    mode: reactive[str] = reactive("")
    """LIVE, CACHED hh:mm or REPLAY date."""
    as_of: reactive[tuple[str, ...]] = reactive(())
    """When the numbers are from, longest form first (`as of 2025-11-20 21:00Z`, `21:00Z`)."""
    breadth: reactive[tuple[str, ...]] = reactive(())
    """The breadth statement, longest form first (`Breadth.forms`)."""
    direction: reactive[str] = reactive("flat")
    """`gain`, `loss` or `flat`: colour of the breadth sentence."""

    def shown(self, width: int) -> tuple[str, str, str]:
        """The as-of form, the breadth form and the brand that fit `width` cells beside the mode
        (an empty string for a part left out).

        Args:
            width: Cells available for the whole line.

        Returns:
            (as_of, breadth, brand), each a whole form as given or "".
        """
        room = width - Content(f" {self.mode} ").cell_length

        def cells(as_of: str, breadth: str) -> int:
            text = (f"  {as_of}" if as_of else "") + (f"{SEPARATOR}{breadth}" if breadth else "")
            return Content(text).cell_length

        breadths = self.breadth or ("",)
        # Every form of the time beside each breadth before the time goes: the count stays.
        candidates = [(a, b) for b in breadths for a in self.as_of]
        candidates += [("", b) for b in breadths]
        for as_of, breadth in candidates:
            used = cells(as_of, breadth)
            if used <= room:
                fits = used + len(BRAND) <= room and width >= BRAND_FROM
                return as_of, breadth, BRAND if fits else ""
        return "", breadths[-1], ""

    def render(self) -> Content:
        as_of, breadth, brand = self.shown(self.content_size.width)
        parts = [Content.styled(f" {self.mode} ", "bold reverse")]
        if brand:
            parts.append(Content(brand))
        if as_of:
            parts.append(Content(f"  {as_of}"))
        if breadth:
            parts.append(Content(SEPARATOR))
            parts.append(Content.styled(breadth, f"bold ${self.direction}"))
        return Content.assemble(*parts)
