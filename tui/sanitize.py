"""One sanitiser for every string that comes from outside riskpulse.

API fields, feed titles, publishers, links, server error texts and config values shown back all
pass through `clean` where they enter (inside each source's parser), so every consumer — the
screens, `snapshot --format table`, `explain --format text`, JSON and the cache — receives inert
text. What is removed, and why:

* escape sequences (CSI such as `ESC[2J`, OSC such as OSC 52 clipboard writes, OSC 0 window
  titles and OSC 8 links, DCS/SOS/PM/APC strings, and their 8-bit C1 forms): a terminal acts on
  them;
* every other C0/C1 control and DEL; tabs and line breaks become one space (fields are one line);
* Unicode format characters (category Cf): bidi embeddings, overrides and isolates (U+202A–202E,
  U+2066–2069) that reorder what is shown, zero-width spaces and joiners, the BOM, tag
  characters;
* known secrets (API keys registered with `register_secret`), replaced by `***`.

Length is capped with an ellipsis, cut at a word boundary when one is near. Cost: one regex pass
and one `str.translate` per string; a raw string is first cut to a bounded prefix, so a 100 KB
title costs no more than a short one.
"""

from __future__ import annotations

import re
import threading

DEFAULT_LIMIT = 300
"""Characters kept of a field by default (a headline, a reason, a rating)."""
ELLIPSIS = "…"
REDACTED = "***"

_ESCAPES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?                 # CSI … final byte (unterminated: to its end)
    | \x9b[0-?]*[ -/]*[@-~]?                   # 8-bit CSI
    | \x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|\Z)   # OSC, DCS, SOS, PM, APC … up to BEL or ST
    | [\x90\x98\x9d\x9e\x9f].*?(?:\x07|\x1b\\|\x9c|\Z)  # their 8-bit forms
    | \x1b[ -/]*[0-~]?                         # any other escape (charset, keypad, RIS…)
    """,
    re.S | re.X,
)
_FORMAT_RANGES = (
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),  # line/paragraph separators (Zl/Zp) go with the bidi embeddings
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
"""Unicode's format characters (category Cf, Unicode 15) plus U+2028/2029."""


def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {c: None for c in range(0x20)}
    table.update({c: None for c in range(0x7F, 0xA0)})
    for first, last in _FORMAT_RANGES:
        table.update({c: None for c in range(first, last + 1)})
    for c in (0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0x2028, 0x2029):
        table[c] = " "  # a line break between words must not glue them together
    return table


_TABLE = _table()
_SPACES = re.compile(r"\s{2,}")
_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember a key so that `redact` (and `clean`) never let it through.

    Args:
        value: The secret; short values (under 8 characters) are ignored, since replacing them
            would mangle ordinary text and no real API key is that short.
    """
    if value and len(value.strip()) >= 8:
        with _secrets_lock:
            _secrets.add(value.strip())


def redact(text: str) -> str:
    """`text` with every registered secret replaced by `***`."""
    for secret in tuple(_secrets):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def shorten(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """Cap `text` at `limit` characters, ellipsis included, cutting between words when the last
    space is within the final fifth of the kept part."""
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space >= len(cut) * 4 // 5:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def clean(value: object, limit: int = DEFAULT_LIMIT) -> str:
    """Inert, one-line, capped text from any outside value.

    Args:
        value: A string (anything else is turned into one with `str`).
        limit: Maximum length of the result in characters.

    Returns:
        The text without escape sequences, controls, format characters or known secrets, with
        runs of whitespace collapsed, stripped, and capped with `…`.
    """
    text = value if isinstance(value, str) else str(value)
    text = text[: max(4 * limit, 4096)]  # bounded work whatever the server sent
    text = _ESCAPES.sub("", text).translate(_TABLE)
    text = _SPACES.sub(" ", redact(text)).strip()
    return shorten(text, limit)


def clean_optional(value: object, limit: int = DEFAULT_LIMIT) -> str | None:
    """`clean` for optional fields: None, a non-string or text that cleans to nothing is None."""
    if not isinstance(value, str):
        return None
    return clean(value, limit) or None
