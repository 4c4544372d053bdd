"""Direction told by shape as well as colour: ▲ for a rise, ▼ for a fall.

Red and green alone fail about one reader in twelve and vanish under `NO_COLOR` (Textual then
renders in monochrome). The sign already says it in text; the arrow says it at a glance. Plain
text, so it reads the same in the table output, the app and a screen reader.
"""

from __future__ import annotations

UP, DOWN, FLAT = "▲", "▼", " "


def arrow(change: float | None) -> str:
    """▲ above zero, ▼ below, a space at zero or when unknown (columns stay aligned)."""
    if change is None or change == 0:
        return FLAT
    return UP if change > 0 else DOWN


def with_arrow(text: str, change: float | None) -> str:
    """`text` with the arrow of `change` in front (`▲ +1.25%`)."""
    return f"{arrow(change)}{text}" if text else text
