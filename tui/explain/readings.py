"""Channels read from explain's inputs: Fed odds, sentiment, crypto leverage and ETF flows.

Same statuses as `channels`; each reading says where it comes from and what is missing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from tui.explain.channels import (
    EVENT,
    LEVEL_Z,
    MIN_CHANGES,
    THRESHOLD,
    YEAR_Z,
    Channel,
    Item,
    channel,
)
from tui.explain.fedodds import OddsChange, fed_odds_change, outcome_name
from tui.explain.inputs import DatedValue, ExplainInputs
from tui.model import FearGreed
from tui.numtext import signed

FED_HORIZON_PP = 10.0
"""Fed odds have no year of daily readings to size a change by: 10 pp over the horizon…"""
FED_MONTH_PP = 20.0
"""…or 20 pp over the month before counts as moved (scored 1.5 at the threshold)."""
FG_EXTREME = 10.0
"""Fear & greed at or below this, or at or above 100 minus it, is its extreme decile."""


@dataclass(frozen=True, slots=True)
class FedOdds:
    """The Fed-odds changes over the move's window and over the month before."""

    horizon: OddsChange | None
    month: OddsChange | None


def _z(change: float, past: Sequence[float]) -> float | None:
    if len(past) < MIN_CHANGES:
        return None
    sd = float(np.std(np.asarray(past, dtype=float)))
    return change / sd if sd > 0 else None


def fed_odds(inputs: ExplainInputs) -> FedOdds:
    """Both Fed-odds changes, from the best source with readings at both ends."""
    w = inputs.window
    src = inputs.fed_sources
    return FedOdds(
        fed_odds_change(inputs.fed_odds, w.known_start, w.known_day, src),
        fed_odds_change(inputs.fed_odds, w.month_start, w.known_day, src),
    )


def _odds_text(c: OddsChange) -> str:
    approx = " (nearest readings; dates approximate)" if c.approximate else ""
    return (
        f"{outcome_name(c.move_bp, c.meeting)} odds {c.then * 100:.1f}% ({c.then_day}) → "
        f"{c.now * 100:.1f}% ({c.now_day}), {signed(c.change_pp, 1)} pp, {c.source}{approx}"
    )


def fed_channel(odds: FedOdds, inputs: ExplainInputs, relevant: bool) -> Channel:
    """Fed odds: moved on a change of 10 pp over the horizon or 20 pp over the month."""
    items = []
    for c, limit, span in (
        (odds.horizon, FED_HORIZON_PP, "window"),
        (odds.month, FED_MONTH_PP, "month"),
    ):
        if c is None:
            continue
        score = abs(c.change_pp) / limit * 1.5
        items.append(
            Item(
                f"fed_odds_{span}",
                c.now * 100,
                c.change_pp,
                "pp",
                score,
                _odds_text(c),
                basis=THRESHOLD,
            )
        )
    if odds.horizon and odds.month and odds.horizon.then_day == odds.month.then_day:
        items = items[:1]
    reason = inputs.missing.get("fed_odds") or (
        "no source has Fed-odds readings at both ends of the window"
    )
    return channel("fed_odds", items, relevant, None if items else reason)


def _fg_item(
    now: FearGreed, then: FearGreed | None, past: Sequence[float], day: date, start: date
) -> Item:
    key = f"{now.id}_fear_greed"
    if now.value is None:
        return Item(key, None, None, "pts", None, f"{now.name}: no reading for the day", level=True)
    if now.as_of is not None and now.as_of <= start:
        # The last reading is the window's start or older (a weekend, a holiday): comparing it
        # with itself would be a change of 0, and its level says nothing about the window.
        label = f" ({now.label})" if now.label else ""
        text = (
            f"{now.name}: no new reading in the window (last {now.value:.0f}{label}, "
            f"reading of {now.as_of})"
        )
        return Item(key, now.value, None, "pts", None, text, label=now.label, basis=YEAR_Z)
    change = now.value - then.value if then is not None and then.value is not None else None
    diffs = [b - a for a, b in itertools.pairwise(past)][-252:]
    z = _z(change, diffs) if change is not None else None
    extreme = now.value <= FG_EXTREME or now.value >= 100 - FG_EXTREME
    chg = f", {signed(change, 0)} since {then.as_of}" if change is not None and then else ""
    sized = f" ({signed(z, 1)}σ, 1y)" if z is not None else ""
    dated = f" (reading of {now.as_of})" if now.as_of and now.as_of != day else ""
    label = f" ({now.label})" if now.label else ""
    text = f"{now.name} {now.value:.0f}{label}{chg}{sized}{dated}"
    if extreme:
        text += ", in its extreme decile"
    return Item(key, now.value, change, "pts", z, text, extreme, now.label, YEAR_Z, level=True)


def sentiment_items(inputs: ExplainInputs) -> dict[str, Item]:
    """Crypto and stock fear & greed as items, keyed by index id."""
    then = {f.id: f for f in inputs.fear_greed_start.indices}
    w = inputs.window
    return {
        f.id: _fg_item(
            f,
            then.get(f.id),
            inputs.fear_greed_year.get(f.id, ()),
            w.known_day if f.id == "stock" else w.day,
            w.known_start if f.id == "stock" else w.start,
        )
        for f in inputs.fear_greed.indices
    }


