"""What explain is told besides the daily closes: the readings a trader had around the day.

A pure value passed into `explain()`. Explain never fetches or reads a source: a builder outside
this package fills it, `tui.explain_inputs.replay_inputs` from the bundled tables, and a live
builder from the readings the dashboard panes show (same types, same meaning). Anything a
builder could not get stays None or empty with its reason in `missing`, never 0.

A builder is a function `Window -> ExplainInputs` (`window_for(history, asset, day, horizon)`
gives the window). A live one fills:

- `fed_odds`: one `FedWatch` per source and day, `source` the source's name and `as_of` the
  reading's time, covering `window.month_start` to `window.known_day` (the pane's latest
  reading plus the recorded ones before it); `fed_sources` best first;
- `fear_greed` / `fear_greed_start`: the pane's `FearGreedPane` at the day and at the start, and
  `fear_greed_year` the past year of daily values per index id;
- `funding`, `open_interest`, `etf_flows`: the past year up to the day, oldest first;
- `liquidations_usd` when a source has them; `missing` with a reason for whatever failed
  (`"binance: HTTP 451"`), so the channel says "no data" and why;
- `source="live"`.

It is passed as `explain(..., inputs=builder(window))`, or to the drill-down as
`DrillDownScreen(..., inputs=builder)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tui.model import FearGreedPane, FedWatch


@dataclass(frozen=True, slots=True)
class Window:
    """The days a move spans, for which a builder gathers readings.

    Attributes:
        day: The explained day (the asset's own close on or before the asked day).
        start: The close the move is measured from.
        month_start: About one month before `day` (30 calendar days), for the Fed-odds change.
        us_day: The last New York session whose readings were known at the asset's close:
            `day` itself, except for Asia, which closes before New York opens (EXPLAIN_METHOD §1).
        us_start: The same for `start`.
    """

    day: date
    start: date
    month_start: date
    us_day: date | None = None
    us_start: date | None = None

    @property
    def known_day(self) -> date:
        """The day US-based readings (Fed odds, stock sentiment, ETF flows) are taken on."""
        return self.us_day or self.day

    @property
    def known_start(self) -> date:
        """The start of the window for US-based readings."""
        return self.us_start or self.start


@dataclass(frozen=True, slots=True)
class Funding:
    """One settlement of the BTCUSDT perpetual's funding.

    Attributes:
        time: Settlement time, UTC.
        rate: Fraction per 8 hours (0.0001 = 0.01%).
    """

    time: datetime
    rate: float

    @property
    def annualised_pct(self) -> float:
        """Three settlements a day for a year, simple, in percent."""
        return self.rate * 3 * 365 * 100


@dataclass(frozen=True, slots=True)
class DatedValue:
    """One dated reading of a daily table (open interest, ETF flows)."""

    day: date
    value: float


@dataclass(frozen=True, slots=True)
class ExplainInputs:
    """Readings around a move that do not come from the daily closes.

    Attributes:
        window: The days the readings were gathered for.
        fed_odds: Fed-decision odds, one `FedWatch` per source and day (each with a single
            `source` and `as_of`), oldest first, covering `window.month_start` to `window.day`.
        fed_sources: Fed-odds source names, best first (same-source changes are compared).
        fear_greed: Crypto and stock fear & greed as of the day.
        fear_greed_start: The same as of the window's start.
        fear_greed_year: Past year of daily values per index id (`crypto`, `stock`), oldest
            first and ending the day before, for sizing a change.
        funding: Funding settlements of the past year up to the end of the day, oldest first.
        open_interest: Daily open interest (USDT) of the past year up to the day, oldest first.
        etf_flows: Daily US spot-bitcoin ETF net flows (USD millions) of the past year up to
            the day, oldest first.
        liquidations_usd: Liquidations on the day, when a source has them.
        source: Where the readings come from (`bundled` or `live`).
        missing: Reason per reading id when a builder could not get it (`liquidations`: "no
            liquidation data are bundled").
    """

    window: Window
    fed_odds: tuple[FedWatch, ...] = ()
    fed_sources: tuple[str, ...] = ()
    fear_greed: FearGreedPane = field(default_factory=FearGreedPane)
    fear_greed_start: FearGreedPane = field(default_factory=FearGreedPane)
    fear_greed_year: dict[str, tuple[float, ...]] = field(default_factory=dict)
    funding: tuple[Funding, ...] = ()
    open_interest: tuple[DatedValue, ...] = ()
    etf_flows: tuple[DatedValue, ...] = ()
    liquidations_usd: float | None = None
    fomc_decisions: tuple[date, ...] = ()
    """FOMC decision days the calendar holds (empty when none is known)."""
    source: str = "bundled"
    missing: dict[str, str] = field(default_factory=dict)


def empty_inputs(window: Window, reason: str) -> ExplainInputs:
    """Inputs with no readings at all, each missing for `reason`."""
    ids = (
        "fed_odds",
        "fear_greed",
        "funding",
        "open_interest",
        "etf_flows",
        "liquidations",
        "fomc",
    )
    return ExplainInputs(window, missing=dict.fromkeys(ids, reason))
