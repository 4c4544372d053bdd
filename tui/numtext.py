"""Numbers as plain text, on the standard library alone.

The home of a rule every view follows (panes, `snapshot`, `explain`, `recap`, alerts, the tmux
status line): **no signed zero.** A change that rounds to zero at the precision shown is
printed without a sign: `0.0`, `0 bp`, `0.00%`, never `-0.0` or `+0.0`. A sign claims a
direction; digits that are all zero show none. The same holds for a level that may be negative
(`plain`).

Kept free of riskpulse's other modules so that `riskpulse status`, which tmux runs every few
seconds, can use it without loading the asset catalogue.
"""

from __future__ import annotations

import math

MISSING = "—"
"""What a view shows where a number is missing."""


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
