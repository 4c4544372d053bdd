"""Market sessions: per exchange open, pre, post, break or closed, and when that changes.

Calendars come from pandas_market_calendars. It was chosen over exchange_calendars (which it
wraps for the Asian exchanges' holiday rules) because it also carries NYSE's pre- and
post-market hours and the futures calendars (CME Globex, Eurex) that exchange_calendars lacks;
both are maintained and release several times a year. It pulls in pandas, so it is imported only
inside the functions below, which the app calls from a worker thread after the first frame.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from tui.numtext import table


class Phase(StrEnum):
    """Where a market is in its day."""

    OPEN = "open"
    PRE = "pre"
    """Before the regular session (NYSE's pre-market)."""
    POST = "post"
    """After the regular session (NYSE's after-hours)."""
    BREAK = "break"
    """The midday break (Tokyo, Hong Kong, Shanghai)."""
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One market whose hours the dashboard follows.

    Attributes:
        id: Short id (`nyse`, `tokyo`…).
        name: What the user reads.
        calendar: The pandas_market_calendars name.
    """

    id: str
    name: str
    calendar: str


EXCHANGES: tuple[Exchange, ...] = (
    Exchange("nyse", "New York (NYSE)", "NYSE"),
    Exchange("tokyo", "Tokyo (JPX)", "JPX"),
    Exchange("seoul", "Seoul (KRX)", "XKRX"),
    Exchange("hong_kong", "Hong Kong (HKEX)", "HKEX"),
    Exchange("shanghai", "Shanghai (SSE)", "SSE"),
    Exchange("frankfurt", "Frankfurt (Xetra)", "XETR"),
    Exchange("eurex", "Eurex (Euro Stoxx 50 futures)", "EUREX"),
    Exchange("cme", "CME Globex (futures)", "CME_Equity"),
)

EXCHANGE_OF: dict[str, str] = {
    **dict.fromkeys(
        ("sp500", "nasdaq100", "dow", "russell2000", "nasdaq_composite", "nvda", "spy", "qqq"),
        "nyse",
    ),
    "vix": "nyse",
    "nikkei225": "tokyo",
    "kospi": "seoul",
    "hang_seng": "hong_kong",
    "shanghai": "shanghai",
    "dax": "frankfurt",
    "eurostoxx50": "frankfurt",  # STOXX computes it in the cash session, Xetra's hours
    **dict.fromkeys(("gold", "silver", "wti"), "cme"),
}
"""Which exchange's hours decide whether a quote row is live; crypto and rates have none."""


@dataclass(frozen=True, slots=True)
class MarketSession:
    """One exchange at one moment.

    Attributes:
        exchange: The exchange.
        phase: Where it is now.
        next_change: When the phase changes next (UTC), None when the calendar ends.
        next_phase: What it changes to.
        last_close: The last regular close before now (UTC).
    """

    exchange: Exchange
    phase: Phase
    next_change: datetime | None
    next_phase: Phase | None
    last_close: datetime | None

    def until(self, now: datetime) -> str:
        """Time to the next change: `2 h 14 min`, `35 min`, `3 d 4 h`; `—` when unknown."""
        if self.next_change is None:
            return "—"
        minutes = max(0, int((self.next_change - now).total_seconds() // 60))
        days, rest = divmod(minutes, 1440)
        hours, mins = divmod(rest, 60)
        if days:
            return f"{days} d {hours} h"
        return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


WINDOW_BEFORE, WINDOW_AFTER = timedelta(days=10), timedelta(days=120)
"""The timeline kept covers this much around the moment it was built: building it costs about
15 s of CPU (Seoul's calendar), so it is rebuilt about every four months."""


@dataclass(frozen=True, slots=True)
class Timeline:
    """Phase changes per exchange over a window of days, built once and kept in the cache.

    Attributes:
        start: First moment covered (UTC).
        end: Last moment covered (UTC).
        events: Exchange id to its (moment, phase it enters) changes, ascending.
        closes: Exchange id to its regular closes, ascending.
    """

    start: datetime
    end: datetime
    events: dict[str, list[tuple[datetime, Phase]]]
    closes: dict[str, list[datetime]]

    def covers(self, now: datetime) -> bool:
        """True when `now` is inside the window with a day to spare for the next change."""
        return self.start + timedelta(days=1) <= now <= self.end - timedelta(days=4)

    def to_json(self) -> dict[str, Any]:
        """The timeline for the cache file."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "events": {k: [[w.isoformat(), p.value] for w, p in v] for k, v in self.events.items()},
            "closes": {k: [w.isoformat() for w in v] for k, v in self.closes.items()},
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Timeline:
        """Read a timeline back (raises KeyError, TypeError or ValueError when malformed)."""
        return cls(
            datetime.fromisoformat(doc["start"]),
            datetime.fromisoformat(doc["end"]),
            {
                k: [(datetime.fromisoformat(w), Phase(p)) for w, p in v]
                for k, v in doc["events"].items()
            },
            {k: [datetime.fromisoformat(w) for w in v] for k, v in doc["closes"].items()},
        )


def _calendar(name: str) -> Any:
    import pandas_market_calendars as mcal

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # notes about lunch breaks that ended decades ago
        return mcal.get_calendar(name)


def _events(
    cal: Any, start: date, end: date
) -> tuple[list[tuple[datetime, Phase]], list[datetime]]:
    """Phase changes from `start` to `end` (UTC, ascending) and the regular closes among them."""
    times = cal.regular_market_times
    extended = "pre" in times and "post" in times
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if extended:
            frame = cal.schedule(start_date=start, end_date=end, start="pre", end="post")
        else:
            frame = cal.schedule(start_date=start, end_date=end)
    ended = cal.discontinued_market_times.get("break_start")
    breaks_ended = ended is not None and ended.date() <= start  # Seoul's lunch break: 2000
    events: list[tuple[datetime, Phase]] = []
    closes: list[datetime] = []
    for _, row in frame.iterrows():
        opened, close = row["market_open"].to_pydatetime(), row["market_close"].to_pydatetime()
        if extended:
            events.append((row["pre"].to_pydatetime(), Phase.PRE))
        events.append((opened, Phase.OPEN))
        pause = None if breaks_ended else row.get("break_start")
        if pause is not None and pause == pause:
            resume = row["break_end"]
            # Calendars keep zero-length breaks that were discontinued, and breaks on days
            # that close early before them: neither is a break the user could see.
            if opened < pause.to_pydatetime() < resume.to_pydatetime() < close:
                events.append((pause.to_pydatetime(), Phase.BREAK))
                events.append((resume.to_pydatetime(), Phase.OPEN))
        closes.append(close)
        events.append((close, Phase.POST if extended else Phase.CLOSED))
        if extended:
            events.append((row["post"].to_pydatetime(), Phase.CLOSED))
    events.sort(key=lambda e: e[0])
    return events, closes


def build_timeline(now: datetime) -> Timeline:
    """Every exchange's phase changes around `now` (pandas: slow, run it off the UI path;
    Seoul's calendar alone takes seconds, which is why the result is kept in the cache)."""
    start, end = now - WINDOW_BEFORE, now + WINDOW_AFTER
    events, closes = {}, {}
    for exchange in EXCHANGES:
        events[exchange.id], closes[exchange.id] = _events(
            _calendar(exchange.calendar), start.date(), end.date()
        )
    return Timeline(start, end, events, closes)


def session_at(exchange: Exchange, now: datetime, timeline: Timeline) -> MarketSession:
    """Where `exchange` is at `now` (aware), holidays and early closes included."""
    events = timeline.events.get(exchange.id, [])
    phase = Phase.CLOSED
    for when, what in events:
        if when > now:
            break
        phase = what
    upcoming = next(((w, p) for w, p in events if w > now and p is not phase), (None, None))
    closes = timeline.closes.get(exchange.id, [])
    last_close = max((c for c in closes if c <= now), default=None)
    return MarketSession(exchange, phase, upcoming[0], upcoming[1], last_close)


def market_sessions(now: datetime, timeline: Timeline) -> list[MarketSession]:
    """Every exchange in `EXCHANGES` at `now`."""
    return [session_at(exchange, now, timeline) for exchange in EXCHANGES]


def sessions_text(sessions: list[MarketSession], now: datetime, tz: Any = None) -> str:
    """One line per exchange: phase, what comes next and when, in the user's time zone; in
    columns at least two spaces apart."""
    rows = []
    for s in sessions:
        if s.next_change is None or s.next_phase is None:
            nxt = "calendar ends"
        else:
            local = s.next_change.astimezone(tz)
            nxt = f"{s.next_phase.value} in {s.until(now)} ({local:%a %H:%M %Z})"
        rows.append([s.exchange.name, s.phase.value, nxt])
    return "\n".join(table(rows))


def phase_of(asset_id: str, sessions: list[MarketSession]) -> Phase | None:
    """The phase of the exchange whose hours decide an asset's row (None: crypto, rates)."""
    exchange = EXCHANGE_OF.get(asset_id)
    return next((s.phase for s in sessions if s.exchange.id == exchange), None)


def close_label(phase: Phase | None, as_of: date | None, today: date) -> str | None:
    """What a quote row shows instead of looking live while its market is shut.

    Args:
        phase: Its exchange's phase now (None: no exchange, such as crypto or rates).
        as_of: The date of the close the row shows.
        today: The user's date, to shorten the label within the year.

    Returns:
        `close 11-20` (`close 2024-12-31` from another year), or None while it trades or
        pauses for lunch, or when there is nothing to date.
    """
    if phase is None or phase in (Phase.OPEN, Phase.BREAK) or as_of is None:
        return None
    return f"close {as_of:%m-%d}" if as_of.year == today.year else f"close {as_of.isoformat()}"


def main(argv: list[str]) -> int:
    """`python -m tui.sessions PATH [NOW]`: build the timeline and write it atomically."""
    path = Path(argv[0])
    now = datetime.fromisoformat(argv[1]) if len(argv) > 1 else datetime.now().astimezone()
    doc = json.dumps(build_timeline(now).to_json())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(doc, encoding="utf-8")
    os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
