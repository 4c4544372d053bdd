"""Recorded headlines near a move: never invented, and marked when only first-seen times exist."""

from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from tui.assets import BY_ID, USER_IDS, Region
from tui.history import DATA_DIR

NEWS_DIR = DATA_DIR / "news"
FILES = ("news_2025_episode.csv", "news_2025_2026_google_news_top_stories.csv")
WINDOW = timedelta(hours=36)
MACRO = re.compile(
    r"\b(fed|federal reserve|powell|rate cuts?|rates?|inflation|treasur\w*|yields?|stocks?|"
    r"markets?|sell-?off|rout|recession|tariffs?|liquidat\w*|risk|wall street|futures)\b",
    re.I,
)


CLASS_TERMS: dict[str, re.Pattern[str]] = {
    "crypto": re.compile(r"\b(crypto\w*|bitcoin|btc|ether(eum)?|solana|stablecoins?)\b", re.I),
    "equity index": re.compile(
        r"\b(stocks?|equit\w+|wall street|nasdaq|s&p|dow|shares|index|indices)\b", re.I
    ),
    "single stock": re.compile(r"\b(stocks?|shares|chips?|ai|tech)\b", re.I),
    "precious metal": re.compile(r"\b(gold|silver|precious|bullion|metals?)\b", re.I),
    "energy": re.compile(r"\b(oil|crude|opec|brent|energy)\b", re.I),
}
"""Words naming an asset's class: a headline with them ranks after the asset's own."""
STORY_OVERLAP = 0.5
"""Titles sharing at least this share of their words tell one story: the first one is kept."""


@dataclass(frozen=True, slots=True)
class Headline:
    """One recorded headline."""

    time: datetime
    title: str
    source: str
    url: str | None
    time_quality: str
    """`published` (the feed's publish time) or `first_seen` (when a snapshot first had it)."""
    score: int = 0
    """4 names the asset, 3 a related asset (a leader), 2 its class, 1 a macro channel."""


@cache
def all_headlines() -> tuple[Headline, ...]:
    """Every bundled headline, oldest first."""
    out = []
    for name in FILES:
        with (NEWS_DIR / name).open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                stamp = datetime.fromisoformat(row["published_utc"].replace("Z", "+00:00"))
                out.append(
                    Headline(
                        stamp,
                        row["title"],
                        row["source"],
                        row.get("url") or None,
                        row.get("time_quality") or "published",
                    )
                )
    return tuple(sorted(out, key=lambda h: h.time))


def coverage() -> tuple[date, date]:
    """First and last day any headline is recorded."""
    items = all_headlines()
    return items[0].time.date(), items[-1].time.date()


COMPANY_SUFFIX = re.compile(
    r"(,?\s+(inc|incorporated|corp|corporation|co|company|ltd|limited|plc|holdings?|group|"
    r"sa|s\.a|se|ag|nv|n\.v|adr|class [a-c])\.?)+$",
    re.I,
)
"""Legal forms and listing words headlines leave out ("Apple Inc." is "Apple" in a title)."""


def common_name(name: str) -> str:
    """A company's name as headlines write it: 'Tencent Holdings Ltd' → 'Tencent'."""
    return COMPANY_SUFFIX.sub("", name).strip() or name


@cache
def _terms(asset_id: str) -> re.Pattern[str]:
    asset = BY_ID[asset_id]
    words = {asset.name.split(" (")[0], asset.symbol.split("/")[0].lstrip("^"), *asset.aliases}
    if asset_id in USER_IDS:  # the name from its quote carries the legal form
        words.add(common_name(asset.name))
    if asset_id == "nvda":
        words.add("nvidia")
    if asset_id == "nasdaq100":
        words.update({"nasdaq", "tech stocks"})
    if asset_id == "sp500":
        words.update({"s&p", "wall street"})
    escaped = sorted((re.escape(w) for w in words if len(w) >= 3), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(escaped) + r")(?!\w)", re.I)


def close_of(asset_id: str, day: date) -> datetime:
    """When the asset's day ends: the UTC candle's end for crypto; 08:00 UTC for Tokyo, Seoul,
    Hong Kong and Shanghai and 16:30 UTC for Europe (after their closes in summer and winter);
    22:00 UTC otherwise (after the New York close). A headline after the close came too late for
    the day's move."""
    asset = BY_ID[asset_id]
    if asset.weekends:
        return datetime.combine(day + timedelta(days=1), time(0), UTC)
    if asset.region is Region.ASIA:
        return datetime.combine(day, time(8), UTC)
    if asset.region is Region.EUROPE:
        return datetime.combine(day, time(16, 30), UTC)
    return datetime.combine(day, time(22), UTC)


def _words(title: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9$]+", title.lower()) if len(w) > 3}


def _same_story(words: set[str], seen: list[set[str]]) -> bool:
    for other in seen:
        union = words | other
        if union and len(words & other) / len(union) >= STORY_OVERLAP:
            return True
    return False


def headlines_for(
    asset_id: str,
    day: date,
    limit: int = 8,
    extra: Sequence[Headline] = (),
    related: Sequence[str] = (),
) -> tuple[Headline, ...]:
    """Headlines within 36 hours before the day's close, most relevant first, one per story.

    Args:
        asset_id: The asset.
        day: The day explained.
        limit: How many to keep.
        extra: Headlines fetched live, searched with the recorded ones.
        related: Assets whose names make a headline relevant (its leaders).
    """
    if not extra:
        return _recorded(asset_id, day, limit, tuple(related))
    return _pick(asset_id, day, limit, extra, related)


@cache
def _recorded(
    asset_id: str, day: date, limit: int, related: tuple[str, ...]
) -> tuple[Headline, ...]:
    """The recorded headlines alone never change: each asset's day is picked once."""
    return _pick(asset_id, day, limit, (), related)


def _pick(
    asset_id: str,
    day: date,
    limit: int,
    extra: Sequence[Headline],
    related: Sequence[str],
) -> tuple[Headline, ...]:
    end = close_of(asset_id, day)
    start = end - WINDOW
    terms = _terms(asset_id)
    others = [_terms(a) for a in related]
    cls = CLASS_TERMS.get(BY_ID[asset_id].asset_class.value)
    picked = []
    recorded = all_headlines()  # sorted by time: only the window is read
    lo = bisect_left(recorded, start, key=lambda h: h.time)
    hi = bisect_right(recorded, end, key=lambda h: h.time)
    for h in (*recorded[lo:hi], *extra):
        if not start <= h.time <= end:
            continue
        t = h.title
        score = (
            4
            if terms.search(t)
            else 3
            if any(o.search(t) for o in others)
            else 2
            if cls is not None and cls.search(t)
            else 1
            if MACRO.search(t)
            else 0
        )
        if score:
            picked.append(Headline(h.time, h.title, h.source, h.url, h.time_quality, score))
    picked.sort(key=lambda h: (-h.score, -h.time.timestamp()))
    out: list[Headline] = []
    seen: list[set[str]] = []
    for h in picked:
        words = _words(h.title)
        if _same_story(words, seen):
            continue
        seen.append(words)
        out.append(h)
        if len(out) == limit:
            break
    return tuple(out)
