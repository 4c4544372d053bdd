"""Editing the config file: the user's comments and layout survive, a write is all or nothing.

tomlkit keeps comments, blank lines, key order and quoting as the user wrote them; the standard
library's tomllib only reads, and writing with a plain serializer would drop every comment (a
well-kept library beats a hand-rolled line editor that breaks on the first multi-line array).

Writes go to a temporary file in the same directory, are flushed and fsynced, then renamed over
the config with `os.replace`, which is atomic on POSIX and Windows: a reader (or a writer killed
half-way) sees the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Array, Table
from tomlkit.toml_document import TOMLDocument

from tui.assets import PANE_ASSETS


def read(path: Path) -> TOMLDocument:
    """The config as an editable document (an empty one when the file does not exist)."""
    if not path.exists():
        return tomlkit.document()
    return tomlkit.parse(path.read_text(encoding="utf-8"))


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically (temp file, fsync, `os.replace`, fsync the folder).

    Args:
        path: The file to replace.
        text: Its new content.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # the rename itself survives a crash once the folder is synced
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def edit(path: Path, change: Callable[[TOMLDocument], None]) -> None:
    """Read the config, apply `change` to the document, and write it back atomically."""
    doc = read(path)
    change(doc)
    write_atomic(path, tomlkit.dumps(doc))


def _table(doc: TOMLDocument, name: str) -> Table:
    table = doc.get(name)
    if not isinstance(table, Table):
        table = tomlkit.table()
        doc[name] = table
    return table


def pane_list(doc: TOMLDocument, pane: str) -> list[str]:
    """The pane's entries as written (the catalogue's list when the config has none)."""
    table = doc.get("watchlists")
    names = table.get(pane) if isinstance(table, Table) else None
    if names is None:
        return list(PANE_ASSETS.get(pane, ()))
    return [str(n) for n in names]


def set_pane(doc: TOMLDocument, pane: str, names: Sequence[str]) -> None:
    """Write a pane's list. An append, a removal or a reorder edits the user's array in place,
    so comments inside a multi-line array stay; anything else writes a new array."""
    table = _table(doc, "watchlists")
    current = table.get(pane)
    wanted = list(names)
    if isinstance(current, Array):
        old = [str(n) for n in current]
        if wanted == old:
            return
        if wanted[: len(old)] == old:
            for name in wanted[len(old) :]:
                current.append(name)
            return
        gone = [i for i in range(len(old)) if old[:i] + old[i + 1 :] == wanted]
        if gone:
            del current[gone[0]]
            return
        if sorted(wanted) == sorted(old):
            for i, (was, now) in enumerate(zip(old, wanted, strict=True)):
                if was != now:
                    current[i] = now
            return
    array = tomlkit.array()
    array.extend(wanted)
    if len(wanted) > 6:
        array.multiline(True)
    table[pane] = array


def set_symbol(doc: TOMLDocument, key: str, entry: dict[str, Any]) -> None:
    """Keep a symbol's description under `[symbols."KEY"]`."""
    symbols = _table(doc, "symbols")
    if key not in symbols:
        item = tomlkit.table()
        for k, v in entry.items():
            item[k] = v
        symbols[key] = item


def drop_symbol(doc: TOMLDocument, key: str) -> None:
    """Forget a symbol's description once no pane shows it."""
    symbols = doc.get("symbols")
    if isinstance(symbols, Table) and key in symbols:
        del symbols[key]
