"""Explain a move: data in, findings out.

Pure: it reads the daily history it is given and the `ExplainInputs` a builder filled (Fed odds,
sentiment, leverage, flows); it never imports a source. `tui.explain_inputs` builds the inputs
for a replayed day; the live side builds the same type from its readings.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from tui.assets import BY_ID, AssetClass, Region
from tui.explain.analogs import Analog, find_analogs
from tui.explain.attribution import MACRO, MARKET, WEAK_R2, Attribution, attribute
from tui.explain.channels import (
    RELEVANT,
    Channel,
    asset_kind,
    carried_of,
    channel,
    market_channels,
)
from tui.explain.classify import Kind, breadth_on, class_peers, decide_kind
from tui.explain.headlines import Headline, headlines_for
from tui.explain.inputs import ExplainInputs, Window, empty_inputs
from tui.explain.move import Horizon, Move, measure, start_index
from tui.explain.panel import Panel, move_between, panel_for
from tui.explain.readings import (
    FedOdds,
    decision_channel,
    fed_channel,
    fed_odds,
    flows_channel,
    leverage_channel,
    sentiment_items,
)
from tui.explain.sequence import Leader, leaders_of, sequence_of
from tui.explain.sequence import Sequence as DaySequence
from tui.explain.shape import Shape, shape_of
from tui.history import History
from tui.model import Breadth

MONTH = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything the engine found about one move.

    Attributes:
        asset_id: The asset.
        asked_day: The day asked for (the move is on the asset's own last close on or before).
        move: The move's size, σ, rank and distance from the high.
        attribution: Betas, contributions and residual, or a note why none.
        breadth: Risk assets other than this one that moved ≥1σ its way (EXPLAIN_METHOD §4).
        market_breadth: The day's breadth as the dashboard header shows it (no exclusion).
        kind: The verdict and the rule that decided it.
        shape: The day's open/high/low/close path, when the data have it.
        sequence: The regions' moves in session order.
        leaders: Tracked single names of its market that moved its way.
        channels: Every channel with its status, strongest first.
        fed: The Fed-odds changes over the window and the month before.
        analogs: The closest past days, with what followed.
        episodes: The named episodes, most alike first.
        analog_note: Why the day cannot be compared, when it cannot.
        headlines: Recorded (and live) headlines, most relevant first.
        peer_moves: Class peers that traded: (id, move, z).
        answer: One or two sentences answering "why did it move".
        findings: Ranked sentences (the first ones fit the first screen).
        narrative: Findings then limits, as plain sentences.
        limits: What the data cannot tell.
        inputs_source: Where the non-price readings came from.
    """

    asset_id: str
    asked_day: date
    move: Move
    attribution: Attribution | None
    breadth: Breadth | None
    market_breadth: Breadth | None
    kind: Kind
    shape: Shape | None
    sequence: DaySequence | None
    leaders: tuple[Leader, ...]
    channels: tuple[Channel, ...]
    fed: FedOdds
    analogs: tuple[Analog, ...]
    episodes: tuple[Analog, ...]
    analog_note: str | None
    headlines: tuple[Headline, ...]
    peer_moves: tuple[tuple[str, float, float], ...] = ()
    answer: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    narrative: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()
    inputs_source: str = ""

    @property
    def episode(self) -> Analog | None:
        """The closest named episode."""
        return self.episodes[0] if self.episodes else None


def window_for(history: History, asset_id: str, day: date, horizon: Horizon) -> Window:
    """The days a builder must gather readings for: the asset's day, its start, a month back.

    Args:
        history: The daily history.
        asset_id: A catalogue id.
        day: The asked day.
        horizon: 1d, 5d or 1m.
    """
    series = history.series(asset_id)
    i = series.index_at(day)
    if i < 0:
        return Window(day, day, day - MONTH)
    j = start_index(series, BY_ID[asset_id], i, horizon)
    at = series.dates[i]
    start = series.dates[j] if j >= 0 else at
    if BY_ID[asset_id].region is not Region.ASIA:
        return Window(at, start, at - MONTH)
    us = history.series("sp500")
    k, m = bisect_left(us.dates, at) - 1, bisect_left(us.dates, start) - 1
    us_day = us.dates[k] if k >= 0 else None
    us_start = us.dates[m] if m >= 0 else None
    month = (us_day or at) - MONTH
    return Window(at, start, month, us_day, us_start)


