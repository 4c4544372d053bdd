"""The explain text's σ, channel statuses and "no data", on real days of the bundled data.

- One asset, one σ: every σ the explanation shows for a catalogue asset's move is the σ its
  pane shows (EWMA σ_1 of the closes before the day, λ 0.94, seeded on 60; σ_h = σ_1·√h over a
  longer window), whatever the line: the move itself, a channel's reading, a class peer, a
  leader. Readings with no pane σ keep a past-year z, always labelled "1y".
- A channel whose shown factors carried at least half of the move is never "quiet".
- A channel whose series had no session in the window is "no data", with that reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date

import pytest

from tests.conftest import csv_rows
from tui.assets import BY_ID, Unit
from tui.explain.attribution import WEAK_R2
from tui.explain.channels import EWMA, LEVEL_Z, YEAR_Z, Channel
from tui.explain.engine import Explanation
from tui.explain.move import Horizon, measure
from tui.explain.output import to_json, to_text
from tui.explain.panel import PANEL_ASSETS
from tui.explain_inputs import explain_replay
from tui.history import History
from tui.numtext import share_text
from tui.panes.quotes import yardstick
from tui.sources.replay import ReplaySource

DAYS = (date(2025, 11, 20), date(2026, 1, 30), date(2020, 3, 16))
"""The Nasdaq's post-earnings reversal, gold's record fall (a Friday), the Covid crash's worst
day (a Monday: a coin's window in an equity's explanation spans the weekend)."""
ASSETS = ("nasdaq100", "btc", "gold", "nikkei225", "dax", "ust10y")

_NAMES: dict[str, str] = {}
for _a in PANEL_ASSETS:
    _NAMES[BY_ID[_a].name] = _a
    _NAMES[BY_ID[_a].name.replace(" (adj.)", "")] = _a
_ALTS = "|".join(re.escape(n) for n in sorted(_NAMES, key=len, reverse=True))
_NUM = r"[+-]\d+(?:\.\d+)?"
_SIGMA = r"(?P<z>[+-]\d+\.\d)σ(?P<label>, 1y)?"
SHOWN = re.compile(
    rf"(?<![\w])(?P<name>{_ALTS}) (?P<chg>{_NUM})(?P<unit>%| bp| pts)(?:, (?P<pct>{_NUM})%)? "
    rf"\({_SIGMA}\)(?: \((?P<lag>\d{{4}}-\d\d-\d\d), previous US session\))?"
)
"""'S&P 500 -1.56% (-1.9σ)', 'VIX +2.76 pts, +11.67% (+1.4σ)', 'Bitcoin -5.37% (-2.7σ, 1y)',
'S&P 500 -1.56% (-1.9σ) (2025-11-20, previous US session)'."""
MOVED_LINE = re.compile(
    rf"(?P<name>{_ALTS}) moved (?P<chg>{_NUM})(?P<unit>%| bp) (?:on|over) [^:]*: "
    rf"{_SIGMA} of its own"
)
LEADER = re.compile(
    rf"(?P<name>{_ALTS}) (?:fell with it|rose with it|led it), (?P<chg>{_NUM})% \({_SIGMA}\)"
)


@pytest.mark.parametrize("day", (*DAYS, date(2025, 11, 22)))
def test_the_panel_sizes_every_series_as_its_pane(history: History, day: date) -> None:
    """The panel behind peers, leaders, regions, breadth, analogs and channel readings: its z
    is the pane's σ column for every series, VIX included (its pane sizes its percent move)."""
    import pandas as pd

    from tui.explain.panel import panel_for

    panel = panel_for(history)
    snapshot = ReplaySource(history).snapshot(day)
    compared = 0
    for asset_id in PANEL_ASSETS:
        quote = snapshot.quote(asset_id)
        if quote is None or quote.as_of is None or quote.sigma is None:
            continue
        z = panel.z.at[pd.Timestamp(quote.as_of), asset_id]
        assert z == pytest.approx(quote.sigma, rel=1e-9, abs=1e-12), asset_id
        compared += 1
    assert compared >= 20


def _before(dates: Sequence[date], day: date) -> int:
    """Index of the last date strictly before `day` (−1 when none)."""
    return sum(1 for d in dates if d < day) - 1


