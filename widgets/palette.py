"""Turn the theme's meaning-named colours into styles for Rich renderables."""

from __future__ import annotations

from rich.style import Style
from textual.color import Color
from textual.dom import DOMNode


def theme_colour(node: DOMNode, name: str) -> Color:
    """The current theme's colour for a variable such as `gain` or `loss`.

    Args:
        node: Any mounted node (its app holds the theme).
        name: Variable name without the `$`.

    Returns:
        The colour; the theme's foreground when the variable is unknown.
    """
    variables = node.app.theme_variables or node.app.get_css_variables()
    value = variables.get(name) or variables.get("foreground", "white")
    try:
        return Color.parse(value)
    except Exception:
        return Color.parse("white")


def theme_style(node: DOMNode, name: str) -> Style:
    """A Rich foreground style for a theme variable."""
    return Style(color=theme_colour(node, name).rich_color)