def explain(
    history: History,
    asset_id: str,
    day: date,
    horizon: Horizon = Horizon.D1,
    headlines: Sequence[Headline] = (),
    inputs: ExplainInputs | None = None,
) -> Explanation:
    """Explain the move of `asset_id` over `horizon` ending on `day`.

    Args:
        history: The daily history (bundled, or bundled plus cache).
        asset_id: A catalogue id.
        day: The day to explain; a market shut that day is explained on its last close.
        horizon: 1d, 5d or 1m.
        headlines: Headlines fetched live, searched with the recorded ones.
        inputs: Readings around the day (`tui.explain_inputs`); without them every such
            channel says it had no data.

    Returns:
        The findings; what cannot be computed is said, never guessed.
    """
    from tui.explain.answer import compose

    asset = BY_ID[asset_id]
    move = measure(history.series(asset_id), asset, day, horizon)
    if inputs is None:
        inputs = empty_inputs(window_for(history, asset_id, day, horizon), "no readings were given")
    panel = panel_for(history, asset_id)
    size = move.size
    attribution = None
    if size is not None and move.start_day is not None:
        attribution = attribute(panel, asset_id, move.day, move.start_day, horizon, size)
    z = panel.z
    if horizon is not Horizon.D1 and move.start_day is not None:
        z = _horizon_z(panel, move.start_day, move.day)
    direction = 0 if not size else (1 if size > 0 else -1)
    breadth = market_breadth = None
    peer_z: dict[str, float] = {}
    changes = panel.returns if horizon is Horizon.D1 else z
    if direction:
        breadth = breadth_on(z, changes, move.day, direction=direction, exclude=asset_id)
        ts = pd.Timestamp(move.day)
        if ts in z.index:
            for peer in class_peers(asset_id):
                if peer in z.columns and pd.notna(z.at[ts, peer]):
                    peer_z[peer] = float(z.at[ts, peer])
    if move.start_day is not None:
        # the day's breadth exactly as the header counts it, whatever the horizon
        market_breadth = breadth_on(panel.z, panel.returns, move.day)
    kind = _kind(asset_id, move, attribution, breadth, peer_z)
    fed = fed_odds(inputs)
    channels = _channels(panel, history, asset_id, move, attribution, inputs, fed)
    analogs, episodes, note = find_analogs(panel, asset_id, move.day)
    leaders = tuple(
        replace(x, open_pct=s.open_pct if (s := shape_of(history, x.id, move.day, None)) else None)
        for x in (leaders_of(panel, asset_id, move.day, direction) if direction else ())
    )
    heads = headlines_for(asset_id, move.day, extra=headlines, related=tuple(x.id for x in leaders))
    exp = Explanation(
        asset_id,
        day,
        move,
        attribution,
        breadth,
        market_breadth,
        kind,
        shape_of(history, asset_id, move.day, move.sigma_1d) if move.start_day else None,
        sequence_of(panel, asset_id, move.day, direction or 1) if size is not None else None,
        leaders,
        channels,
        fed,
        analogs,
        episodes,
        note,
        heads,
        tuple((p, _peer_move(panel, p, move), zv) for p, zv in peer_z.items()),
        inputs_source=inputs.source,
    )
    answer, findings, limits = compose(exp)
    narrative = (*findings, *limits)
    return replace(exp, answer=answer, findings=findings, narrative=narrative, limits=limits)


