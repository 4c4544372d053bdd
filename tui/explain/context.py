"""Context around a move: Fed odds, liquidity, credit, volatility, sentiment and leverage.

Every item carries its value, its change over the horizon and a sentence; an item the data do
not hold for the day is listed as missing, never dropped or filled (EXPLAIN_METHOD §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tui import bundled
from tui.formatting import move_name
from tui.history import History
from tui.sources.replay import fear_greed_on, fedwatch_on


@dataclass(frozen=True, slots=True)
class ContextItem:
    """One context reading."""

    id: str
    value: float | None
    change: float | None
    text: str
    extreme: float = 0.0
    """0–1: how unusual the reading is, for ordering the narrative."""


def _level_item(
    history: History,
    asset_id: str,
    label: str,
    day: date,
    start: date,
    scale: float,
    unit: str,
    digits: int,
) -> ContextItem:
    series = history.series(asset_id)
    i, j = series.index_at(day), series.index_at(start)
    if i < 0:
        return ContextItem(asset_id, None, None, f"{label}: no data on or before {day}.")
    value = series.values[i] * scale
    change = value - series.values[j] * scale if j >= 0 else None
    dated = "" if series.dates[i] == day else f" (last value {series.dates[i]})"
    chg = f", {change:+.{digits}f}{unit} since {series.dates[j]}" if change is not None else ""
    return ContextItem(
        asset_id,
        round(value, 6),
        None if change is None else round(change, 6),
        f"{label} {value:.{digits}f}{unit}{chg}{dated}.",
    )


def context_for(history: History, day: date, start: date) -> tuple[ContextItem, ...]:
    """All context items for a move from `start` to `day`."""
    items: list[ContextItem] = []
    fed = fedwatch_on(day)
    meeting = fed.meetings[0] if fed.meetings else None
    if meeting and meeting.probabilities:
        move, prob = max(meeting.probabilities.items(), key=lambda kv: kv[1])
        earlier = fedwatch_on(start)
        before = next((m for m in earlier.meetings if m.date == meeting.date), None)
        prev = before.probabilities.get(move) if before else None
        change = (prob - prev) * 100 if prev is not None else None
        chg = (
            f", {change:+.1f} pp since {start}"
            if change is not None
            else "; no reading recorded at the start of the window"
        )
        market_now = bundled.market_odds(meeting.date, day)
        market_then = bundled.market_odds(meeting.date, start)
        if (
            change is None
            and market_now
            and market_then
            and market_now.poly_mid is not None
            and market_then.poly_mid is not None
        ):
            shift = (market_now.poly_mid - market_then.poly_mid) * 100
            chg += (
                f"; Polymarket 'no change' {market_now.poly_mid * 100:.1f}% "
                f"({shift:+.1f} pp since {start})"
            )
        items.append(
            ContextItem(
                "fed_odds",
                round(prob * 100, 2),
                None if change is None else round(change, 2),
                f"Fed odds for {meeting.date}: {move_name(move)} {prob * 100:.1f}%, "
                f"source {fed.source}"
                f"{chg}.",
                extreme=max(0.5, min(1.0, abs(change or 0) / 40)),
            )
        )
    else:
        items.append(
            ContextItem(
                "fed_odds", None, None, f"Fed odds: {fed.error or 'none recorded for this day'}."
            )
        )
    items.append(_level_item(history, "sofr_iorb", "SOFR − IORB", day, start, 1, " bp", 0))
    items.append(_level_item(history, "hy_spread", "HY credit spread", day, start, 100, " bp", 0))
    vix = _level_item(history, "vix", "VIX", day, start, 1, "", 2)
    items.append(
        ContextItem(
            vix.id,
            vix.value,
            vix.change,
            vix.text,
            extreme=min(1.0, max(0.0, ((vix.value or 0) - 20) / 20)),
        )
    )
    fg_now, fg_then = fear_greed_on(day), fear_greed_on(start)
    for now in fg_now.indices:
        then = next((f for f in fg_then.indices if f.id == now.id), None)
        key = f"{now.id}_fear_greed"
        if now.value is None:
            items.append(
                ContextItem(key, None, None, f"{now.name}: no reading on or before {day}.")
            )
            continue
        change = now.value - then.value if then and then.value is not None else None
        chg = f", {change:+.0f} since {start}" if change is not None else ""
        dated = "" if now.as_of == day else f" (reading of {now.as_of})"
        weakest = ""
        if now.components:
            weakest = "; components: " + "; ".join(f"{n} {t}" for n, t in now.components[:3])
        items.append(
            ContextItem(
                key,
                round(now.value, 2),
                None if change is None else round(change, 2),
                f"{now.name} {now.value:.0f} ({now.label}){chg}{dated}{weakest}.",
                extreme=abs(now.value - 50) / 50,
            )
        )
    items += _leverage(day, start)
    return tuple(items)


def _leverage(day: date, start: date) -> list[ContextItem]:
    out: list[ContextItem] = []
    prints = bundled.funding_until(day)
    if prints and (day - prints[-1].time.date()).days <= 1:
        last = prints[-1]
        out.append(
            ContextItem(
                "btc_funding",
                round(last.rate * 100, 6),
                None,
                f"BTC perpetual funding {last.rate * 100:.4f}% per 8 h "
                f"({last.annualised_pct:+.1f}% a year) at {last.time:%Y-%m-%d %H:%M} UTC.",
                extreme=min(1.0, abs(last.annualised_pct) / 30),
            )
        )
    else:
        out.append(
            ContextItem("btc_funding", None, None, "BTC funding: no funding data for this day.")
        )
    oi = bundled.open_interest()
    hit = oi.exactly(day)
    if hit:
        value = float(hit["open_interest"])
        before = oi.at(start)
        change = None
        if before and oi.dates[before[0]] >= start - timedelta(days=3):
            change = (value / float(before[1]["open_interest"]) - 1) * 100
        chg = f", {change:+.1f}% since {start}" if change is not None else ""
        out.append(
            ContextItem(
                "btc_open_interest",
                value,
                None if change is None else round(change, 3),
                f"BTCUSDT perpetual open interest {value / 1e9:.2f}bn USDT{chg}.",
            )
        )
    else:
        out.append(
            ContextItem(
                "btc_open_interest", None, None, "BTC open interest: not recorded for this day."
            )
        )
    flows = bundled.etf_flows()
    row = flows.exactly(day)
    if row and row.get("total_usd_m"):
        value = float(row["total_usd_m"])
        out.append(
            ContextItem(
                "btc_etf_flows",
                value,
                None,
                f"US spot-bitcoin ETFs: net {value:+,.1f}m USD that day.",
                extreme=min(1.0, abs(value) / 1000),
            )
        )
    else:
        out.append(
            ContextItem(
                "btc_etf_flows", None, None, "Spot-bitcoin ETF flows: not recorded for this day."
            )
        )
    out.append(
        ContextItem(
            "liquidations",
            None,
            None,
            "Liquidations: no liquidation data are bundled, so forced selling cannot be measured.",
        )
    )
    return out