def _level_z(value: float, past: Sequence[float]) -> float | None:
    if len(past) < MIN_CHANGES:
        return None
    arr = np.asarray(past, dtype=float)
    sd = float(arr.std())
    return (value - float(arr.mean())) / sd if sd > 0 else None


def leverage_channel(inputs: ExplainInputs, relevant: bool) -> Channel:
    """Funding (level against its past year), open interest (change) and liquidations."""
    day = inputs.window.day
    items: list[Item] = []
    prints = [p for p in inputs.funding if p.time.date() <= day]
    if prints and (day - prints[-1].time.date()).days <= 1:
        last = prints[-1]
        z = _level_z(last.rate, [p.rate for p in prints[:-1]][-3 * 365 :])
        sized = f" ({signed(z, 1)}σ, 1y of prints)" if z is not None else ""
        items.append(
            Item(
                "btc_funding",
                last.rate * 100,
                None,
                "%",
                z,
                f"BTC funding {last.rate * 100:.4f}% per 8 h "
                f"({signed(last.annualised_pct, 1)}% a year) "
                f"at {last.time:%Y-%m-%d %H:%M} UTC{sized}",
                basis=LEVEL_Z,
                level=True,
            )
        )
    else:
        items.append(
            Item("btc_funding", None, None, "%", None, "BTC funding: none recorded for the day")
        )
    items.append(_oi_item(inputs.open_interest, inputs.window.start, day))
    liq = inputs.liquidations_usd
    items.append(
        Item("liquidations", liq, None, "USD", None, f"liquidations ${liq / 1e6:,.0f}m", level=True)
        if liq is not None
        else Item(
            "liquidations",
            None,
            None,
            "USD",
            None,
            f"liquidations: {inputs.missing.get('liquidations', 'not recorded')}",
        )
    )
    return channel("crypto_leverage", items, relevant)


def _oi_item(oi: Sequence[DatedValue], start: date, day: date) -> Item:
    now = next((v for v in oi if v.day == day), None)
    before = [v for v in oi if v.day <= start]
    if now is None or not before:
        return Item(
            "btc_open_interest",
            None,
            None,
            "%",
            None,
            "BTC open interest: not recorded for the day",
        )
    change = (now.value / before[-1].value - 1) * 100
    daily = [(b.value / a.value - 1) * 100 for a, b in itertools.pairwise(oi) if b.day < day]
    z = _z(change, daily)
    sized = (
        f" ({signed(z, 1)}σ, 1y)"
        if z is not None
        else f" (only {len(daily)} days recorded: not sized)"
    )
    return Item(
        "btc_open_interest",
        now.value,
        change,
        "%",
        z,
        f"BTC open interest {now.value / 1e9:.2f}bn USDT, {signed(change, 1)}% since "
        f"{before[-1].day}{sized}",
        basis=YEAR_Z,
    )


def flows_channel(inputs: ExplainInputs, relevant: bool) -> Channel:
    """US spot-bitcoin ETF net flows on the day, against the past year's daily flows."""
    day = inputs.window.known_day
    today = next((v for v in inputs.etf_flows if v.day == day), None)
    if today is None:
        why = "no US session that day" if day.weekday() >= 5 else "not recorded for the day"
        return channel(
            "flows",
            [Item("btc_etf_flows", None, None, "USD m", None, f"spot-bitcoin ETF flows: {why}")],
            relevant,
        )
    z = _level_z(today.value, [v.value for v in inputs.etf_flows if v.day < day][-252:])
    sized = f" ({signed(z, 1)}σ, 1y)" if z is not None else ""
    word = "outflows" if today.value < 0 else "inflows"
    text = f"US spot-bitcoin ETF net {word} {signed(today.value, 1, grouping=True)}m USD{sized}"
    return channel(
        "flows",
        [Item("btc_etf_flows", today.value, today.value, "USD m", z, text, basis=LEVEL_Z)],
        relevant,
    )


def decision_channel(inputs: ExplainInputs, relevant: bool) -> Channel:
    """An FOMC decision announced within the window (a policy rate moves the day after)."""
    days = inputs.fomc_decisions
    w = inputs.window
    if not days or not days[0] <= w.known_day <= days[-1] + timedelta(days=60):
        reason = inputs.missing.get("fomc") or (
            f"the bundled FOMC calendar covers {days[0]} to {days[-1]}"
            if days
            else "no FOMC calendar was given"
        )
        return channel("fed_decision", [], relevant, reason)
    first = w.known_start - timedelta(days=1)
    hit = [d for d in days if first <= d <= w.known_day]
    if hit:
        text = f"FOMC decision announced on {hit[-1]} (a new target applies from the next day)"
        return channel(
            "fed_decision",
            [Item("fomc", 1.0, None, "", 2.0, text, basis=EVENT, level=True)],
            relevant,
        )
    before = [d for d in days if d < first]
    after = [d for d in days if d > w.known_day]
    text = "no FOMC decision in the window" + (
        f" (last {before[-1]}, next {after[0]})" if before and after else ""
    )
    return channel(
        "fed_decision", [Item("fomc", 0.0, None, "", 0.0, text, basis=EVENT, level=True)], relevant
    )


def finite(value: float | None) -> float | None:
    """None for NaN or infinity."""
    return value if value is not None and math.isfinite(value) else None
