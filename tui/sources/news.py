"""RSS headlines (Google News search, Yahoo headline RSS, Fed press releases, CoinDesk).

Headlines are untrusted text. The feeds are read without an XML parser's entity machinery: a
document with a DOCTYPE or ENTITY declaration is refused, only XML's five predefined entities and
numeric character references are decoded, and the text is returned plain, never as markup.
Feeds are not always well-formed (CoinDesk's uses an undeclared `media:` prefix), so items are
cut out by tag rather than by a strict parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote_plus

from tui.sources.base import Fetcher, SourceError, rebase

SOURCE_ID = "news"
_ITEM = re.compile(r"<item\b[^>]*>(.*?)</item>", re.S | re.I)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")
_PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One headline."""

    title: str
    source: str | None
    url: str | None
    published: datetime | None


def _decode(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _PREDEFINED[name]

    plain = _ENTITY.sub(one, text)
    return _CONTROL.sub("", plain).strip()  # no terminal escapes survive


def _field(block: str, tag: str) -> str | None:
    match = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", block, re.S | re.I)
    if not match:
        return None
    inner = match.group(1)
    cdata = _CDATA.fullmatch(inner.strip())
    return cdata.group(1).strip() if cdata else _decode(inner)


def parse(body: str, default_source: str | None = None) -> list[FeedItem]:
    """Parse an RSS 2.0 body into headlines, newest first.

    Args:
        body: The feed's text.
        default_source: Publisher to report when an item names none (CoinDesk, the Fed).

    Raises:
        SourceError: On a DOCTYPE/ENTITY declaration, an HTML page, or a body with no RSS.
    """
    head = body[:4096].lower()
    if "<!doctype" in head or "<!entity" in body.lower():
        raise SourceError(SOURCE_ID, "feed declares a DOCTYPE or entities; refused")
    if "<rss" not in head and "<channel" not in head:
        raise SourceError(SOURCE_ID, "not an RSS feed")
    items = []
    for block in _ITEM.findall(body):
        title = _field(block, "title")
        if not title:
            continue
        source = _field(block, "source") or default_source
        if source and title.endswith(f" - {source}"):
            title = title[: -len(source) - 3].rstrip()  # Google News appends the publisher
        published = None
        if stamp := _field(block, "pubDate"):
            try:
                published = parsedate_to_datetime(stamp).astimezone(UTC)
            except (TypeError, ValueError):
                published = None
        items.append(FeedItem(_CONTROL.sub("", title), source, _field(block, "link"), published))
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
    body, _ = await fetcher.get_bytes(SOURCE_ID, target)
    return parse(body.decode("utf-8", errors="replace"), default_source)
