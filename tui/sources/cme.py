"""CME Group: daily settlements of 30-day fed funds futures (product 305), for Fed-watch odds.

`GET /CmeWS/mvc/Settlements/Futures/Settlements/305/FUT?tradeDate=MM/DD/YYYY` answers
`{"settlements": [{month "OCT 26", open, high, low, last, change, settle, volume, openInterest},
…, a "Total" row], "updateTime", "dsHeader", "reportType" ("Final"…), "tradeDate", "empty"}`.
Quirks (fixtures' PROVENANCE, two recorded responses): every value is a string; volume and open
interest carry thousands commas; `change` looks like ".0000" or "-.0050"; a price may end in "A" or
"B" (ask / bid, not a trade); "-" means no value; weekends and holidays answer `"empty": true`;
only about the last five business days are served (older dates answer an empty list). CME refuses
many scripted clients with 403; a client presenting a browser's TLS fingerprint (curl_cffi) is
imported only when asked for, or when a plain request was refused and it is installed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tui.sources.base import SourceError, rebase

if TYPE_CHECKING:
    from tui.sources.fetch import Fetcher

SOURCE_ID = "cme"
BASE = "https://www.cmegroup.com"
PATH = "/CmeWS/mvc/Settlements/Futures/Settlements/305/FUT"
MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
HEADERS = {"Accept": "application/json"}

Month = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Price:
    """A price cell: the number, and "A" (ask) or "B" (bid) when it is a quote, not a trade."""

    value: float
    flag: str | None = None


@dataclass(frozen=True, slots=True)
class Settlement:
    """One contract month's row.

    Attributes:
        month: Contract month (year, month).
        settle: Settlement price (100 − the month's expected average EFFR, percent).
        last: Last price, with its A/B flag.
        change: Settlement change from the previous day, price points.
        volume: Contracts traded.
        open_interest: Contracts open.
    """

    month: Month
    settle: Price | None
    last: Price | None
    change: float | None
    volume: int | None
    open_interest: int | None


@dataclass(frozen=True, slots=True)
class Settlements:
    """One trade date's settlements; `rows` is empty on a holiday (`empty: true`)."""

    trade_date: date | None
    report_type: str | None
    empty: bool
    rows: tuple[Settlement, ...]

    def prices(self) -> dict[Month, float]:
        """Settlement per contract month, for `tui.fedwatch.solve` (flagged settles included)."""
        return {r.month: r.settle.value for r in self.rows if r.settle is not None}


def parse_price(text: Any) -> Price | None:
    """'96.1050' → 96.105; '95.3050B' → (95.305, 'B'); '-' or '' → None."""
    raw = str(text or "").strip()
    flag = raw[-1] if raw[-1:] in ("A", "B") else None
    number = _number(raw[:-1] if flag else raw)
    return None if number is None else Price(number, flag)


def _number(text: str) -> float | None:
    raw = text.strip().replace(",", "")
    if raw in ("", "-"):
        return None
    try:
        return float(raw)  # float() reads ".0000" and "-.0050"
    except ValueError:
        return None


def _count(text: Any) -> int | None:
    value = _number(str(text or ""))
    return None if value is None else int(value)


def parse_month(text: Any) -> Month | None:
    """'OCT 26' → (2026, 10); 'Total' → None."""
    parts = str(text or "").split()
    if len(parts) != 2 or parts[0].upper() not in MONTHS or not parts[1].isdigit():
        return None
    return 2000 + int(parts[1]), MONTHS[parts[0].upper()]


def parse_settlements(payload: Any) -> Settlements:
    """Parse a settlements reply.

    Raises:
        SourceError: When the body is not the settlements object.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("settlements", []), list):
        raise SourceError(SOURCE_ID, "unexpected response shape")
    try:
        trade_date = datetime.strptime(str(payload.get("tradeDate")), "%m/%d/%Y").date()
    except ValueError:
        trade_date = None
    rows = []
    for row in payload.get("settlements") or []:
        month = parse_month(row.get("month")) if isinstance(row, dict) else None
        if month is None or not isinstance(row, dict):
            continue  # the "Total" row, or a row riskpulse cannot read
        rows.append(
            Settlement(
                month,
                parse_price(row.get("settle")),
                parse_price(row.get("last")),
                _number(str(row.get("change") or "")),
                _count(row.get("volume")),
                _count(row.get("openInterest")),
            )
        )
    report = payload.get("reportType")
    return Settlements(
        trade_date,
        report if isinstance(report, str) else None,
        payload.get("empty") is True or not rows,
        tuple(sorted(rows, key=lambda r: r.month)),
    )


async def fetch(
    fetcher: Fetcher,
    base: str = BASE,
    trade_date: date | None = None,
    *,
    browser_tls: bool | None = None,
) -> Settlements:
    """The settlements of one trade date (CME's latest when None), one request.

    Args:
        fetcher: The shared client with retries and breaker.
        base: Base URL in force (config or `RISKPULSE_CME_URL`).
        trade_date: The trade date to ask for.
        browser_tls: True: only through curl_cffi's browser fingerprint; False: only plain
            httpx; None: plain first, curl_cffi after a 403 when it is installed.

    Raises:
        SourceError: On a refusal, a holiday (`empty: true`) or an unreadable body.
    """
    url = rebase(f"{BASE}{PATH}", base)
    params = {"tradeDate": trade_date.strftime("%m/%d/%Y")} if trade_date else {}
    if browser_tls:
        payload = await _fetch_browser_tls(url, params)
    else:
        try:
            payload = await fetcher.get_json(SOURCE_ID, url, params=params, headers=HEADERS)
        except SourceError as exc:
            if browser_tls is False or exc.status != 403 or not _has_curl_cffi():
                raise
            payload = await _fetch_browser_tls(url, params)
    found = parse_settlements(payload)
    if found.empty:
        day = found.trade_date or trade_date
        raise SourceError(SOURCE_ID, f"no settlements for {day} (weekend, holiday or too old)")
    return found


def _has_curl_cffi() -> bool:
    import importlib.util

    return importlib.util.find_spec("curl_cffi") is not None


async def _fetch_browser_tls(url: str, params: dict[str, str]) -> Any:
    """One GET through curl_cffi impersonating a browser (optional dependency)."""
    import importlib

    try:
        curl = importlib.import_module("curl_cffi.requests")
    except ImportError:
        raise SourceError(SOURCE_ID, "refused plain clients; install curl_cffi") from None
    async with curl.AsyncSession(impersonate="chrome") as session:
        try:
            resp = await session.get(url, params=params, headers=HEADERS, timeout=15)
        except Exception as exc:  # curl_cffi raises its own error types
            raise SourceError(SOURCE_ID, f"network error ({type(exc).__name__})") from None
    if resp.status_code >= 400:
        status = int(resp.status_code)
        raise SourceError(SOURCE_ID, f"refused the request ({status})", status=status)
    try:
        return json.loads(resp.text)
    except json.JSONDecodeError as exc:
        raise SourceError(SOURCE_ID, f"sent malformed JSON ({exc.msg})") from None