def _on_or_before(dates: Sequence[date], day: date) -> int:
    return sum(1 for d in dates if d <= day) - 1


def pane_sigma(history: History, exp: Explanation, asset_id: str, lag: str | None) -> float:
    """The σ the pane gives this asset's move over the explanation's window.

    One session: the replayed snapshot's `sigma` for that close's day. More (a coin's weekend in
    an equity's window): the move over the pane's σ_1 for that day times √sessions.
    """
    series = history.series(asset_id)
    dates = series.dates
    start = exp.move.start_day or exp.move.day
    if lag is not None:
        i, j = _before(dates, exp.move.day), _before(dates, start)
    else:
        i, j = _on_or_before(dates, exp.move.day), _on_or_before(dates, start)
    assert i > j >= 0, (asset_id, lag)
    day = dates[i]
    if lag is not None:
        assert day == date.fromisoformat(lag)
    quote = ReplaySource(history).quote(asset_id, day)
    assert quote.sigma is not None and quote.as_of == day
    if i - j == 1:
        return quote.sigma
    asset = BY_ID[asset_id]
    a, b = series.values[j], series.values[i]
    move = (b / a - 1) * 100 if asset.unit is Unit.PRICE else (b - a) * 100
    sigma_1 = yardstick(asset, series, day)
    assert sigma_1 is not None
    return move / (sigma_1 * math.sqrt(i - j))


def shown_sigmas(text: str) -> list[re.Match[str]]:
    return [m for p in (SHOWN, MOVED_LINE, LEADER) for m in p.finditer(text)]


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("asset_id", ASSETS)
def test_every_sigma_shown_for_an_asset_is_its_panes(
    history: History, asset_id: str, day: date
) -> None:
    exp = explain_replay(history, asset_id, day)
    text = to_text(exp)  # what `riskpulse explain` prints: the answer, findings, channels
    found = shown_sigmas(text)
    assert len(found) >= 5, text
    checked = 0
    for m in found:
        shown_id = _NAMES[m["name"]]
        want = pane_sigma(history, exp, shown_id, m.groupdict().get("lag"))
        assert m["z"] == f"{want:+.1f}", (m.group(0), want)
        assert m["label"] is None, m.group(0)  # an asset's move has one σ, never a "1y" one
        checked += 1
    assert checked == len(found)


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("asset_id", ("nasdaq100", "nikkei225", "btc"))
def test_channel_readings_of_assets_carry_the_panes_sigma_exactly(
    history: History, asset_id: str, day: date
) -> None:
    exp = explain_replay(history, asset_id, day)
    sized = [i for c in exp.channels for i in c.items if i.basis == EWMA and i.z is not None]
    assert len(sized) >= 5
    for item in sized:
        lag = re.search(r"\((\d{4}-\d\d-\d\d), previous US session\)", item.text)
        want = pane_sigma(history, exp, item.id, lag[1] if lag else None)
        assert item.z == pytest.approx(want, rel=1e-9, abs=1e-12), item.text


def test_the_two_kinds_of_z_never_share_an_unlabelled_sigma(history: History) -> None:
    for asset_id in ("nasdaq100", "btc"):
        doc = to_json(explain_replay(history, asset_id, date(2025, 11, 20)))
        items = [i for c in doc["channels"] for i in c["items"] if i["z"] is not None]
        bases = {i["z_basis"] for i in items}
        assert {EWMA, YEAR_Z} <= bases
        for i in items:
            if i["z_basis"] == EWMA:
                assert i["id"] in PANEL_ASSETS and "σ, 1y" not in i["text"], i
            elif i["z_basis"] in (YEAR_Z, LEVEL_Z):
                assert i["id"] not in PANEL_ASSETS and "σ, 1y" in i["text"], i


def test_bitcoin_in_the_nasdaq_explanation_is_bitcoins_own_sigma(history: History) -> None:
    exp = explain_replay(history, "nasdaq100", date(2025, 11, 20))
    quote = ReplaySource(history).quote("btc", date(2025, 11, 20))
    assert quote.sigma is not None
    shown = f"Bitcoin {quote.change_pct:+.2f}% ({quote.sigma:+.1f}σ)"
    assert shown == "Bitcoin -5.37% (-2.4σ)"
    assert shown in to_text(exp)
    own = explain_replay(history, "btc", date(2025, 11, 20))
    assert own.move.sigma == pytest.approx(quote.sigma)


