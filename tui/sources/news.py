"""RSS headlines (Google News search, Yahoo headline RSS, Fed press releases, CoinDesk).

Headlines are untrusted text. Parsing is feedparser's (a well-kept library that reads RSS 0.9x/
1.0/2.0 and Atom, takes the charset from the HTTP header, the XML declaration or the BOM, decodes
every HTML entity such as `&rsquo;`, and falls back to a lenient parser for feeds that are not
well-formed — CoinDesk's uses an undeclared `media:` prefix). Before feedparser sees the bytes,
defusedxml's expat parser with DTDs forbidden rejects any DOCTYPE or ENTITY declaration, so no
entity is ever expanded; a textual check backs it up for bodies expat cannot read. Every field is
then passed through `tui.sanitize.clean`: plain, one-line, capped text, never markup.

feedparser and defusedxml load with the first feed parsed, not with this module: the live
source imports it to compose snapshots long before any feed answers.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus
from xml.parsers.expat import ExpatError

from tui.sanitize import clean, clean_optional
from tui.sources.base import SourceError, rebase

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "news"
TITLE_LIMIT = 300
"""Characters kept of a headline."""
_CLOSING = re.compile(rb"</(rss|feed|rdf:RDF)\s*>\s*\Z", re.I)
_CHARSET = re.compile(r"charset=\"?([A-Za-z0-9._-]+)", re.I)
_DECLARED = re.compile(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", re.I)
_HTML = re.compile(rb"\A\s*(<\?xml[^>]*>\s*)?(<!doctype\s+html|<html)", re.I)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One headline: clean title, publisher and link; publication time in UTC when given."""

    title: str
    source: str | None
    url: str | None
    published: datetime | None


def load_parser() -> None:
    """Import feedparser and defusedxml now, off the event loop, so the first feed parsed does
    not hold the loop while they load."""
    import defusedxml.ElementTree  # noqa: F401
    import feedparser  # noqa: F401


def _refuse_declarations(raw: bytes) -> None:
    """Raise on a DOCTYPE or ENTITY declaration (defusedxml), and on a body that is HTML."""
    import defusedxml
    import defusedxml.ElementTree

    if _HTML.match(raw[:2048]):
        raise SourceError(SOURCE_ID, "answered with an HTML page instead of a feed")
    try:
        defusedxml.ElementTree.fromstring(raw, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise SourceError(SOURCE_ID, "feed declares a DOCTYPE or entities; refused") from None
    except (ExpatError, SyntaxError, ValueError):
        pass  # not well-formed: feedparser's lenient parser reads it, the check below guards
    lowered = raw.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise SourceError(SOURCE_ID, "feed declares a DOCTYPE or entities; refused")


def _check_charset(raw: bytes, content_type: str) -> None:
    """Raise when the bytes are not valid in the charset the feed declares (HTTP header, else
    the XML declaration, else UTF-8): feedparser would quietly fall back to windows-1252."""
    match = _CHARSET.search(content_type) or _DECLARED.search(raw[:200])
    declared = match.group(1) if match else "utf-8"
    name = declared.decode("ascii") if isinstance(declared, bytes) else declared
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with a BOM: feedparser reads it
    try:
        raw.decode(name.lower())
    except LookupError:
        return  # a charset Python does not know: feedparser decides
    except UnicodeDecodeError as exc:
        raise SourceError(
            SOURCE_ID, f"sent text that is not valid {name} (byte {exc.start})"
        ) from None


def _published(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _link(value: object) -> str | None:
    link = clean_optional(value, 2000)
    return link if link and link.startswith(("http://", "https://")) else None


def parse(
    body: str | bytes, default_source: str | None = None, content_type: str = ""
) -> list[FeedItem]:
    """Parse an RSS or Atom body into headlines, newest first.

    Args:
        body: The feed's bytes (charset read from the feed) or text.
        default_source: Publisher to report when an item names none (CoinDesk, the Fed).
        content_type: The HTTP Content-Type; its `charset` wins over the XML declaration.

    Raises:
        SourceError: On a DOCTYPE/ENTITY declaration, an HTML page, an empty or truncated body,
            text that is not valid in its declared charset, or a body with no feed.
    """
    import feedparser

    raw = body.encode("utf-8") if isinstance(body, str) else body
    if not raw.strip():
        raise SourceError(SOURCE_ID, "answered with an empty body")
    _refuse_declarations(raw)
    headers = {"content-type": content_type} if "charset=" in content_type.lower() else {}
    doc = feedparser.parse(raw, response_headers=headers, sanitize_html=True)
    version = doc.get("version") or ""
    if not version and not doc.get("entries"):
        raise SourceError(SOURCE_ID, "not an RSS feed")
    _check_charset(raw, content_type)
    if not _CLOSING.search(raw[-512:]):
        raise SourceError(SOURCE_ID, "sent a truncated feed (no closing tag)")
    items = []
    for entry in doc.get("entries", []):
        title = clean(entry.get("title", ""), TITLE_LIMIT)
        if not title:
            continue
        src = entry.get("source")
        source = (clean_optional(src.get("title"), 80) if isinstance(src, dict) else None) or (
            clean_optional(default_source, 80)
        )
        if source and title.endswith(f" - {source}"):
            title = title[: -len(source) - 3].rstrip()  # Google News appends the publisher
        items.append(FeedItem(title, source, _link(entry.get("link")), _published(entry)))
    return sorted(
        items, key=lambda i: i.published or datetime.min.replace(tzinfo=UTC), reverse=True
    )


GOOGLE_NEWS = "https://news.google.com/rss/search?q={query}&hl=en-US&gl=US&ceid=US:en"
YAHOO_HEADLINES = "https://feeds.finance.yahoo.com/rss/2.0/headline?s={symbol}&region=US&lang=en-US"
FED_PRESS = "https://www.federalreserve.gov/feeds/press_monetary.xml"
COINDESK = "https://www.coindesk.com/arc/outboundfeeds/rss/"
MACRO_FEEDS: tuple[tuple[str, str | None], ...] = (
    (FED_PRESS, "Federal Reserve"),
    (COINDESK, "CoinDesk"),
    (GOOGLE_NEWS.format(query=quote_plus("stock market OR Fed OR bitcoin when:1d")), None),
)
"""Feeds read every news refresh: the Fed's monetary-policy releases, CoinDesk, and a
Google News search for the market as a whole."""


def asset_feed(query: str) -> str:
    """A Google News search feed for one asset's name over the last two days."""
    return GOOGLE_NEWS.format(query=quote_plus(f"{query} when:2d"))


async def fetch_feed(
    fetcher: Fetcher, url: str, default_source: str | None, base: str | None = None
) -> list[FeedItem]:
    """One feed; `base` (the news override) replaces scheme, host and port of every feed."""
    target = rebase(url, base) if base else url
    body, content_type = await fetcher.get_bytes(SOURCE_ID, target)
    return parse(body, default_source, content_type)
