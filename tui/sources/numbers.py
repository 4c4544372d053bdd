"""Numbers from outside: finite or nothing, and prices that are positive or nothing.

`NaN`, `Infinity` and overflowing literals (`1e999`, which JSON decodes to infinity) are missing
values, never shown; a price of zero or below is missing too (no market riskpulse shows trades
at zero). Numbers may come as JSON numbers or as strings (Binance, alternative.me, CSV cells).
"""

from __future__ import annotations

import math


def finite(value: object) -> float | None:
    """A finite float from a JSON number or a numeric string; None for anything else.

    Booleans, null, empty or junk strings, NaN and ±infinity are None, never 0.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 64:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def price(value: object) -> float | None:
    """`finite`, and above zero: a price, level or rate-of-exchange that can be shown."""
    number = finite(value)
    return number if number is not None and number > 0 else None


def required(value: object) -> float:
    """`finite` for fields a row cannot do without (a row reader skips the row on error).

    Raises:
        ValueError: When the value is missing or not finite.
    """
    number = finite(value)
    if number is None:
        raise ValueError(f"not a finite number: {str(value)[:20]!r}")
    return number
