"""Fear & greed rows: one composer for live and replay.

Both indices are shown the same way whatever their source: the provider's own label (title
case), the reading one day and one week before, and stale with its date once the reading is
older than it should be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from tui import measures
from tui.model import FearGreed, FearGreedPane
from tui.panes.quotes import stale_gap
from tui.readings import Gap

NAMES: dict[str, str] = {"crypto": "Crypto F&G", "stock": "Stock F&G"}
"""Row names by index id."""
SOURCES: dict[str, str] = {"crypto": "alternative_me", "stock": "cnn"}
"""Who publishes each index."""


@dataclass(frozen=True, slots=True)
class FearGreedReading:
    """One index's latest reading as a source gave it.

    Attributes:
        id: `crypto` or `stock`.
        value: 0–100.
        label: The provider's label as sent (`extreme fear`, `Extreme Fear`), or None.
        as_of: The day the reading belongs to (UTC day for crypto, New York day for stock).
        previous: The reading one day before, when known.
        week_ago: The reading seven days before, when known.
        components: (name, text) pairs (CNN's seven components).
    """

    id: str
    value: float
    label: str | None
    as_of: date
    previous: float | None = None
    week_ago: float | None = None
    components: tuple[tuple[str, str], ...] = ()


def label_text(raw: str | None) -> str | None:
    """The one way a provider's label is shown: its own words, title case."""
    text = (raw or "").strip()
    return text.title() if text else None


def stale_on(index_id: str, as_of: date, day: date, last: date | None) -> Gap | None:
    """Replay: the quote rows' rule (`tui.panes.quotes.stale_gap`), on the index's calendar:
    crypto's every day, CNN's on New York weekdays."""
    return stale_gap(as_of, day, last, weekends=index_id == "crypto", what="reading")


def stale_live(index_id: str, as_of: date, now: datetime) -> Gap | None:
    """Live: crypto's index is published once a UTC day, CNN's through the New York session; a
    reading older than that is stale with its date."""
    if index_id == "crypto":
        expected = measures.last_session_opened(now, "UTC", time(0, 0), weekends=True)
        late = measures.sessions_after(as_of, expected, weekends=True) > 1
    else:
        expected = measures.last_session_opened(
            now, "America/New_York", time(9, 30), weekends=False
        )
        late = as_of < expected
    return Gap(None, f"reading of {as_of.isoformat()}") if late else None


def compose(reading: FearGreedReading, gap: Gap | None, source: str | None = None) -> FearGreed:
    """One row of the fear & greed pane."""
    return FearGreed(
        reading.id,
        NAMES.get(reading.id, reading.id),
        reading.value,
        label_text(reading.label),
        reading.previous,
        reading.week_ago,
        reading.as_of,
        source or SOURCES.get(reading.id, reading.id),
        reading.components,
        stale=gap is not None,
        stale_reason=gap.text() if gap else None,
    )


def missing(index_id: str, reason: str) -> FearGreed:
    """A row with no reading: every value None, and why."""
    return FearGreed(
        index_id,
        NAMES.get(index_id, index_id),
        None,
        None,
        None,
        None,
        None,
        SOURCES.get(index_id, index_id),
        stale=True,
        stale_reason=reason,
    )


def pane(rows: list[FearGreed], errors: list[str]) -> FearGreedPane:
    """The pane: crypto first, then stock; the errors joined in one line."""
    rows = sorted(rows, key=lambda f: f.id)
    return FearGreedPane(tuple(rows), "; ".join(errors) or None)
