"""Plain data passed from sources to the app and its widgets. No I/O, no Textual."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from tui.assets import Asset, ExtraRow, Unit
from tui.fed_odds import Basis, CallState, OddsMethod, OddsSource


class Mode(StrEnum):
    """Where the numbers on screen come from."""

    LIVE = "live"
    CACHED = "cached"
    REPLAY = "replay"
    OFFLINE = "offline"
    """Live mode with nothing to show yet: no source answered and nothing is cached. Such a
    snapshot is never printed or saved (`snapshot` exits 1 instead)."""


@dataclass(frozen=True, slots=True)
class Quote:
    """One asset's latest close and its change from the previous close.

    Attributes:
        id: Catalogue id.
        symbol: Display symbol.
        name: Human name.
        price: Level (price, index level, yield in percent, or spread in bp).
        change: Level change from the previous available close, in the level's unit.
        change_pct: Relative change in percent; None for rates and spreads (read in bp).
        as_of: Date of the close shown.
        source: Which source gave it.
        stale: True when the value is older than it should be (data ended, fetch failed).
        stale_reason: Why it is stale, for the pane and the JSON consumer.
        from_high_pct: Distance from the 52-week high in percent (None for rates).
        unit: How to read level and change.
        spark: The standard layout's sparkline closes (`tui.measures.SPARK_POINTS`).
        detail: Extra text for the row (the Fed target range, funding annualised…).
        updated: When the source stamped the value (live only; replay has the close's date).
        received: When riskpulse received the value (live and cached; None in replay): a stale
            quote's age is counted from here where it is shown.
        currency: What the price is quoted in (`USD`, `USDT`), for prices.
        decimals: Digits the price is rounded to in JSON (the instrument's precision).
        sigma: Today's move in σ of the asset's own recent daily moves (`tui.measures`), the
            number the drill-down shows; None where the history is too short or for rows the
            drill-down does not explain.
        change_1w: The move over a week (`tui.measures.WEEK_DAYS`), in the change's unit
            (percent for prices, bp for rates and spreads).
        change_1m: The move over a month (`tui.measures.MONTH_DAYS`), in the same unit.
        spark_wide: The wide layout's sparkline closes (`tui.measures.SPARK_POINTS_WIDE`).
    """

    id: str
    symbol: str
    name: str
    price: float | None
    change: float | None
    change_pct: float | None
    as_of: date | None
    source: str
    stale: bool = False
    stale_reason: str | None = None
    from_high_pct: float | None = None
    unit: Unit = Unit.PRICE
    spark: tuple[float, ...] = ()
    detail: str | None = None
    updated: datetime | None = None
    received: datetime | None = None
    currency: str | None = None
    decimals: int = 2
    sigma: float | None = None
    change_1w: float | None = None
    change_1m: float | None = None
    spark_wide: tuple[float, ...] = ()

    @classmethod
    def missing(cls, row: Asset | ExtraRow, source: str, reason: str) -> Quote:
        """A row with nothing to show: every value None (never 0), stale, and why."""
        return cls(
            row.id,
            row.symbol,
            row.name,
            None,
            None,
            None,
            None,
            source,
            stale=True,
            stale_reason=reason,
            unit=row.unit,
            decimals=row.decimals,
        )

    @property
    def change_bp(self) -> float | None:
        """The change in basis points, for rates and spreads."""
        if self.change is None:
            return None
        return self.change * 100 if self.unit is Unit.RATE else self.change


@dataclass(frozen=True, slots=True)
class QuotePane:
    """A pane of quotes, or the reason it has none."""

    quotes: tuple[Quote, ...] = ()
    error: str | None = None


Day = date
"""`date` under another name, for fields of a class that has a field called `date`."""


@dataclass(frozen=True, slots=True)
class FedCross:
    """A prediction market's odds for a meeting beside the pane's main reading, and the gap.

    Attributes:
        source: Kalshi or Polymarket.
        as_of: Day of the market reading.
        probabilities: Move in bp → probability 0–1, as the market gave them.
        derived: Outcomes computed as the complement of a two-outcome market (1 − p).
        gap_pp: Market minus main reading, percentage points, per outcome both give.
        basis: What the market's moves are measured from.
        approximate: True when the day is only approximately known.
    """

    source: OddsSource
    as_of: date
    probabilities: dict[int, float]
    derived: dict[int, float] = field(default_factory=dict)
    gap_pp: dict[int, float] = field(default_factory=dict)
    basis: Basis = Basis.AT_MEETING
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class FedMeeting:
    """Decision odds for one FOMC meeting.

    Attributes:
        date: Decision day.
        probabilities: Move in bp (-25, 0, +25…) to probability 0–1, as recorded.
        change_1d_pp: Change of each probability over one day, percentage points (same source
            and method at both ends).
        change_1w_pp: Change over one week, percentage points.
        implied_rate: Expected rate after the meeting, when the source gives one.
        note: What the numbers are and where else they were seen.
        change_1m_pp: Change over one month, percentage points.
        derived: Outcomes not recorded but computed as the complement of a two-outcome meeting.
        source: Where `probabilities` come from.
        method: How they were obtained.
        as_of: The day they describe.
        approximate: True when the data give that day only approximately (shown with ≈).
        call: The most likely outcome, only when it is the largest of a complete distribution
            and leads clearly (`tui.fed_odds.call`).
        call_state: called, split or incomplete.
        basis: What the moves are measured from (today's range, or the range before the meeting).
        markets: Prediction markets' odds for the same meeting, with the gap to `probabilities`.
    """

    date: date
    probabilities: dict[int, float] = field(default_factory=dict)
    change_1d_pp: dict[int, float] = field(default_factory=dict)
    change_1w_pp: dict[int, float] = field(default_factory=dict)
    implied_rate: float | None = None
    note: str | None = None
    change_1m_pp: dict[int, float] = field(default_factory=dict)
    derived: dict[int, float] = field(default_factory=dict)
    source: OddsSource | None = None
    method: OddsMethod | None = None
    as_of: Day | None = None
    approximate: bool = False
    call: int | None = None
    call_state: CallState | None = None
    basis: Basis = Basis.FROM_TODAY
    markets: tuple[FedCross, ...] = ()


@dataclass(frozen=True, slots=True)
class FedWatch:
    """The Fed-watch pane: next meetings and where their odds come from.

    Attributes:
        meetings: The next meetings known on the day, in date order.
        source: The pane's source line (which source and method gave the main readings).
        as_of: The moment the odds describe.
        error: One line when odds are missing or stale.
        notes: Further lines (where the calendar ends when it runs out, …).
        last_decision: 'last: +75 bp on 2022-06-15 → 1.50–1.75'.
        calendar_ends: The last decision day in the FOMC calendar riskpulse carries.
    """

    meetings: tuple[FedMeeting, ...] = ()
    source: str | None = None
    as_of: datetime | None = None
    error: str | None = None
    notes: tuple[str, ...] = ()
    last_decision: str | None = None
    calendar_ends: date | None = None


@dataclass(frozen=True, slots=True)
class FearGreed:
    """One fear & greed index reading.

    Attributes:
        id: `crypto` or `stock`.
        name: Human name.
        value: 0–100.
        label: The provider's label.
        previous: The reading one day before.
        week_ago: The reading seven days before.
        as_of: Date of the reading.
        source: Which provider.
        components: For the stock index, its components as (name, text) pairs.
        stale: True when the reading is older than it should be (data ended, fetch failed).
        stale_reason: Why, when stale.
    """

    id: str
    name: str
    value: float | None
    label: str | None
    previous: float | None
    week_ago: float | None
    as_of: date | None
    source: str
    components: tuple[tuple[str, str], ...] = ()
    stale: bool = False
    stale_reason: str | None = None


@dataclass(frozen=True, slots=True)
class FearGreedPane:
    """The fear & greed pane."""

    indices: tuple[FearGreed, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Breadth:
    """How many risk assets fell or rose on the day.

    Attributes:
        risk_assets: Risk assets that printed on the day.
        down: How many of them fell.
        up: How many rose.
        label: `broad risk-off`, `risk-off`, `mixed`, `risk-on` or `broad risk-on`.
    """

    risk_assets: int
    down: int
    up: int
    label: str
    same_direction: int = 0
    """Risk assets that moved at least 1σ of their own in the day's direction."""
    movers: tuple[tuple[str, float], ...] = ()
    """Those assets with their z, largest first."""
    groups: tuple[str, ...] = ()
    """The groups (us, asia, europe, crypto) the movers come from."""
    scope: str = ""
    """`broad`, `narrow`, `crypto only` or `none` (EXPLAIN_METHOD §4; `tui.breadth`)."""
    text: str = ""
    """One line saying all of the above with its numbers, for the header and the drill-down."""
    fell: int = 0
    """Risk assets that fell at least 1σ of their own, whatever the day's direction."""
    rose: int = 0
    """Risk assets that rose at least 1σ of their own, whatever the day's direction. Neither
    count is kept in the snapshot's JSON (its contract): read back, a mixed day's shorter forms
    give the markets down and up, its `text` both."""

    def sentence(self) -> str:
        """One line for the header: `tui.breadth`'s sentence when it wrote one."""
        if self.text:
            return self.text
        if self.risk_assets == 0:
            return "breadth: no risk market printed on this day"
        if self.label == "crypto only":
            return f"only crypto traded: {self.down} of {self.risk_assets} down"
        if self.label == "few markets":
            return f"few markets open: {self.down} of {self.risk_assets} risk assets down"
        if self.down >= self.up:
            return f"{self.label}: {self.down} of {self.risk_assets} risk assets down"
        return f"{self.label}: {self.up} of {self.risk_assets} risk assets up"

    def forms(self) -> tuple[str, ...]:
        """The breadth statement from longest to shortest, for a header that shows the longest
        that fits: each form whole and each with the count.

        For example `narrow risk-off: 6 of 13 fell ≥1σ (crypto, us), 8 down`, then
        `narrow risk-off: 6 of 13 fell ≥1σ, 8 down`, `narrow risk-off: 6 of 13 fell ≥1σ` and
        `breadth 6/13 ↓ narrow`. Built from the counts and the label alone, so a snapshot read
        back from the cache has them too.
        """
        n, same = self.risk_assets, self.same_direction
        shorter: list[str]
        if n == 0 or self.scope == "none":
            shorter = ["breadth: no current close"]
        elif self.scope == "pending":
            shorter = [f"{self.down} of {n} down; sizing…", f"breadth {self.down}/{n} down"]
        elif self.scope == "crypto only":
            whole = self.sentence().split(";")[0]  # its own clauses, the last ones first
            shorter = [whole, whole.split(" (")[0], f"crypto only {same}/{n} ≥1σ"]
        elif self.label == "mixed" and (self.fell or self.rose):
            shorter = [
                f"mixed: {self.fell} fell ≥1σ, {self.rose} rose ≥1σ; "
                f"{self.down} down, {self.up} up",
                f"mixed: {self.fell} fell ≥1σ, {self.rose} rose ≥1σ",
                f"mixed ≥1σ {self.fell}↓ {self.rose}↑ of {n}",
            ]
        elif self.label == "mixed":
            shorter = [
                f"mixed: {self.down} of {n} down, {self.up} up",
                f"mixed {self.down}↓ {self.up}↑ of {n}",
            ]
        elif self.label.endswith(("risk-off", "risk-on")):
            off = self.label.endswith("risk-off")
            verb, sided = ("fell", f"{self.down} down") if off else ("rose", f"{self.up} up")
            shorter = [
                f"{self.label}: {same} of {n} {verb} ≥1σ, {sided}",
                f"{self.label}: {same} of {n} {verb} ≥1σ",
                f"breadth {same}/{n} {'↓' if off else '↑'} {self.scope}",
            ]
        elif self.label == "quiet":
            shorter = [f"quiet: {same} of {n} moved ≥1σ", f"breadth {same}/{n} quiet"]
        else:
            shorter = [f"breadth {self.down}/{n} down"]
        forms = [self.sentence()]
        for form in shorter:
            if len(form) < len(forms[-1]):
                forms.append(form)
        return tuple(forms)


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """How one live source is doing.

    Attributes:
        id: Source id (DESIGN §3).
        ok: True when its last attempt worked.
        last_ok: When it last answered with data.
        error: Why its last attempt failed (one line), or None.
        retry_in: Seconds until the next attempt, when known.
        waiting: True until its first refresh of its own has ended, with data or an error
            (a fallback, tried only inside another source's refresh, never waits).
    """

    id: str
    ok: bool
    last_ok: datetime | None
    error: str | None = None
    retry_in: float | None = None
    waiting: bool = False


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the dashboard shows at one moment.

    Attributes:
        as_of: The moment the numbers describe (replay: New York close of the day).
        mode: live, cached or replay.
        day: The replayed day (replay only).
        indices: Equity indices pane.
        crypto: Crypto pane.
        macro: Gold and macro pane.
        fedwatch: Fed-watch pane.
        fear_greed: Fear & greed pane.
        breadth: Risk-asset breadth.
        sources: Health of each live source (empty in replay).
        saved_at: When a cached snapshot was saved (cached only).
        partial: True for a replayed day's first numbers (quotes and breadth only): the panes
            that need the full history follow in a complete snapshot of the same day.
    """

    as_of: datetime
    mode: Mode
    day: date | None
    indices: QuotePane
    crypto: QuotePane
    macro: QuotePane
    fedwatch: FedWatch
    fear_greed: FearGreedPane
    breadth: Breadth
    sources: tuple[SourceHealth, ...] = ()
    saved_at: datetime | None = None
    partial: bool = False

    def mode_label(self, now: datetime | None = None) -> str:
        """`LIVE`, `CACHED 08:12 (13 h old)` or `REPLAY 2025-11-20`, for the header."""
        if self.mode is Mode.REPLAY:
            return f"REPLAY {self.day.isoformat()}" if self.day else "REPLAY"
        if self.mode is Mode.OFFLINE:
            return "OFFLINE"
        if self.mode is Mode.CACHED:
            saved = self.saved_at or self.as_of
            label = f"CACHED {saved.astimezone().strftime('%H:%M')}"
            if now is not None:
                age = age_text((now - saved).total_seconds(), in_seconds=False)
                label += f" ({age} old)"
            return label
        return "LIVE"

    def quote(self, asset_id: str) -> Quote | None:
        """Find a quote by asset id in any pane."""
        for pane in (self.indices, self.crypto, self.macro):
            for quote in pane.quotes:
                if quote.id == asset_id:
                    return quote
        return None


def age_text(seconds: float, *, in_seconds: bool = True) -> str:
    """'45 s', '12 min', '3 h', '2 d' (minutes at the least when `in_seconds` is False)."""
    seconds = max(0.0, seconds)
    if in_seconds and seconds < 90:
        return f"{int(seconds)} s"
    if seconds < 90 * 60:
        return f"{int(seconds // 60)} min"
    if seconds < 36 * 3600:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"
