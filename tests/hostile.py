"""Hostile answers for the loopback server: what a hostile network or a lying API sends.

Built from the recorded body where there is one (cut, re-typed, re-encoded, injected); the
proof-of-work page is only known by its shape (an HTML page with HTTP 200 saying the site requires
JavaScript to verify the browser, posting to `/__verify`), so its bytes here are a stand-in of
that shape, never a recording.
"""

from __future__ import annotations

import json
import re
from typing import Any

HOSTILE_FAULTS = (
    "hang",
    "trickle",
    "429",
    "429-retry-after",
    "429-retry-date",
    "429-retry-huge",
    "500",
    "502",
    "503",
    "html",
    "truncated",
    "cut",
    "empty",
    "wrong-types",
    "non-finite",
    "50mb",
    "redirect-loop",
    "redirect-off-host",
    "bad-gzip",
    "bad-utf8",
    "proof-of-work",
    "inject",
)
"""Faults for the hostile-network matrix (`refused` and `dns` are made by the client side)."""
POW_PAGE = (
    b"<!DOCTYPE html><html><head><title>Verifying</title></head><body>"
    b"<noscript>This site requires JavaScript to verify your browser</noscript>"
    b'<form method="POST" action="/__verify"></form></body></html>'
)
"""Stand-in of Stooq's proof-of-work page: its shape only (no recording exists)."""


def retyped(body: bytes, value: object) -> bytes:
    """The JSON with every number (and number-like string) replaced by `value`; a non-JSON body
    (CSV, RSS) becomes a JSON document, which is the wrong type for it."""
    try:
        doc = json.loads(body)
    except ValueError:
        return b'{"data": {"rows": "none"}}'

    def walk(item: object) -> object:
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        if isinstance(item, int | float) and not isinstance(item, bool):
            return value
        if isinstance(item, str) and item.replace(".", "", 1).lstrip("-").isdigit():
            return value
        return item

    return json.dumps(walk(doc), allow_nan=True).encode()


def non_finite(body: bytes, ctype: str) -> bytes:
    """Numbers become NaN, Infinity and 1e999 in turn (JSON); CSV values become `inf`/`NaN`."""
    if ctype.endswith("json"):
        text = retyped(body, 0.5).decode()
        out = []
        for i, part in enumerate(text.split("0.5")):
            out.append(part)
            out.append(("NaN", "Infinity", "1e999", "-Infinity")[i % 4])
        return "".join(out[:-1]).encode()
    lines = body.decode("utf-8", "replace").splitlines()
    fixed = [lines[0]] if lines else []
    for n, line in enumerate(lines[1:]):
        cells = line.split(",")
        fixed.append(",".join([cells[0], *(("inf", "NaN", "1e999")[n % 3] for _ in cells[1:])]))
    return ("\n".join(fixed) + "\n").encode()


EVIL = (
    "\x1b]52;c;aGVsbG8=\x07\x1b]0;pwned\x07\x1b]8;;https://evil.example\x07\x1b[2J\x1bP+q\x1b\\"
    "\u202e\u2066\u200d[bold red]x[/]\x9b31m"
)
"""Escape sequences (OSC 52/0/8, CSI, DCS, 8-bit CSI), bidi, a zero-width joiner and markup."""
_PLAIN_VALUE = re.compile(r"^[\d\s.:+\-TZ/]*$")


def inject(body: bytes, ctype: str) -> bytes:
    """`EVIL` put in front of every text value: JSON strings that are not numbers or dates,
    and RSS titles, publishers and links; CSV bodies get it in their first data row."""
    if ctype.endswith("json"):

        def walk(item: object) -> object:
            if isinstance(item, dict):
                return {k: walk(v) for k, v in item.items()}
            if isinstance(item, list):
                return [walk(v) for v in item]
            if isinstance(item, str) and not _PLAIN_VALUE.match(item):
                return EVIL + item
            return item

        return json.dumps(walk(json.loads(body))).encode()
    if "xml" in ctype:
        text = body.decode("utf-8")
        for tag in ("title", "source", "link"):
            text = re.sub(rf"(<{tag}\b[^>/]*>)", lambda m: m.group(1) + EVIL, text)
        return text.encode("utf-8")
    lines = body.decode("utf-8").splitlines()
    if len(lines) < 2:
        return body  # a token (Yahoo's crumb) has no text field to carry it
    return "\n".join([lines[0], EVIL + lines[1], *lines[2:]]).encode()


def answer(handler: Any, fault: str, body: bytes, ctype: str, status: int) -> bool:
    """Answer with a hostile fault; False for the faults the plain path handles."""
    try:
        if fault == "trickle":
            handler.send_response(200)
            handler.send_header("Content-Type", ctype)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            for byte in body[:120]:  # bounded: the client's deadline ends it long before
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                if handler.server.release.wait(1.0):
                    break
        elif fault.startswith("429-retry-") and fault != "429-retry-after":
            after = {
                "429-retry-date": "Wed, 21 Oct 2037 07:28:00 GMT",
                "429-retry-huge": "99999999999",
            }[fault]
            handler._send(429, b"Too Many Requests", "text/plain", Retry_After=after)
        elif fault in ("502", "503"):
            handler._send(int(fault), b"Bad Gateway", "text/html")
        elif fault == "cut":
            handler._send(200, body[: len(body) // 2], ctype, length=str(len(body)))
        elif fault == "empty":
            handler._send(200, b"", ctype)
        elif fault == "wrong-types":
            handler._send(200, retyped(body, "n/a"), "application/json")
        elif fault == "non-finite":
            handler._send(200, non_finite(body, ctype), ctype)
        elif fault == "50mb":
            handler.send_response(200)
            handler.send_header("Content-Type", ctype)
            handler.end_headers()  # no length: the client must count
            chunk = b" " * (1 << 20)
            for _ in range(50):
                handler.wfile.write(chunk)
        elif fault == "redirect-loop":
            handler._send(302, b"", "text/plain", Location=handler.path)
        elif fault == "redirect-off-host":
            handler._send(302, b"", "text/plain", Location="http://elsewhere.invalid/steal")
        elif fault == "bad-gzip":
            handler._send(200, b"\x1f\x8bnot gzip at all", ctype, Content_Encoding="gzip")
        elif fault == "bad-utf8":
            cut = len(body) // 3
            handler._send(200, body[:cut] + b"\xff\xfe\xc3(" + body[cut:], ctype)
        elif fault == "inject":
            handler._send(status, inject(body, ctype) if status == 200 else body, ctype)
        elif fault == "proof-of-work":
            handler._send(200, POW_PAGE, "text/html; charset=utf-8")
        else:
            return False
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up, as it should
    return True
