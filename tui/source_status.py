"""What the live sources' states add up to, in words: the header's mode and note, and the one
line said when no source answered.

While no source has answered, nothing is concluded from the first to fail: the header says how
many sources are still waiting, and only once every source has been tried does one line say
how many failed and why. Pure: reads the `SourceHealth` rows `LiveSource.health` builds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from tui.model import Mode, Quote, Snapshot, SourceHealth

SHOWN_FAILING = 4
"""Up to this many failing sources are named in the header; more are counted."""
REASONS_SHOWN = 3
"""Distinct reasons the offline line names (the most frequent first)."""


def reasons(failed: Sequence[SourceHealth]) -> str:
    """Why the sources failed: `connection refused` when they agree, else each distinct reason
    with its count, most frequent first (`connection refused ×9, server error 500 ×3`), at most
    REASONS_SHOWN of them and `…` for the rest."""
    counts = Counter(h.error for h in failed if h.error)
    if len(counts) == 1:
        return next(iter(counts))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{reason} ×{count}" for reason, count in ordered[:REASONS_SHOWN])
    return shown + (", …" if len(ordered) > REASONS_SHOWN else "")


def waiting(snap: Snapshot) -> list[str]:
    """Ids of the sources whose first refresh has not ended."""
    return [h.id for h in snap.sources if h.waiting]


def mode_text(snap: Snapshot, now: datetime) -> str:
    """The header's mode: `CONNECTING` while nothing is cached, no source has answered and some
    have not been tried yet (not `OFFLINE` on the first failure); else the snapshot's own
    label (`LIVE`, `CACHED 08:12 (13 h old)`, `OFFLINE`)."""
    if snap.mode is Mode.OFFLINE and waiting(snap):
        return "CONNECTING"
    return snap.mode_label(now)


def header_note(snap: Snapshot) -> str:
    """What the header adds after the update time, with its leading ` · `, or an empty string.

    Live (a source answered): the failing sources, named up to SHOWN_FAILING
    (` · failing: fred, cnn`), else counted (` · 5 of 12 sources failing`). While no source
    has answered and some are still being tried: how many (` · waiting for 7 sources`), naming
    none of those that failed so far.
    """
    failing = [h.id for h in snap.sources if h.error]
    still = waiting(snap)
    if snap.mode is not Mode.LIVE and still:
        return f" · waiting for {len(still)} source{'s' if len(still) > 1 else ''}"
    if len(failing) > SHOWN_FAILING:
        return f" · {len(failing)} of {len(snap.sources)} sources failing"
    if failing:
        return f" · failing: {', '.join(failing)}"
    return ""


def header_time(snap: Snapshot) -> tuple[str, ...]:
    """The header's forms after the mode, longest first, for a live-mode snapshot.

    LIVE: the local time of the snapshot with `header_note`, then `short_note`, then the bare
    time (`updated 08:12:05 · failing: fred`, …, `08:12:05 · 1 failing`). Before any source
    has answered (CACHED, OFFLINE, CONNECTING) nothing was updated: no time is given (the
    CACHED label carries the cache's own time and age), only the note (`waiting for 7
    sources`), or nothing.
    """
    note, short = header_note(snap), short_note(snap)
    if snap.mode is not Mode.LIVE:
        return tuple(dict.fromkeys(n.removeprefix(" · ") for n in (note, short)))
    local = snap.as_of.astimezone()
    return tuple(
        dict.fromkeys(
            (
                f"updated {local:%H:%M:%S}{note}",
                f"updated {local:%H:%M:%S}{short}",
                f"{local:%H:%M:%S}{short}",
            )
        )
    )


def short_note(snap: Snapshot) -> str:
    """`header_note` in a narrow header: counts only (` · waiting 7`, ` · 3 failing`)."""
    still = waiting(snap)
    if snap.mode is not Mode.LIVE and still:
        return f" · waiting {len(still)}"
    failing = [h.id for h in snap.sources if h.error]
    return f" · {len(failing)} failing" if failing else ""


def offline_line(snap: Snapshot) -> str | None:
    """One line once every source has been tried and none answered, else None.

    `offline: 12 of 12 sources failed (connection refused), retrying — showing the cached
    snapshot`, or with nothing cached `… — nothing cached; r replays the latest bundled day`.
    The count is of the sources tried (a fallback counts once it was); the reasons are
    `reasons`'.
    """
    if snap.mode not in (Mode.CACHED, Mode.OFFLINE) or waiting(snap):
        return None
    failed = [h for h in snap.sources if h.error]
    if not failed:
        return None
    tried = [h for h in snap.sources if h.error or h.last_ok is not None]
    head = f"offline: {len(failed)} of {len(tried)} sources failed ({reasons(failed)}), retrying"
    if snap.mode is Mode.CACHED:
        return f"{head} — showing the cached snapshot"
    return f"{head} — nothing cached; r replays the latest bundled day"


def stale_footer(stale: Sequence[Quote]) -> str:
    """What a pane's stale quotes have in common, for its footer; "" when none is stale.

    One reason: `2 stale: bundled data end 2026-03-10`. Several: each distinct reason, in the
    order of the rows, counted where more than one row gives it, the words they open with said
    once (`3 stale: bundled data end 2026-03-10 ×2, 2026-03-19`), so that a footer fitted in
    whole words keeps every reason it has room for. Live, `; data of 08:12` gives the local
    time the oldest stale value arrived (a time, not an age: an age would repaint every tick).
    """
    if not stale:
        return ""
    counts = Counter(q.stale_reason or "no reason recorded" for q in stale)
    found = list(counts)
    words = [reason.split(" ") for reason in found]
    common = 0
    if len(found) > 1:
        while all(len(w) > common + 1 and w[common] == words[0][common] for w in words):
            common += 1
    head = " ".join(words[0][:common])
    tails = [" ".join(w[common:]) for w in words]
    said = ", ".join(
        f"{tail} ×{counts[r]}" if counts[r] > 1 and len(found) > 1 else tail
        for r, tail in zip(found, tails, strict=True)
    )
    arrived = [q.received for q in stale if q.received is not None]
    since = f"; data of {min(arrived).astimezone():%H:%M}" if arrived else ""
    return f"{len(stale)} stale: {head + ' ' if head else ''}{said}{since}"