def test_vix_is_sized_as_its_pane_sizes_it(history: History) -> None:
    """VIX reads in points, but its pane (and its own drill-down) size its percent move."""
    day = date(2025, 11, 20)
    exp = explain_replay(history, "nasdaq100", day)
    (vix,) = (i for c in exp.channels for i in c.items if i.id == "vix")
    quote = ReplaySource(history).quote("vix", day)
    assert quote.sigma is not None and quote.change is not None
    assert vix.change == pytest.approx(quote.change) and vix.unit == "pts"
    assert vix.z == pytest.approx(quote.sigma)
    own = explain_replay(history, "vix", day)
    assert own.move.sigma == pytest.approx(quote.sigma)


@pytest.mark.parametrize("horizon", [Horizon.D5, Horizon.M1])
def test_over_a_longer_window_a_reading_is_sized_like_its_own_drilldown(
    history: History, horizon: Horizon
) -> None:
    """The S&P 500 shares the Nasdaq 100's calendar: over the same window its reading in the
    Nasdaq's explanation is its own drill-down's σ_h = σ_1·√h."""
    day = date(2025, 11, 20)
    exp = explain_replay(history, "nasdaq100", day, horizon)
    (spx,) = (i for c in exp.channels for i in c.items if i.id == "sp500")
    own = measure(history.series("sp500"), BY_ID["sp500"], day, horizon)
    assert own.sigma is not None and own.start_day == exp.move.start_day
    assert spx.z == pytest.approx(own.sigma)
    assert spx.change == pytest.approx(own.change_pct)


# -- a channel that carried the move ---------------------------------------------------------


def _channel(exp: Explanation, cid: str) -> Channel:
    return next(c for c in exp.channels if c.id == cid)


def _market_share(exp: Explanation) -> float:
    att = exp.attribution
    assert att is not None and att.r2 is not None and att.r2 >= WEAK_R2
    market = att.market()
    assert market is not None and market.shown and market.contribution is not None
    assert exp.move.size
    return market.contribution / exp.move.size


def test_equities_carried_the_nasdaqs_fall_on_2025_11_20(history: History) -> None:
    exp = explain_replay(history, "nasdaq100", date(2025, 11, 20))
    share = _market_share(exp)
    assert share >= 0.5 and f"{share:.0%}" == "80%"
    assert f"its own market accounts for {share:.0%}" in exp.kind.reason
    equities = _channel(exp, "equities")
    assert equities.status == "moved"
    assert f"it carried {share:.0%} of Nasdaq 100's move" in equities.text
    assert "Checked, quiet" not in " ".join(f for f in exp.findings if "equities (" in f)


def test_a_carried_move_makes_the_channel_move_even_under_1_5_sigma(history: History) -> None:
    """2025-10-30: the S&P 500 moved under 1.5σ, but it carried most of the Nasdaq's fall."""
    day = date(2025, 10, 30)
    spx = ReplaySource(history).quote("sp500", day)
    assert spx.sigma is not None and abs(spx.sigma) < 1.5
    exp = explain_replay(history, "nasdaq100", day)
    assert exp.move.sigma is not None and abs(exp.move.sigma) >= 1
    share = _market_share(exp)
    assert share >= 0.5
    equities = _channel(exp, "equities")
    assert equities.status == "moved"
    assert equities.reason == f"it carried {share:.0%} of Nasdaq 100's move (≥ half)"


def test_a_market_that_carried_little_leaves_the_channel_quiet(history: History) -> None:
    """2026-02-04: the Nasdaq fell about 1.9σ, the S&P 500 under 1σ, carrying about a third."""
    day = date(2026, 2, 4)
    spx = ReplaySource(history).quote("sp500", day)
    assert spx.sigma is not None and abs(spx.sigma) < 1.5
    exp = explain_replay(history, "nasdaq100", day)
    assert exp.move.sigma is not None and abs(exp.move.sigma) >= 1.5
    assert _market_share(exp) < 0.5
    equities = _channel(exp, "equities")
    assert equities.status == "quiet" and "carried" not in equities.text


