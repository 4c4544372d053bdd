"""The explain engine on the real bundled data, with key numbers recomputed from the CSVs."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from tests.conftest import csv_rows
from tui.assets import ASSETS, BY_ID
from tui.explain.engine import Explanation
from tui.explain.move import Horizon, measure
from tui.explain.output import SCHEMA_V1, SCHEMA_V2, to_json, to_text
from tui.explain_inputs import explain_replay
from tui.history import History, Series


def explain(history: History, asset: str, day: date, horizon: Horizon = Horizon.D1) -> Explanation:
    """Explain with the bundled readings as inputs, as `riskpulse explain --replay` does."""
    return explain_replay(history, asset, day, horizon)


def closes(name: str, column: str = "close") -> list[tuple[str, float]]:
    return [(r["date"][:10], float(r[column])) for r in csv_rows(name) if r[column].strip()]


def ewma_sigma_before(name: str, day: str) -> float:
    """σ_1 from the CSV: RiskMetrics λ 0.94, seeded with the mean square of the first 60."""
    rows = closes(name)
    rets = [
        (rows[k][1] / rows[k - 1][1] - 1) * 100 for k in range(1, len(rows)) if rows[k][0] < day
    ]
    var = float(np.mean(np.square(rets[:60])))
    for r in rets[60:]:
        var = 0.94 * var + 0.06 * r * r
    return math.sqrt(var)


@pytest.fixture(scope="module")
def btc(history: History) -> Explanation:
    return explain(history, "btc", date(2025, 11, 20))


def test_btc_move_and_sigma_recomputed(btc: Explanation) -> None:
    rows = dict(closes("btc"))
    move = (rows["2025-11-20"] / rows["2025-11-19"] - 1) * 100
    assert btc.move.size == pytest.approx(move)
    assert btc.move.sigma == pytest.approx(move / ewma_sigma_before("btc", "2025-11-20"))
    assert btc.move.sigma is not None and btc.move.sigma < -2  # large in σ
    assert btc.move.high_date == date(2025, 10, 6)  # the $126k top


def test_btc_equity_share_fed_odds_and_fear_are_stated(btc: Explanation) -> None:
    assert btc.attribution is not None
    ndx = next(d for d in btc.attribution.drivers if d.factor.id == "nasdaq100")
    assert ndx.factor_move == pytest.approx(-2.3788, abs=1e-4)
    assert ndx.contribution is not None and ndx.contribution < 0
    text = " ".join(btc.narrative)
    assert "Nasdaq 100 -2.38% accounts for" in text
    assert "98.9% (2025-10-20) → 39.1% (2025-11-20)" in text
    assert "Crypto F&G 11 (Extreme Fear)" in text
    assert "no liquidation data" in text


def test_contributions_and_residual_add_up(btc: Explanation) -> None:
    for schema in (SCHEMA_V2, SCHEMA_V1):
        doc = to_json(btc, schema)
        total = sum(d["contribution_pct"] for d in doc["drivers"]) + doc["residual_pct"]
        assert total == pytest.approx(doc["move"]["change_pct"], abs=1e-9)
        assert doc["schema"] == schema
    assert set(to_json(btc, SCHEMA_V1)) == {
        "schema",
        "asset",
        "as_of",
        "horizon",
        "move",
        "drivers",
        "residual_pct",
        "r2",
        "breadth",
        "kind",
        "context",
        "analogs",
        "headlines",
        "narrative",
    }
    v2 = to_json(btc)
    for key in (
        "answer",
        "shape",
        "sequence",
        "leaders",
        "channels",
        "drivers",
        "analogs",
        "headlines",
        "narrative",
        "limits",
    ):
        assert key in v2
    assert all(c["status"] in ("moved", "quiet", "no data") for c in v2["channels"])
    assert all({"after_5d_pct", "after_1m_pct"} <= set(a) for a in v2["analogs"])


def test_ols_beta_matches_numpy_on_aligned_data(history: History, btc: Explanation) -> None:
    """Recompute the BTC regression from the CSVs: 250 BTC returns before the day."""

    def rets(name: str, column: str = "close", bp: bool = False) -> dict[str, float]:
        rows = closes(name, column)
        return {
            rows[k][0]: (
                (rows[k][1] - rows[k - 1][1]) * 100
                if bp
                else (rows[k][1] / rows[k - 1][1] - 1) * 100
            )
            for k in range(1, len(rows))
        }

    y = rets("btc")
    ndx, dxy, tnx = rets("nasdaq100"), rets("dxy"), rets("ust10y", "value", bp=True)
    days = [d for d in sorted(y) if d < "2025-11-20"][-250:]
    rows = [(y[d], ndx[d], dxy[d], tnx[d]) for d in days if d in ndx and d in dxy and d in tnx]
    arr = np.array(rows)
    x = np.column_stack([np.ones(len(arr)), arr[:, 1:]])
    coef = np.linalg.lstsq(x, arr[:, 0], rcond=None)[0]
    assert btc.attribution is not None
    betas = [d.beta for d in btc.attribution.drivers]
    assert betas == pytest.approx(list(coef[1:]), rel=1e-9)
    assert btc.attribution.rows == len(arr)


def test_hang_seng_tied_to_previous_new_york_session(history: History) -> None:
    exp = explain(history, "hang_seng", date(2025, 11, 21))
    assert exp.attribution is not None
    spx = next(d for d in exp.attribution.drivers if d.factor.id == "sp500")
    assert spx.factor.lagged
    assert spx.factor_move == pytest.approx(-1.5567, abs=1e-4)  # New York on 2025-11-20
    assert "it followed New York's session of 2025-11-20 (S&P 500 -1.56%" in exp.answer[0]
    assert exp.sequence is not None and exp.sequence.regions[0].region == "us_prev"
    assert exp.sequence.regions[0].day == date(2025, 11, 20)


def test_gold_crash_is_multi_sigma_and_shared_with_silver(history: History) -> None:
    exp = explain(history, "gold", date(2026, 1, 30))
    rows = dict(closes("gold"))
    assert exp.move.size == pytest.approx((rows["2026-01-30"] / rows["2026-01-29"] - 1) * 100)
    assert exp.move.sigma is not None and exp.move.sigma < -5
    assert exp.move.rank_1y == 1
    assert exp.kind.kind == "asset_class"
    silver = next(p for p in exp.peer_moves if p[0] == "silver")
    assert silver[1] == pytest.approx(-31.35, abs=0.01) and silver[2] < -3


@pytest.mark.parametrize(
    ("asset", "day", "kind"),
    [
        ("nvda", "2025-01-27", "idiosyncratic"),  # DeepSeek: Nvidia -17% on a -3% Nasdaq
        ("kospi", "2024-12-04", "idiosyncratic"),  # Korea's martial-law night: Seoul alone
        ("sp500", "2020-03-12", "market_wide"),  # 312: everything fell together
        ("eth", "2022-06-13", "market_wide"),  # broad fall, ETH within twice the typical σ
        ("dow", "2025-11-20", "asset_class"),  # the S&P 500, its market, carries it
        ("nvda", "2025-11-20", "market_wide"),  # its -3.2% is less than beta × Nasdaq's fall
    ],
)
def test_kind_on_chosen_days(history: History, asset: str, day: str, kind: str) -> None:
    exp = explain(history, asset, date.fromisoformat(day))
    assert exp.kind.kind == kind, exp.kind.reason


def test_quiet_day(history: History) -> None:
    exp = explain(history, "sp500", date(2025, 11, 19))
    assert exp.move.sigma is not None and abs(exp.move.sigma) < 1
    assert exp.kind.kind == "quiet"


def test_analogs_of_312_and_519(history: History) -> None:
    exp = explain(history, "btc", date(2020, 3, 12))
    assert exp.analogs and all(a.similarity <= 1 for a in exp.analogs)
    assert all(abs((a.date - date(2020, 3, 12)).days) > 10 for a in exp.analogs)


def test_headlines_are_recorded_ones_or_said_missing(history: History) -> None:
    exp = explain(history, "btc", date(2025, 11, 20))
    titles = {r["title"] for r in csv_rows_news()}
    assert exp.headlines and all(h.title in titles for h in exp.headlines)
    assert exp.headlines[0].score == 4  # the asset's own first
    none = explain(history, "btc", date(2024, 3, 1))
    assert not none.headlines
    assert any("No headline about it was found" in s for s in none.narrative)


def csv_rows_news() -> list[dict[str, str]]:
    import csv
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "tui" / "data" / "news"
    out: list[dict[str, str]] = []
    for name in ("news_2025_episode.csv", "news_2025_2026_google_news_top_stories.csv"):
        with (root / name).open(newline="") as fh:
            out += list(csv.DictReader(fh))
    return out


@pytest.mark.parametrize("horizon", list(Horizon))
def test_every_horizon_answers_without_nan(history: History, horizon: Horizon) -> None:
    exp = explain(history, "eth", date(2025, 11, 20), horizon)
    doc = to_json(exp)
    assert doc["horizon"] == horizon.value
    for d in doc["drivers"]:
        for key in ("factor_move_pct", "beta", "contribution_pct"):
            assert d[key] is None or math.isfinite(d[key])


# -- degenerate inputs ---------------------------------------------------------------------


def test_first_day_of_the_data(history: History) -> None:
    first = closes("sol")[0][0]
    exp = explain(history, "sol", date.fromisoformat(first))
    assert exp.move.size is None
    assert "history starts too late" in exp.narrative[0]


def test_before_the_data(history: History) -> None:
    exp = explain(history, "sol", date(2019, 1, 2))
    assert exp.move.size is None and "no data" in (exp.move.note or "")
    assert to_json(exp)["move"]["change_pct"] is None


def test_too_little_history_leaves_sigma_null(history: History) -> None:
    days = closes("sol")
    exp = explain(history, "sol", date.fromisoformat(days[30][0]))
    assert exp.move.size is not None and exp.move.sigma is None
    assert "too little history" in " ".join(exp.narrative)
    assert exp.attribution is not None and exp.attribution.r2 is None  # < 60 rows


def test_flat_series_has_no_sigma() -> None:
    series = Series(
        "gold",
        tuple(date(2020, 1, 1).fromordinal(737425 + k) for k in range(400)),
        tuple(100.0 for _ in range(400)),
    )
    move = measure(series, BY_ID["gold"], series.dates[-1])
    assert move.size == 0 and move.sigma is None and move.rank_1y == 1
    short = Series("gold", series.dates[-100:], series.values[-100:])
    assert measure(short, BY_ID["gold"], short.dates[-1]).rank_1y is None  # not a year


def test_a_day_with_a_market_shut_uses_its_last_close(history: History) -> None:
    exp = explain(history, "sp500", date(2025, 11, 22))  # a Saturday
    assert exp.move.day == date(2025, 11, 21)
    assert "its last close on or before 2025-11-22" in exp.narrative[0]


def test_a_gap_in_the_data_is_not_filled(history: History) -> None:
    # Euro Stoxx 50 has no row on 2025-08-11/12 (bad source rows dropped).
    exp = explain(history, "eurostoxx50", date(2025, 8, 12))
    assert exp.move.day == date(2025, 8, 8)


def test_2025_11_20_resembles_312_more_than_519(history: History) -> None:
    """The commentators' claim, checked: the cross-asset pattern is closer to 312 than to 519."""
    exp = explain(history, "nasdaq100", date(2025, 11, 20))
    sims = {a.date: a.similarity for a in exp.episodes}
    assert sims[date(2020, 3, 12)] > sims[date(2021, 5, 19)]
    assert any("312 liquidity crash" in s for s in exp.narrative)


