"""User themes: TOML files in `$XDG_DATA_HOME/riskpulse/themes/*.toml`.

A file names the same colours as the shipped themes, by meaning::

    name = "my-night"          # optional; the file name otherwise
    dark = true
    primary = "#7aa2f7"
    background = "#1a1b26"
    [variables]
    gain = "#4ea1ff"           # up
    loss = "#ff9f1c"           # down

A file that cannot be read, or holds an unknown key or an unreadable colour, is skipped with one
line saying why (the app shows it as a toast and keeps the default theme), never a traceback.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from themes import VARIABLES

COLOURS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
"""The `Theme` colours a file may set at its top level."""
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def themes_dir(environ: dict[str, str] | None = None) -> Path:
    """`$XDG_DATA_HOME/riskpulse/themes` (default `~/.local/share/riskpulse/themes`)."""
    env = dict(os.environ) if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "riskpulse" / "themes"


def _colour(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: must be a colour in quotes")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{where}: not a colour: {value[:30]!r}") from None
    return value


def parse(path: Path) -> Theme:
    """One theme file.

    Raises:
        ValueError: With one line naming the file and what is wrong.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    allowed = {"name", "dark", "variables", *COLOURS}
    for key in data:
        if key not in allowed:
            raise ValueError(f"{path.name}: unknown key {key!r} (allowed: {', '.join(allowed)})")
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{path.name}: name must be lower-case letters, digits, - or _")
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ValueError(f"{path.name}: dark must be true or false")
    colours = {k: _colour(data[k], f"{path.name}: {k}") for k in COLOURS if k in data}
    if "primary" not in colours:
        raise ValueError(f"{path.name}: primary is required")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError(f"{path.name}: [variables] must be a table")
    for key in variables:
        if key not in VARIABLES:
            raise ValueError(
                f"{path.name}: unknown variable {key!r} (one of: {', '.join(VARIABLES)})"
            )
    checked = {k: _colour(v, f"{path.name}: variables.{k}") for k, v in variables.items()}
    c = colours.get
    return Theme(
        name=f"user-{name}",
        primary=colours["primary"],
        secondary=c("secondary"),
        warning=c("warning"),
        error=c("error"),
        success=c("success"),
        accent=c("accent"),
        foreground=c("foreground"),
        background=c("background"),
        surface=c("surface"),
        panel=c("panel"),
        boost=c("boost"),
        dark=dark,
        variables=checked,
    )


def load(directory: Path) -> tuple[list[Theme], list[str]]:
    """Every theme file in `directory`, sorted by name.

    Returns:
        The themes that loaded, and one line for each file that did not.
    """
    if not directory.is_dir():
        return [], []
    themes: list[Theme] = []
    errors: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            themes.append(parse(path))
        except ValueError as exc:
            errors.append(f"Theme skipped: {exc}")
    return themes, errors
