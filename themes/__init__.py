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
    variables={
        # A dark bar, bold and underlined: the gain, loss, flat and stale colours keep 4.5:1 on
        # it (on the default primary-blue bar the loss red was 1.3:1).
        "block-cursor-background": "#21262d",
        "block-cursor-text-style": "bold underline",
    },
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

_RED_UP = replace(
    _DARK,
    name="riskpulse-red-up",
    variables={**_DARK.variables, "gain": "#f85149", "loss": "#3fb950"},
)
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


_COLOUR_BLIND = replace(
    _DARK,
    name="riskpulse-colorblind",
    success="#4ea1ff",
    error="#ff9f1c",
    variables={
        "gain": "#4ea1ff",
        "loss": "#ff9f1c",
        "flat": "#a8b3bf",
        "stale": "#e6d800",
        "marker": "#f0f0f0",
        "chart-line": "#c0c8d0",
        # A dark selection bar: blue text would vanish on the default (primary) blue bar, and
        # keeps 5.7:1 on this one.
        "block-cursor-background": "#21262d",
        "block-cursor-foreground": "#ffffff",
        "block-cursor-text-style": "bold underline",
    },
)
"""Up in blue, down in orange (told apart with every common colour-vision deficiency); the
arrows and signs carry direction too, so no meaning rests on hue alone (Okabe–Ito palette)."""

_HIGH_CONTRAST = Theme(
    name="riskpulse-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ff6e6e",
    success="#5fff5f",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    dark=True,
    variables={
        "gain": "#5fff5f",
        "loss": "#ff6e6e",
        "flat": "#ffffff",
        "stale": "#ffff00",
        "marker": "#ffff00",
        "chart-line": "#00ffff",
        "text-muted": "#e0e0e0",
        # A dark bar, underlined: the gain and loss colours stay above 5:1 on it.
        "block-cursor-background": "#303030",
        "block-cursor-foreground": "#ffffff",
        "block-cursor-text-style": "bold underline",
    },
)
"""White on black, pure hues: every pair above a 7:1 contrast ratio against the background."""

ANSI_THEME = "riskpulse-ansi"

THEMES: tuple[Theme, ...] = (
    _DARK,
    _LIGHT,
    _RED_UP,
    _ansi_theme(),
    _COLOUR_BLIND,
    _HIGH_CONTRAST,
)
"""Registered at start-up, next to Textual's built-in themes."""

VARIABLES: tuple[str, ...] = tuple(VARIABLE_DEFAULTS)
"""The app's own colours by meaning; a user theme may set these under `[variables]`."""


def is_16_colour(environ: dict[str, str] | None = None) -> bool:
    """True on a terminal of 16 colours: `TEXTUAL_COLOR_SYSTEM=standard`, or no `COLORTERM` and
    a `TERM` that claims neither 256 colours nor true colour (the Linux console, `screen`, a
    tmux left at its `screen` default, many SSH sessions)."""
    import os

    env = dict(os.environ) if environ is None else environ
    system = env.get("TEXTUAL_COLOR_SYSTEM", "").lower()
    if system:
        return system == "standard"
    if env.get("COLORTERM"):
        return False
    term = env.get("TERM", "").lower()
    return not any(mark in term for mark in ("256color", "truecolor", "24bit", "direct"))


def default_theme(environ: dict[str, str] | None = None) -> str:
    """The theme used when neither `--theme`, the config nor `TEXTUAL_THEME` names one."""
    return ANSI_THEME if is_16_colour(environ) else DEFAULT_THEME