# -- issue 9: series that behave badly, every asset answered ---------------------------------


def test_wti_across_zero_is_reported_in_dollars(history: History) -> None:
    exp = explain(history, "wti", date(2020, 4, 21))
    rows = dict(closes("wti"))
    assert exp.move.change == pytest.approx(rows["2020-04-21"] - rows["2020-04-20"])
    assert exp.move.change == pytest.approx(47.64, abs=0.005)
    assert exp.move.change_pct is None and exp.move.sigma is None
    assert exp.move.rank_by_level and exp.move.rank_1y == 2  # 2020-04-20's -55.90 is larger
    assert "+47.64 $/bbl" in exp.answer[0] and "undefined" in exp.answer[0]
    doc = to_json(exp)
    assert doc["move"]["change"] == pytest.approx(47.64, abs=0.005)
    assert doc["move"]["change_pct"] is None and doc["move"]["rank_basis"] == "level"


def test_returns_across_zero_stay_out_of_sigma(history: History) -> None:
    """σ after the crossing uses only percent moves whose ends are both above zero."""
    exp = explain(history, "wti", date(2020, 4, 24))
    rows = closes("wti")
    rets = [
        (rows[k][1] / rows[k - 1][1] - 1) * 100
        for k in range(1, len(rows))
        if rows[k][0] < "2020-04-24" and rows[k - 1][1] > 0 and rows[k][1] > 0
    ]
    var = float(np.mean(np.square(rets[:60])))
    for r in rets[60:]:
        var = 0.94 * var + 0.06 * r * r
    assert exp.move.sigma_1d == pytest.approx(math.sqrt(var))


