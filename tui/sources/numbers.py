"""Numbers from outside, read the same way by every parser.

A number may come as a JSON number or as a string (Binance, alternative.me, CSV cells). `NaN`,
null, booleans and junk are missing (None), never 0. Infinity (a JSON `Infinity`, or `1e999`,
which JSON decodes to it), zero and negative levels are passed on as read: whether a value can be
a reading depends on the instrument (oil can trade below zero, an index cannot), and that is the
reading gate's decision, which names it ("sent a non-finite price"). Gauges whose range a parser
knows (fear & greed, 0–100) are checked there with `finite`.
"""

from __future__ import annotations

import math


def number(value: object) -> float | None:
    """A float from a JSON number or a numeric string; None for NaN, null, bool or junk."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            result = float(value)
        except OverflowError:  # an integer too large for a float
            return math.inf if value > 0 else -math.inf
    elif isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 64:
            return None
        try:
            result = float(text)
        except ValueError:
            return None
    else:
        return None
    return None if math.isnan(result) else result


def finite(value: object) -> float | None:
    """`number`, and finite: for gauges and values a parser computes with."""
    result = number(value)
    return result if result is not None and math.isfinite(result) else None


def present(value: object) -> float:
    """`number` for fields a row cannot do without (a row reader skips the row on error).

    Raises:
        ValueError: When the value is missing.
    """
    result = number(value)
    if result is None:
        raise ValueError(f"not a number: {str(value)[:20]!r}")
    return result


def required(value: object) -> float:
    """`finite` for fields a row cannot do without.

    Raises:
        ValueError: When the value is missing or not finite.
    """
    result = finite(value)
    if result is None:
        raise ValueError(f"not a finite number: {str(value)[:20]!r}")
    return result
