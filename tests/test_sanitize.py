"""One sanitiser: escape sequences, controls, bidi and zero-width characters never get through."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from tui.sanitize import clean, clean_optional, redact, register_secret, shorten

HOSTILE = (
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52: write the clipboard
    "\x1b]0;pwned\x1b\\",  # OSC 0: window title, ST-terminated
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",  # OSC 8 hyperlink
    "\x1b[2J\x1b[H",  # CSI: clear screen, home
    "\x1bP+q544e\x1b\\",  # DCS
    "\x9b31m",  # 8-bit CSI
    "\x9d0;title\x9c",  # 8-bit OSC
    "\u202e\u2066\u2067\u2068\u2069\u202a",  # bidi override and isolates
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width space, joiners, BOM
    "\x00\x07\x08\x7f\x85",  # C0/C1 controls
    "[bold red]markup[/]",
)


@pytest.mark.parametrize("payload", HOSTILE)
def test_nothing_a_terminal_acts_on_survives(payload: str) -> None:
    out = clean(f"Stocks {payload} rally")
    assert out.startswith("Stocks") and out.endswith("rally")
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in out)


def test_every_format_character_in_unicode_is_removed() -> None:
    formats = [
        chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in ("Cc", "Cf")
    ]
    survivors = [f"U+{ord(c):04X}" for c in formats if c in clean(f"a{c}é")]
    assert survivors == []


def test_markup_and_ordinary_text_are_kept_literally() -> None:
    assert (
        clean("[b]Fed[/b] cuts 0.25% — “quoted” 日本 é")
        == "[b]Fed[/b] cuts 0.25% — “quoted” 日本 é"
    )
    assert clean("line\nbreak\ttab") == "line break tab"


def test_length_is_capped_between_words() -> None:
    text = "word " * 100
    out = clean(text, 50)
    assert len(out) <= 50 and out.endswith("…") and not out[:-1].endswith("wor")
    assert shorten("x" * 100, 10) == "x" * 9 + "…"  # one long word: cut inside it
    assert len(clean("t" * 100_000)) == 300


def test_an_unterminated_sequence_is_dropped_to_its_end() -> None:
    assert clean("title \x1b]52;c;never-ends") == "title"


def test_optional_fields() -> None:
    assert clean_optional(None) is None and clean_optional(3) is None
    assert clean_optional("\x1b[0m") is None and clean_optional(" x ") == "x"


def test_registered_secrets_are_redacted() -> None:
    register_secret("abcd1234efgh5678")
    register_secret("short")  # too short to redact safely: ignored
    assert redact("url?api_key=abcd1234efgh5678&x=1") == "url?api_key=***&x=1"
    assert clean("echo abcd1234efgh5678") == "echo ***"
    assert clean("short stays") == "short stays"