def test_missing_factor_move_is_null_with_a_note(history: History) -> None:
    exp = explain(history, "btc", date(2025, 11, 22))  # a Saturday: no US session
    assert exp.attribution is not None
    ndx = next(d for d in exp.attribution.drivers if d.factor.id == "nasdaq100")
    assert ndx.factor_move is None and ndx.contribution is None
    assert ndx.note and "did not trade" in ndx.note
    row = next(d for d in to_json(exp)["drivers"] if d["id"] == "nasdaq100")
    assert row["factor_move_pct"] is None and row["contribution_pct"] is None
    assert "+0.00" not in to_text(exp).split("Attribution")[1].split("residual")[0]


def test_zero_move_prints_no_inf_and_warns_nothing(history: History) -> None:
    import json
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exp = explain(history, "fed_target", date(2025, 11, 20))
        text = to_text(exp)
        doc = json.dumps(to_json(exp), allow_nan=False)
    assert exp.move.size == 0
    import re

    bad = re.compile(r"(?<![a-z])(inf|nan)(?![a-z])", re.I)
    assert not bad.search(text) and not bad.search(doc)
    assert "did not move" in exp.answer[0] or "quiet" in exp.answer[0]


@pytest.mark.parametrize("asset", [a.id for a in ASSETS])
def test_every_catalogued_asset_is_explained_on_three_days(history: History, asset: str) -> None:
    import json
    import warnings

    for day in (date(2020, 4, 21), date(2025, 11, 20), date(2025, 11, 22)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            exp = explain(history, asset, day)
            json.dumps(to_json(exp), allow_nan=False)
            json.dumps(to_json(exp, SCHEMA_V1), allow_nan=False)
        assert exp.answer and to_text(exp)


def test_cli_explain_wti_across_zero_and_schema_one(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from tui.cli import main

    assert main(["explain", "wti", "--replay", "2020-04-21"]) == 0
    out = capsys.readouterr().out
    assert "WTI crude +47.64 $/bbl on 2020-04-21" in out and "inf%" not in out
    assert main(["explain", "wti", "--replay", "2020-04-21", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "riskpulse.explain/2" and doc["move"]["change_unit"] == "$/bbl"
    argv = ["explain", "gold", "--replay", "2026-01-30", "--format", "json"]
    assert main([*argv, "--schema", "riskpulse.explain/1"]) == 0
    assert json.loads(capsys.readouterr().out)["schema"] == "riskpulse.explain/1"
