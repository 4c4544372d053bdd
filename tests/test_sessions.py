"""Market sessions: phases, holidays, early closes and breaks from the exchange calendars."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.test_app import settle
from tui.app import RiskPulseApp
from tui.history import History
from tui.screens.sessions import SessionsScreen
from tui.sessions import (
    EXCHANGES,
    MarketSession,
    Phase,
    Timeline,
    close_label,
    main,
    market_sessions,
    phase_of,
)
from tui.sessions_feed import cached_timeline

BUILT_AT = datetime(2025, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def timeline_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The calendars for late Nov 2025, built once (Seoul's calendar takes seconds)."""
    path = tmp_path_factory.mktemp("sessions") / "sessions.json"
    assert main([str(path), BUILT_AT.isoformat()]) == 0
    return path


def at(timeline_file: Path, when: str) -> dict[str, MarketSession]:
    now = datetime.fromisoformat(when).replace(tzinfo=UTC)
    timeline = cached_timeline(timeline_file, now, lambda: None)
    return {s.exchange.id: s for s in market_sessions(now, timeline)}


def test_every_exchange_is_covered(timeline_file: Path) -> None:
    sessions = at(timeline_file, "2025-11-20T15:00")
    assert list(sessions) == [e.id for e in EXCHANGES]
    assert sessions["nyse"].phase is Phase.OPEN
    assert sessions["frankfurt"].phase is Phase.OPEN
    assert sessions["tokyo"].phase is Phase.CLOSED


def test_thanksgiving_and_the_early_close_after_it(timeline_file: Path) -> None:
    day = at(timeline_file, "2025-11-27T15:00")
    assert day["nyse"].phase is Phase.CLOSED
    assert day["nyse"].next_phase is Phase.PRE
    assert day["nyse"].next_change == datetime(2025, 11, 28, 9, 0, tzinfo=UTC)
    assert day["cme"].next_change == datetime(2025, 11, 27, 18, 0, tzinfo=UTC)  # 12:00 CT
    after = at(timeline_file, "2025-11-28T19:00")
    assert after["nyse"].phase is Phase.POST  # closed at 13:00 New York time
    assert after["nyse"].last_close == datetime(2025, 11, 28, 18, 0, tzinfo=UTC)


def test_tokyo_holiday_while_seoul_trades(timeline_file: Path) -> None:
    day = at(timeline_file, "2025-11-24T01:00")
    assert day["tokyo"].phase is Phase.CLOSED  # Labour Thanksgiving Day, observed
    assert day["tokyo"].next_change == datetime(2025, 11, 25, 0, 0, tzinfo=UTC)
    assert day["seoul"].phase is Phase.OPEN


def test_lunch_breaks_where_they_still_exist(timeline_file: Path) -> None:
    day = at(timeline_file, "2025-11-20T03:00")
    assert day["tokyo"].phase is Phase.BREAK
    assert day["shanghai"].phase is Phase.OPEN and day["shanghai"].next_phase is Phase.BREAK
    assert day["seoul"].phase is Phase.OPEN  # no lunch break since 2000
    assert day["seoul"].next_phase is Phase.CLOSED
    assert day["hong_kong"].until(datetime(2025, 11, 20, 3, 0, tzinfo=UTC)) == "1 h 00 min"


def test_a_closed_markets_row_says_close_with_its_date(timeline_file: Path) -> None:
    sessions = list(at(timeline_file, "2025-11-27T15:00").values())
    today = date(2025, 11, 27)
    assert close_label(phase_of("sp500", sessions), date(2025, 11, 26), today) == "close 11-26"
    assert close_label(phase_of("dax", sessions), date(2025, 11, 27), today) is None
    assert close_label(phase_of("btc", sessions), date(2025, 11, 27), today) is None
    assert close_label(Phase.CLOSED, date(2024, 12, 31), today) == "close 2024-12-31"
    assert close_label(Phase.BREAK, date(2025, 11, 27), today) is None


def test_the_timeline_is_rebuilt_only_when_missing_or_out_of_window(
    timeline_file: Path, tmp_path: Path
) -> None:
    builds: list[int] = []
    path = tmp_path / "sessions.json"

    def build() -> None:
        builds.append(1)
        path.write_text(timeline_file.read_text())

    cached_timeline(path, BUILT_AT, build)
    cached_timeline(path, BUILT_AT + timedelta(days=3), build)
    assert builds == [1]
    with pytest.raises(OSError):
        cached_timeline(path, BUILT_AT + timedelta(days=130), build)
    assert builds == [1, 1]
    doc = Timeline.from_json(json.loads(path.read_text()))
    assert doc.covers(BUILT_AT)


def test_importing_sessions_loads_no_calendar_or_pandas() -> None:
    code = "import sys, tui.sessions; print(','.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    loaded = set(out.strip().split(","))
    assert not loaded & {"pandas", "pandas_market_calendars", "exchange_calendars"}


async def test_sessions_screen_from_the_palette_command(
    timeline_file: Path, tmp_path: Path, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "riskpulse").mkdir()
    shutil.copy(timeline_file, tmp_path / "riskpulse" / "sessions.json")
    now = datetime(2025, 11, 27, 15, 0, tzinfo=UTC)
    app = RiskPulseApp(replay=date(2025, 11, 20), history=history, now=lambda: now)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        app.show_sessions()
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(app.screen.query_one("#sessions-text", Static).render())
        assert "New York (NYSE)" in text and "closed  pre in 18 h 00 min" in text
        assert "CME Globex (futures)" in text


def test_the_apps_feed_labels_shut_markets(timeline_file: Path, tmp_path: Path) -> None:
    from tui.sessions_feed import SessionsFeed

    path = tmp_path / "sessions.json"
    shutil.copy(timeline_file, path)
    feed = SessionsFeed(path, lambda: datetime(2025, 11, 27, 15, 0, tzinfo=UTC))
    assert feed.close_label("sp500", date(2025, 11, 26)) is None  # nothing read yet: no claim
    feed.refresh()
    assert feed.error is None and len(feed.sessions) == len(EXCHANGES)
    assert feed.close_label("sp500", date(2025, 11, 26)) == "close 11-26"
    assert feed.close_label("dax", date(2025, 11, 27)) is None
    assert feed.close_label("btc", date(2025, 11, 27)) is None


async def test_the_app_reads_the_calendars_when_first_asked(
    timeline_file: Path, tmp_path: Path, history: History
) -> None:
    path = tmp_path / "sessions.json"
    shutil.copy(timeline_file, path)
    now = datetime(2025, 11, 27, 15, 0, tzinfo=UTC)
    app = RiskPulseApp(
        replay=date(2025, 11, 20), history=history, now=lambda: now, sessions_file=path
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        assert app.close_label("sp500", date(2025, 11, 26)) is None  # not read yet
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.close_label("sp500", date(2025, 11, 26)) == "close 11-26"
        assert app.close_label("btc", date(2025, 11, 27)) is None
