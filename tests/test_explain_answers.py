"""The answers a trader reads first, on the days the issue names (real bundled data)."""

from __future__ import annotations

from datetime import date

import pytest

from tui.explain.answer import is_unattributed
from tui.explain.engine import Explanation
from tui.explain_inputs import explain_replay
from tui.history import History
from tui.screens.drill_data import FIRST_SCREEN

LEVERAGE_WORDS = ("funding", "open interest", "liquidation", "crypto leverage")


@pytest.fixture(scope="module")
def ndx(history: History) -> Explanation:
    return explain_replay(history, "nasdaq100", date(2025, 11, 20))


def test_nasdaq_reversal_led_by_tech_with_nvidia_and_fed_odds(ndx: Explanation) -> None:
    answer = " ".join(ndx.answer)
    assert "a reversal led by tech (-2.38% against the S&P 500's -1.56%)" in answer
    assert "closed -2.38% at the day's low" in answer
    assert "Nvidia fell with it, -3.15%" in answer and "after opening +5.06%" in answer
    assert "December-cut odds fell from 98.9% (2025-10-20) to 39.1% (2025-11-20)" in answer
    assert "with its usual beta" in answer and "its own" in answer


def test_nasdaq_has_no_crypto_leverage_in_its_first_screen(ndx: Explanation) -> None:
    first = " ".join((*ndx.answer, *ndx.findings[:FIRST_SCREEN])).lower()
    assert not any(w in first for w in LEVERAGE_WORDS)
    lev = next(c for c in ndx.channels if c.id == "crypto_leverage")
    assert not lev.relevant  # listed under "also checked", after every relevant channel
    assert ndx.channels.index(lev) > max(i for i, c in enumerate(ndx.channels) if c.relevant)


def test_nasdaq_is_never_explained_by_itself_or_by_vix(ndx: Explanation) -> None:
    assert ndx.attribution is not None
    ids = {d.factor.id for d in ndx.attribution.drivers}
    assert "vix" not in ids and "nasdaq100" not in ids and "qqq" not in ids
    market = ndx.attribution.market()
    assert market is not None and market.factor.id == "sp500" and market.factor.kind == "market"


def test_bitcoin_names_class_equity_share_etf_outflows_and_fear(history: History) -> None:
    exp = explain_replay(history, "btc", date(2025, 11, 20))
    answer = " ".join(exp.answer)
    assert "with its class (crypto: Ether -6.32%" in answer
    assert exp.attribution is not None
    ndx = next(d for d in exp.attribution.drivers if d.factor.id == "nasdaq100")
    assert ndx.contribution is not None
    share = ndx.contribution / (exp.move.size or 1)
    assert (
        f"the US equity sell-off (Nasdaq 100 -2.38%) accounts for {ndx.contribution:+.2f}" in answer
    )
    assert f"({share:.0%} of the move)" in answer
    assert "ETF net outflows -903.2m USD" in answer
    assert "Extreme Fear" in answer and "crypto 11" in answer


def test_gold_names_silver_the_dollar_and_what_stays_unexplained(history: History) -> None:
    exp = explain_replay(history, "gold", date(2026, 1, 30))
    answer = " ".join(exp.answer)
    assert "Silver -31.35%" in answer
    assert "Dollar index +0.74%" in answer
    assert exp.attribution is not None and exp.attribution.residual is not None
    assert f"{exp.attribution.residual:+.2f}% (" in answer and "stays unexplained by" in answer


def test_hang_seng_is_tied_to_the_previous_new_york_session(history: History) -> None:
    exp = explain_replay(history, "hang_seng", date(2025, 11, 21))
    assert exp.answer[0].startswith("Hang Seng -2.38%")
    assert "it followed New York's session of 2025-11-20 (S&P 500 -1.56%" in exp.answer[0]
    # Fed odds and stock sentiment are read as they stood when Hong Kong closed: New York's
    # 2025-11-20, before the next day's jump in the odds.
    assert exp.fed.month is not None and exp.fed.month.now_day == date(2025, 11, 20)
    # Headlines are those Hong Kong could have read: before its close, not New York's news.
    assert all(h.time.isoformat() < "2025-11-21T08:00" for h in exp.headlines)


def test_an_unattributed_day_says_so(history: History) -> None:
    """Nikkei 225 on 2025-07-23: +3.5% (+4.4σ) with New York flat the session before, every
    checked channel quiet and no recorded headline naming it."""
    exp = explain_replay(history, "nikkei225", date(2025, 7, 23))
    assert is_unattributed(exp)
    assert "Unattributed by the data: all" in exp.answer[1]
    assert not any(h.score >= 4 for h in exp.headlines)
    assert all(c.status != "moved" for c in exp.channels if c.relevant and c.id != "headlines")


def test_quiet_day_says_little_to_explain(history: History) -> None:
    exp = explain_replay(history, "sp500", date(2025, 11, 19))
    assert "a quiet move" in exp.answer[0]


def test_headlines_one_per_story_whole_titles_the_assets_own_first(history: History) -> None:
    from tests.test_explain import csv_rows_news

    exp = explain_replay(history, "btc", date(2025, 11, 20))
    recorded = {r["title"] for r in csv_rows_news()}
    assert all(h.title in recorded for h in exp.headlines)  # never cut, never invented
    scores = [h.score for h in exp.headlines]
    assert scores == sorted(scores, reverse=True) and scores[0] == 4
    words = [{w for w in h.title.lower().split() if len(w) > 3} for h in exp.headlines]
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            assert len(a & b) / len(a | b) < 0.5
