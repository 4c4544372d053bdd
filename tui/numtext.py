"""Numbers, columns and lines as plain text, on the standard library alone.

The one home of the rules every view follows (panes, header, `snapshot`, `explain`, `recap`,
alerts, `sources`, the tmux status line):

- **No signed zero.** A change that rounds to zero at the precision shown is printed without a
  sign: `0.0`, `0 bp`, `0.00%`, never `-0.0` or `+0.0`. A sign claims a direction; digits that
  are all zero show none. The same holds for a level that may be negative (`plain`).
- **Columns never touch.** A text table is laid out from its own cells, so every column keeps
  at least `GAP` spaces from the next whatever the length of a value (`table`).
- **No word cut in two.** A line too long for its room keeps whole clauses or words, marked
  with `…` (`fit_words`), or whole parts (`fit_parts`).

Kept free of riskpulse's other modules so that `riskpulse status`, which tmux runs every few
seconds, can use it without loading the asset catalogue.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

MISSING = "—"
"""What a view shows where a number is missing."""
GAP = 2
"""Spaces between the columns of a text table, at the least."""


def _digits(value: float, digits: int, grouping: bool) -> str:
    return f"{abs(value):{',' if grouping else ''}.{digits}f}"


def _is_zero(text: str) -> bool:
    """True when the shown digits are all zero (`0`, `0.00`, `0,000.0`)."""
    return not text.strip("0.,")


def signed(
    value: float | None,
    digits: int = 0,
    unit: str = "",
    *,
    grouping: bool = False,
    minus: str = "-",
) -> str:
    """A change with its sign: `+1.2`, `-3 bp`, `+1,286`, and `0.0` where it rounds to zero.

    The rule for every change column: a value whose shown digits are all zero carries no sign
    (`0.0`, `0 bp`; never `-0.0` or `+0.0`); any other value shows `+` or `minus`.

    Args:
        value: The change, in whatever unit the caller shows (percent, pp, bp, points…).
        digits: Decimal places shown.
        unit: Appended as given (`"%"`, `" bp"`, `"σ"`).
        grouping: Thousands separators (`+1,286`).
        minus: The minus sign: `-`, or `−` (U+2212) where the view uses it.

    Returns:
        The text, or MISSING when `value` is None, NaN or infinite.
    """
    if value is None or not math.isfinite(value):
        return MISSING
    text = _digits(value, digits, grouping)
    if _is_zero(text):
        return text + unit
    return ("+" if value > 0 else minus) + text + unit


def plain(value: float | None, digits: int = 2, unit: str = "", *, grouping: bool = False) -> str:
    """A level that may be negative: `-0.32`, `6,539`, and `0.00` (not `-0.00`) for -0.001.

    Args:
        value: The level.
        digits: Decimal places shown.
        unit: Appended as given.
        grouping: Thousands separators.

    Returns:
        The text, with a minus only where a digit is not zero; MISSING for None, NaN or infinity.
    """
    if value is None or not math.isfinite(value):
        return MISSING
    text = _digits(value, digits, grouping)
    return ("-" if value < 0 and not _is_zero(text) else "") + text + unit


def rounded(value: float, digits: int) -> float:
    """`round(value, digits)` without a negative zero (`-0.0` becomes `0.0`), for JSON output."""
    return round(value, digits) + 0.0


def text_width(text: str) -> int:
    """Terminal cells `text` takes: wide (East Asian) characters two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def table(
    rows: Sequence[Sequence[str]], align: str = "", *, indent: str = "", gap: int = GAP
) -> list[str]:
    """Rows of cells laid out as columns at least `gap` spaces apart, whatever their length.

    Each column is as wide as its widest cell (in terminal cells); a column empty in every row
    is left out. The last column is not padded, and no line ends in spaces.

    Args:
        rows: The cells, row by row (a header is a row like any other); short rows are padded
            with empty cells.
        align: One character per column, `<` (left, the default for columns not given) or `>`.
        indent: Put before every line.
        gap: Spaces between columns, at the least.

    Returns:
        One line per row.
    """
    if not rows:
        return []
    n = max(len(r) for r in rows)
    cells = [[*r, *([""] * (n - len(r)))] for r in rows]
    widths = [max(text_width(r[i]) for r in cells) for i in range(n)]
    shown = [i for i in range(n) if widths[i] > 0]
    lines = []
    for r in cells:
        parts = []
        for i in shown:
            pad = " " * (widths[i] - text_width(r[i]))
            parts.append(pad + r[i] if align[i : i + 1] == ">" else r[i] + pad)
        lines.append((indent + (" " * gap).join(parts)).rstrip())
    return lines


ELLIPSIS = "…"
_CLAUSE_ENDS = (" (", "; ", " · ", ", ", ": ")


def fit_words(text: str, width: int) -> str:
    """`text` if it fits `width` cells, else its longest start that fits ending on a whole
    clause (before ` (`, `; `, ` · `, `, ` or `: `), or on a whole word where that says much
    more, with `…` after it; never a word cut in two.

    Args:
        text: One line.
        width: Cells available.

    Returns:
        The line as shown; "" when not even its first word fits.
    """
    if text_width(text) <= width:
        return text
    room = width - text_width(ELLIPSIS)
    clause, word = _head(text, _CLAUSE_ENDS, room), _head(text, (" ",), room)
    # A whole clause reads better than more words, unless it leaves most of the room empty.
    head = clause if text_width(clause) * 2 >= room else word
    return head + ELLIPSIS if head else ""


def _head(text: str, ends: tuple[str, ...], room: int) -> str:
    """The longest start of `text` ending before one of `ends` that fits `room` cells."""
    cuts = sorted({i for end in ends for i in _find_all(text, end)}, reverse=True)
    for cut in cuts:
        head = text[:cut].rstrip(" ,;:·")
        if head and text_width(head) <= room:
            return head
    return ""


def _find_all(text: str, part: str) -> list[int]:
    found, at = [], text.find(part)
    while at > 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def fit_parts(parts: Sequence[str], width: int, separator: str = "  ·  ") -> str:
    """The parts joined by `separator`, as many from the first as fit `width` cells whole (the
    first is always kept, fitted by `fit_words` when it alone is too long).

    Args:
        parts: The line's parts, most important first.
        width: Cells available.
        separator: Put between parts.

    Returns:
        The line as shown.
    """
    if not parts:
        return ""
    line = fit_words(parts[0], width)
    for part in parts[1:]:
        longer = f"{line}{separator}{part}"
        if text_width(longer) > width:
            break
        line = longer
    return line


def share_text(share: float, whole: str = "the move") -> str:
    """A part's share of a whole move in words that stay true for every sign and size.

    A share is a part divided by the whole (a factor's contribution by the asset's move). Only
    between 0 and 1 is it a percentage "of the move": a part larger than the move is more than
    all of it, and a part of the opposite sign is none of it, having pushed the other way.

    Args:
        share: Part / whole, a ratio (0.62 for 62%).
        whole: What the part is a share of, in words.

    Returns:
        `62% of the move`, `more than all of the move: 155%` or `none of the move, running
        against it: -6%`; the percentage rounds to whole percent, never a signed zero.
    """
    pct = plain(share * 100, 0, "%")
    if share < 0 and pct != "0%":
        return f"none of {whole}, running against it: {pct}"
    if share > 1 and pct != "100%":
        return f"more than all of {whole}: {pct}"
    return f"{pct} of {whole}"
