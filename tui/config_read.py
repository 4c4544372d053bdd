"""Reading a config file without ever crashing or hanging: what `tui.config.load` parses.

The path is checked with `os.stat` before anything opens it, so a directory, a FIFO (which would
block a reader forever) or a device is refused by name; the file is opened non-blocking and checked
again with `fstat` (it could have been swapped in between), read up to a size cap, decoded as
strict UTF-8, parsed with tomllib, and walked once for values no setting can hold: non-finite
numbers, strings longer than a URL could be, nesting deeper than any setting. Every defect is one
`ConfigError` line: `file:line: key: why`, with the file name and key sanitised for the terminal.
"""

from __future__ import annotations

import math
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from tui.sanitize import clean

MAX_CONFIG_BYTES = 256 * 1024
"""A config is a few hundred bytes; anything past this is not one."""
MAX_STRING = 2048
"""Characters in any one value (the longest setting is a URL)."""
MAX_DEPTH = 4
"""Tables and arrays inside each other (`[sources.fred]` is 2, a watchlist array 2)."""
_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a FIFO (named pipe)"),
    (stat.S_ISCHR, "is a character device"),
    (stat.S_ISBLK, "is a block device"),
    (stat.S_ISSOCK, "is a socket"),
)


class ConfigError(Exception):
    """One line: file, line and key, and what is wrong."""


def where(path: Path) -> str:
    """The file name as it may be shown (no escape sequences, bounded length)."""
    return clean(str(path), 300)


def line_of(text: str, key: str) -> int:
    """The first line that sets `key` (its last dotted part), for error messages."""
    name = re.escape(key.split(".")[-1])
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*(\[[^\]]*\b{name}\b[^\]]*\]|\"?{name}\"?\s*=)", line):
            return number
    return 1


def _file_error(path: Path, why: str, line: int = 1) -> ConfigError:
    return ConfigError(f"{where(path)}:{line}: (file): {why}")


def _kind(mode: int) -> str | None:
    for test, why in _KINDS:
        if test(mode):
            return why
    return None if stat.S_ISREG(mode) else "is not a regular file"


def read_text(path: Path) -> str | None:
    """The config's text, or None when there is no file (the defaults apply).

    Raises:
        ConfigError: For anything but a readable regular UTF-8 file of sane size.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _file_error(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if (why := _kind(info.st_mode)) is not None:
        raise _file_error(path, f"{why}, not a config file")
    if info.st_size > MAX_CONFIG_BYTES:
        raise _file_error(path, f"is {info.st_size:,} bytes; a config is at most 256 KB")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _file_error(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    with os.fdopen(fd, "rb") as handle:
        if (why := _kind(os.fstat(handle.fileno()).st_mode)) is not None:
            raise _file_error(path, f"{why}, not a config file")
        raw = handle.read(MAX_CONFIG_BYTES + 1)
    if len(raw) > MAX_CONFIG_BYTES:
        raise _file_error(path, "is larger than 256 KB; a config is at most that")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        raise _file_error(path, f"is not valid UTF-8 (byte 0x{byte:02x})", line) from None


def parse(path: Path, text: str) -> dict[str, Any]:
    """Parse TOML and reject values no setting can hold.

    Raises:
        ConfigError: On a syntax error, nesting too deep, a non-finite number or a huge string.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = match.group(1) if match else "1"
        raise ConfigError(f"{where(path)}:{line}: {clean(str(exc).split(' (at')[0])}") from None
    except RecursionError:
        raise _file_error(path, f"nested too deeply (at most {MAX_DEPTH} levels)") from None
    stack: list[tuple[str, Any, int]] = [(k, v, 1) for k, v in data.items()]
    while stack:
        key, value, depth = stack.pop()
        shown = clean(key, 80)
        if depth > MAX_DEPTH:
            line = line_of(text, key)
            raise ConfigError(f"{where(path)}:{line}: {shown}: nested too deeply")
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(
                f"{where(path)}:{line_of(text, key)}: {shown}: must be a finite number"
            )
        if isinstance(value, str) and len(value) > MAX_STRING:
            raise ConfigError(
                f"{where(path)}:{line_of(text, key)}: {shown}: value is {len(value):,} "
                f"characters long (at most {MAX_STRING})"
            )
        if isinstance(value, dict):
            stack += [(f"{key}.{k}", v, depth + 1) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(key, v, depth + 1) for v in value]
    return data
