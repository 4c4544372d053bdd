"""Shares of a move are worded truthfully for every sign and size, and the market-vs-own part
is never taken for the attribution's residual: real days where the market part exceeded the
move (the Dow on 2025-11-20, silver on 2026-02-02) and where the two numbers differ (the
Nasdaq 100 on 2025-11-20; silver and ETH on 2026-01-30)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tui.explain.engine import Explanation
from tui.explain.output import to_text
from tui.explain_inputs import explain_replay
from tui.history import History
from tui.numtext import share_text, signed

DAYS = [
    ("dow", date(2025, 11, 20)),
    ("silver", date(2026, 2, 2)),
    ("nasdaq100", date(2025, 11, 20)),
    ("silver", date(2026, 1, 30)),
    ("eth", date(2026, 1, 30)),
]
SHARE = re.compile(r"(-?\d+)% of (?:the move|[\w .&]+'s move)")


def _market(exp: Explanation) -> tuple[float, float, float]:
    """The move, its market's contribution and the market-vs-own part, from the attribution."""
    att, size = exp.attribution, exp.move.size
    assert att is not None and size is not None
    d = att.market()
    assert d is not None and d.contribution is not None
    return size, d.contribution, size - d.contribution


def _words(exp: Explanation) -> str:
    reasons = " ".join(c.text for c in exp.channels)
    return " ".join((*exp.answer, *exp.findings, exp.kind.reason, reasons))


def test_share_text_words_every_sign_and_size() -> None:
    assert share_text(0.62) == "62% of the move"
    assert share_text(1.55) == "more than all of the move: 155%"
    assert share_text(-0.06, "Dow Jones's move") == (
        "none of Dow Jones's move, running against it: -6%"
    )
    assert share_text(-0.001) == "0% of the move" and share_text(1.004) == "100% of the move"


@pytest.mark.parametrize(
    ("asset", "day"), [("dow", date(2025, 11, 20)), ("silver", date(2026, 2, 2))]
)
def test_a_market_part_larger_than_the_move_leaves_an_own_part_the_other_way(
    history: History, asset: str, day: date
) -> None:
    exp = explain_replay(history, asset, day)
    size, market, own = _market(exp)
    assert market * size > 0 and abs(market) > abs(size) and own * size < 0  # the real day's shape
    words = _words(exp)
    assert "most of the move" not in words
    assert (
        f"that is {signed(market, 2)} of the {signed(size, 2)}%: its market more than explains "
        f"the move; its own part beside its market ran the other way, {signed(own, 2)}"
    ) in words
    if exp.kind.kind == "asset_class":  # silver's -0.2σ is quiet before any share counts
        assert f"more than all of the move: {market / size * 100:.0f}%" in exp.kind.reason


@pytest.mark.parametrize(("asset", "day"), DAYS)
def test_every_share_printed_as_a_percent_of_the_move_is_within_it(
    history: History, asset: str, day: date
) -> None:
    exp = explain_replay(history, asset, day)
    words = _words(exp)
    shares = [int(m) for m in SHARE.findall(words)]
    assert all(0 <= s <= 100 for s in shares), (shares, words)
    size, _, own = _market(exp)
    if "(most of the move)" in words:
        assert own * size > 0 and abs(own) > abs(size) / 2


@pytest.mark.parametrize(("asset", "day"), DAYS)
def test_own_part_and_residual_are_labelled_apart(history: History, asset: str, day: date) -> None:
    """The market-vs-own part (move less its market) and the residual (move less every factor)
    are different quantities: each is shown with its own label and its own number."""
    exp = explain_replay(history, asset, day)
    att = exp.attribution
    assert att is not None and att.residual is not None
    _, _, own = _market(exp)
    split = next(f for f in exp.findings if "beside its market" in f)
    assert signed(own, 2) in split
    text = to_text(exp)
    assert re.search(rf"residual \(no factor\)\s+{re.escape(signed(att.residual, 2))}$", text, re.M)
    assert "its own)" not in text and "the asset's own" not in text
