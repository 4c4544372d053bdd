"""RSS through feedparser behind defusedxml: charsets from the feed, entities decoded, no
DOCTYPE or entity declarations, truncated and mis-encoded feeds named, every field inert."""

from __future__ import annotations

import pytest

from tui.sources import news
from tui.sources.base import SourceError


def rss(items: str, decl: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return f'{decl}<rss version="2.0"><channel><title>t</title>{items}</channel></rss>\n'


def test_latin1_feed_displays_correctly() -> None:
    body = rss(
        "<item><title>Caf\xe9 cr\xe8me: l\u2019\xe9t\xe9 &rsquo;chaud&rsquo;</title></item>",
        '<?xml version="1.0" encoding="ISO-8859-1"?>',
    ).replace("\u2019", "&#8217;")
    (item,) = news.parse(body.encode("latin-1"))
    assert item.title == "Café crème: l’été ’chaud’"


def test_charset_from_the_http_header_wins() -> None:
    body = rss("<item><title>Z\xfcrich</title></item>", "").encode("latin-1")
    (item,) = news.parse(body, content_type="application/rss+xml; charset=ISO-8859-1")
    assert item.title == "Zürich"
    with pytest.raises(SourceError, match="not valid utf-8"):
        news.parse(body)  # no declaration: UTF-8, and these bytes are not


@pytest.mark.parametrize(
    "body",
    [
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "boom">]><rss><channel>'
        "<item><title>&x;</title></item></channel></rss>",
        '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://evil.example/x.dtd"><rss/>',
        "<rss><channel><item><title>a</title></item></channel></rss><!ENTITY y 'z'>",
    ],
)
def test_declarations_are_refused_before_parsing(body: str) -> None:
    with pytest.raises(SourceError, match="DOCTYPE or entities; refused"):
        news.parse(body)


def test_truncated_feed_is_an_error_not_fewer_headlines() -> None:
    body = rss("<item><title>One</title></item><item><title>Two</title></item>")
    with pytest.raises(SourceError, match="truncated feed"):
        news.parse(body[: len(body) // 2 + 10])


def test_cdata_source_and_link_lose_their_escapes_and_titles_are_capped() -> None:
    evil = "\x1b]52;c;aGk=\x07\x1b]8;;https://x.example\x07\u202e"
    body = rss(
        f"<item><title><![CDATA[{'long ' * 20_000}]]></title>"
        f"<source url='https://s.example'><![CDATA[{evil}Reuters]]></source>"
        f"<link><![CDATA[https://r.example/a{evil}]]></link></item>"
    )
    (item,) = news.parse(body)
    assert len(item.title) <= news.TITLE_LIMIT and item.title.endswith("…")
    assert item.source == "Reuters" and item.url == "https://r.example/a"


def test_a_link_that_is_not_http_is_dropped() -> None:
    (item,) = news.parse(rss("<item><title>x</title><link>javascript:alert(1)</link></item>"))
    assert item.url is None
