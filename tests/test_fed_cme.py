"""The CME settlements source on its recorded replies; the 2026-09-18 check against CME's tool."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tui import bundled
from tui.fed_odds import OddsSource
from tui.panes.fed_inputs import live_fedwatch, stored_reading
from tui.sources import cme
from tui.sources.base import Fetcher, SourceError, make_client

FIXTURES = Path(__file__).parent / "fixtures"
EFFR_2026_09_18 = 3.88
"""EFFR on 2026-09-18 as the pypi `cme-fedwatch` README states it (fixtures' PROVENANCE §2)."""


def recorded(name: str = "cme_settlements_305_20260918.json") -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_values_are_strings_with_commas_flags_and_dashes() -> None:
    found = cme.parse_settlements(recorded())
    assert found.trade_date == date(2026, 9, 18) and found.report_type == "Final"
    by_month = {r.month: r for r in found.rows}
    september = by_month[(2026, 9)]
    assert september.volume == 61551 and september.open_interest == 322852
    assert september.change == 0.0  # ".0000"
    assert by_month[(2026, 11)].change == pytest.approx(-0.005)  # "-.0050"
    flagged = by_month[(2027, 9)].last
    assert flagged is not None and (flagged.value, flagged.flag) == (95.305, "B")
    ask = by_month[(2027, 12)].last
    assert ask is not None and ask.flag == "A"
    assert by_month[(2028, 3)].last is None  # "-"
    assert (2031, 8) in by_month and len(found.rows) == 60  # the "Total" row is not a month


def test_a_holiday_answers_empty() -> None:
    payload = recorded()
    payload["empty"] = True  # the one field a holiday changes besides the list
    assert cme.parse_settlements(payload).empty
    payload = recorded()
    payload["settlements"] = []
    assert cme.parse_settlements(payload).empty


@pytest.mark.parametrize("meeting", [0, 1])
def test_2026_09_18_reproduces_cme_fedwatch_within_1pp(meeting: int) -> None:
    """CME's tool showed Oct 42.4 / 57.6 and Dec 9.9 / 46.0 / 44.1 (hold, +25, +50)."""
    prices = cme.parse_settlements(recorded()).prices()
    fed = live_fedwatch(
        date(2026, 9, 18), bundled.fomc_calendar(), prices=prices, current_rate=EFFR_2026_09_18
    )
    shown = {0: (42.4, 57.6), 1: (9.9, 46.0, 44.1)}[meeting]
    row = fed.meetings[meeting]
    assert row.date == (date(2026, 10, 28), date(2026, 12, 9))[meeting]
    ours = [row.probabilities.get(25 * k, 0.0) * 100 for k in range(len(shown))]
    assert ours == pytest.approx(list(shown), abs=1.0)
    assert fed.source is not None and "CME FedWatch" not in fed.source


def _fetcher(handler: Any) -> Fetcher:
    async def no_sleep(_: float) -> None:
        return None

    return Fetcher(make_client(transport=httpx.MockTransport(handler)), retries=0, sleep=no_sleep)


async def test_fetch_asks_for_the_trade_date_on_the_overridden_base() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json=recorded())

    fetcher = _fetcher(handler)
    found = await cme.fetch(fetcher, "http://127.0.0.1:9", date(2026, 9, 18), browser_tls=False)
    await fetcher.client.aclose()
    assert found.prices()[(2026, 10)] == 96.105
    (url,) = seen
    assert url.host == "127.0.0.1" and url.path == cme.PATH
    assert url.params["tradeDate"] == "09/18/2026"


async def test_refusals_and_holidays_are_one_line_errors() -> None:
    def refused(_: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text="IP blocked")

    fetcher = _fetcher(refused)
    with pytest.raises(SourceError) as err:
        await cme.fetch(fetcher, "http://127.0.0.1:9", browser_tls=False)
    assert err.value.status == 403
    await fetcher.client.aclose()
    holiday = recorded()
    holiday["empty"], holiday["settlements"] = True, []
    fetcher = _fetcher(lambda _: httpx.Response(200, json=holiday))
    with pytest.raises(SourceError, match="no settlements"):
        await cme.fetch(fetcher, "http://127.0.0.1:9", date(2026, 9, 19), browser_tls=False)
    await fetcher.client.aclose()


def test_live_changes_across_a_decision_the_data_do_not_hold_are_not_claimed() -> None:
    """2026-09-14's odds, kept as the cache keeps them, precede the 2026-09-16 decision, whose
    range is not in the bundled data: 2026-09-18 shows no Δ rather than a wrong one; the same
    odds kept for the 17th give one."""
    calendar = bundled.fomc_calendar()
    monday = date(2026, 9, 14)
    earlier = live_fedwatch(
        monday,
        calendar,
        prices=cme.parse_settlements(recorded("cme_settlements_305_20260914.json")).prices(),
        current_rate=EFFR_2026_09_18,  # no EFFR print is recorded for the 14th: same basis
    )
    before = next(m for m in earlier.meetings if m.date == date(2026, 10, 28))
    prices = cme.parse_settlements(recorded()).prices()
    for kept_on, expect_change in ((monday, False), (date(2026, 9, 17), True)):
        kept = [stored_reading(OddsSource.CME, before.date, kept_on, before.probabilities)]
        fed = live_fedwatch(
            date(2026, 9, 18),
            calendar,
            prices=prices,
            current_rate=EFFR_2026_09_18,
            earlier=kept,
        )
        october = fed.meetings[0]
        assert bool(october.change_1d_pp) is expect_change
        if expect_change:
            assert october.change_1d_pp[25] == pytest.approx(
                (october.probabilities[25] - before.probabilities.get(25, 0.0)) * 100, abs=0.01
            )