def _kind(
    asset_id: str,
    move: Move,
    att: Attribution | None,
    breadth: Breadth | None,
    peer_z: dict[str, float],
) -> Kind:
    size = move.size
    if size is None or breadth is None:
        if size == 0:
            return Kind("quiet", "the asset did not move")
        if move.change is not None:
            return Kind("mixed", "no rule applies: the move could not be sized in σ")
        return Kind("mixed", move.note or "the move could not be measured")
    m = c = 0.0
    if att is not None and att.r2 is not None and att.r2 >= WEAK_R2:
        m, c = att.share(MACRO, size), att.share(MARKET, size)
        if BY_ID[asset_id].asset_class is AssetClass.STOCK:
            m, c = m + c, 0.0  # a stock that moved with its whole index moved with the market
    return decide_kind(asset_id, move.sigma, size, m, c, breadth, peer_z)


def _channels(
    panel: Panel,
    history: History,
    asset_id: str,
    move: Move,
    att: Attribution | None,
    inputs: ExplainInputs,
    fed: FedOdds,
) -> tuple[Channel, ...]:
    relevant = RELEVANT[asset_kind(asset_id)]
    start = move.start_day or move.day
    carried = carried_of(move)
    out = market_channels(panel, history, asset_id, start, move.day, att, relevant, carried)
    sentiment = sentiment_items(inputs)
    reason = inputs.missing.get("fear_greed")
    for cid, key in (("stock_sentiment", "stock"), ("crypto_sentiment", "crypto")):
        items = [sentiment[key]] if key in sentiment else []
        out.append(channel(cid, items, cid in relevant, reason or "no reading for the day"))
    ra = next((c for c in out if c.id == "risk_appetite"), None)
    if ra is not None and "crypto" in sentiment:
        items = [*ra.items, sentiment["crypto"]]
        out[out.index(ra)] = channel("risk_appetite", items, True, carried=carried)
    out.append(fed_channel(fed, inputs, "fed_odds" in relevant))
    out.append(decision_channel(inputs, "fed_decision" in relevant))
    out.append(leverage_channel(inputs, "crypto_leverage" in relevant))
    out.append(flows_channel(inputs, "flows" in relevant))
    return tuple(sorted(out, key=lambda c: (not c.relevant, -c.score)))


def _peer_move(panel: Panel, peer: str, move: Move) -> float:
    closes = panel.clean(peer)
    ts, start = pd.Timestamp(move.day), pd.Timestamp(move.start_day or move.day)
    if ts not in closes.index:
        return float("nan")
    j = int(closes.index.searchsorted(start, side="right")) - 1
    if j < 0:
        return float("nan")
    return move_between(peer, float(closes.iloc[j]), float(closes.loc[ts]))


def _horizon_z(panel: Panel, start: date, end: date) -> pd.DataFrame:
    """z of each asset's move over [start, end] against σ_1·√(days), as a one-row frame.

    Plain numpy over the panel's arrays: this runs on every 5d and 1m drill-down.
    """
    idx = panel.closes.index
    ts = pd.Timestamp(end)
    k = int(idx.searchsorted(ts))
    if k >= len(idx) or idx[k] != ts:
        return pd.DataFrame(index=[ts])
    k0 = int(idx.searchsorted(pd.Timestamp(start), side="right")) - 1
    values = panel.array("closes")
    sigma = panel.array("sigma")
    row = {}
    for c, col in enumerate(panel.closes.columns):
        last, sig = values[k, c], sigma[k, c]
        if k0 < 0 or np.isnan(last) or np.isnan(sig) or sig <= 0:
            continue
        before = np.flatnonzero(~np.isnan(values[: k0 + 1, c]))
        if not before.size:
            continue
        j = int(before[-1])
        steps = int(np.count_nonzero(~np.isnan(values[j : k + 1, c]))) - 1
        if steps <= 0:
            continue
        row[col] = move_between(col, float(values[j, c]), float(last)) / (sig * steps**0.5)
    return pd.DataFrame([row], index=[ts])