@pytest.mark.parametrize("asset_id", ("nasdaq100", "hang_seng", "dax", "btc", "silver"))
def test_no_channel_that_carried_half_a_move_is_quiet(history: History, asset_id: str) -> None:
    """The rule on every channel, over the 20 sessions up to 2025-11-21. Each index's market
    carried some of those days; BTC's factors (Nasdaq 100, dollar, 10Y) and silver's (gold, its
    market, is in no channel) may carry none, and then no channel may claim it."""
    dates = [d for d in history.series(asset_id).dates if d <= date(2025, 11, 21)][-20:]
    carried = 0
    for day in dates:
        exp = explain_replay(history, asset_id, day)
        att, sigma, size = exp.attribution, exp.move.sigma, exp.move.size
        if not size or sigma is None or abs(sigma) < 1 or att is None or (att.r2 or 0) < WEAK_R2:
            continue
        shown = {d.factor.id: d.contribution for d in att.drivers if d.shown and d.contribution}
        for c in exp.channels:
            part = sum(shown.get(i.id, 0.0) for i in c.items if i.change is not None)
            if part / size >= 0.5:
                carried += 1
                assert c.status == "moved", (day, c.id, c.text)
                whole = f"{BY_ID[asset_id].name}'s move"
                assert f"it carried {share_text(part / size, whole)}" in c.text
            if c.status == "quiet":
                assert all(abs(i.z or 0) < 1.5 and not i.extreme for i in c.items), (day, c)
    assert carried or asset_id in ("btc", "silver")


# -- no session in the window is no data -----------------------------------------------------


def _csv_dates(name: str) -> set[str]:
    column = "value" if name in ("ust2y", "ust10y", "hy_spread") else "close"
    return {r["date"][:10] for r in csv_rows(name) if r[column].strip()}


def test_bitcoin_on_a_saturday_has_no_data_from_closed_markets(history: History) -> None:
    day = date(2025, 11, 22)
    assert day.weekday() == 5
    exp = explain_replay(history, "btc", day)
    assert exp.move.day == day and exp.move.start_day == date(2025, 11, 21)
    for cid, series in {
        "equities": ("sp500", "nasdaq100"),
        "rates": ("ust2y", "ust10y"),
        "dollar": ("dxy",),
        "credit": ("hy_spread",),
        "volatility": ("vix",),
    }.items():
        for name in series:
            assert "2025-11-22" not in _csv_dates(name) and "2025-11-21" in _csv_dates(name)
        c = _channel(exp, cid)
        assert c.status == "no data", (cid, c.text)
        assert c.text.count("no session in the window (last close 2025-11-21)") == len(series)
    # the weekly reserves have no new reading and SOFR − IORB no session: no data either
    assert _channel(exp, "liquidity").status == "no data"
    stock = _channel(exp, "stock_sentiment")
    assert stock.status == "no data" and "no new reading in the window" in stock.text
    assert not any(i.change == 0 for i in stock.items)  # never a change of 0 from one reading
    doc = to_json(exp)
    closed = [c for c in doc["channels"] if c["id"] in ("equities", "rates", "dollar")]
    assert all(c["status"] == "no data" and c["reason"] for c in closed)
    limits = " ".join(exp.limits)
    assert "Equities: no data — S&P 500: no session in the window" in limits


def test_the_same_channels_have_data_on_a_weekday(history: History) -> None:
    exp = explain_replay(history, "btc", date(2025, 11, 21))
    for cid in ("equities", "rates", "dollar", "credit", "volatility", "stock_sentiment"):
        assert _channel(exp, cid).status in ("moved", "quiet"), cid


def test_a_series_whose_closes_ended_is_no_data(history: History) -> None:
    day = date(2026, 6, 10)
    vix_dates = sorted(_csv_dates("vix"))
    assert vix_dates[-1] < day.isoformat() and day.isoformat() in _csv_dates("nasdaq100")
    exp = explain_replay(history, "nasdaq100", day)
    vol = _channel(exp, "volatility")
    assert vol.status == "no data"
    assert f"VIX: no session in the window (its closes end {vix_dates[-1]})" in vol.text
