"""riskpulse themes: Textual `Theme` objects whose app colours are named by meaning.

`gain`, `loss`, `flat`, `stale` and `marker` are read by widgets and the chart; a theme swaps them
(the red-up theme follows the East Asian convention). Nothing in the app hard-codes a colour.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.theme import BUILTIN_THEMES, Theme

CSS_PATH = Path(__file__).parent / "riskpulse.tcss"

DEFAULT_THEME = "riskpulse"

VARIABLE_DEFAULTS: dict[str, str] = {
    "gain": "#3fb950",
    "loss": "#f85149",
    "flat": "#8b949e",
    "stale": "#d29922",
    "marker": "#e3b341",
    "chart-line": "#58a6ff",
}
"""Fallbacks for the app's own variables; every theme below may override them."""

_DARK = Theme(
    name="riskpulse",
    primary="#58a6ff",
    secondary="#a371f7",
    accent="#e3b341",
    warning="#d29922",
    error="#f85149",
    success="#3fb950",
    foreground="#c9d1d9",
    background="#0d1117",
    surface="#161b22",
    panel="#1f2630",
    dark=True,
)

_LIGHT = Theme(
    name="riskpulse-light",
    primary="#0969da",
    secondary="#8250df",
    accent="#9a6700",
    warning="#9a6700",
    error="#cf222e",
    success="#1a7f37",
    foreground="#1f2328",
    background="#ffffff",
    surface="#f6f8fa",
    panel="#eaeef2",
    dark=False,
    variables={
        "gain": "#1a7f37",
        "loss": "#cf222e",
        "flat": "#57606a",
        "stale": "#9a6700",
        "marker": "#bf8700",
        "chart-line": "#0969da",
    },
)

_RED_UP = replace(_DARK, name="riskpulse-red-up", variables={"gain": "#f85149", "loss": "#3fb950"})
"""Rises in red and falls in green, the East Asian convention."""


def _ansi_theme() -> Theme:
    """The terminal's own 16 colours, for tmux panes and terminals reached over SSH."""
    base = BUILTIN_THEMES["ansi-dark"]
    return Theme(
        name="riskpulse-ansi",
        primary=base.primary,
        secondary=base.secondary,
        warning=base.warning,
        error=base.error,
        success=base.success,
        accent=base.accent,
        foreground=base.foreground,
        background=base.background,
        surface=base.surface,
        panel=base.panel,
        boost=base.boost,
        dark=True,
        ansi=True,
        variables={
            **base.variables,  # a copy: Textual's own table stays untouched
            "gain": "ansi_green",
            "loss": "ansi_red",
            "flat": "ansi_bright_black",
            "stale": "ansi_yellow",
            "marker": "ansi_yellow",
            "chart-line": "ansi_cyan",
        },
    )


THEMES: tuple[Theme, ...] = (_DARK, _LIGHT, _RED_UP, _ansi_theme())
"""Registered at start-up, next to Textual's built-in themes."""
