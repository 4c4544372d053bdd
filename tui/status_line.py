"""`riskpulse status`: one line for tmux's status bar, read from the cache.

tmux runs this every few seconds from every pane, so the path stays on the standard library:
no pandas, plotext, Textual or httpx, and none of riskpulse's dataclass modules unless a
configured item needs the asset catalogue. The line is built from the `riskpulse.snapshot/1`
document the dashboard and `riskpulse snapshot` keep in the cache. When that document is older
than `[status] refresh`, one process on the machine (holding a non-blocking `flock` on
`status.lock` in the cache directory) refreshes it; every other caller prints the cached line
marked with its age.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from tui.numtext import signed

TYPE_CHECKING = False  # typing itself costs the status line ~10 ms; mypy reads this name
if TYPE_CHECKING:
    from typing import Any

DEFAULT_ITEMS: tuple[str, ...] = ("sp500", "nasdaq100", "btc:price", "fg", "fed")
"""Shown when the config says nothing: `ID`, `ID:price`, `fg[:crypto|:stock]`, `fed`."""
DEFAULT_WIDTH = 100
"""tmux's own `status-right-length` is 40: the README's line raises it."""
DEFAULT_REFRESH = 60
"""Seconds a cached snapshot counts as fresh for the status line."""
DEFAULT_COLOURS: dict[str, str] = {"gain": "green", "loss": "red", "stale": "yellow"}
"""tmux colours per meaning (`--tmux`); a red-up user swaps gain and loss in `[status]`."""
SEP = " · "
MINUS = "−"

LABELS: dict[str, str] = {
    "sp500": "SPX",
    "nasdaq100": "NDX",
    "dow": "DJI",
    "russell2000": "RUT",
    "hang_seng": "HSI",
    "shanghai": "SSE",
    "nikkei225": "N225",
    "kospi": "KOSPI",
    "dax": "DAX",
    "eurostoxx50": "SX5E",
    "nasdaq_composite": "IXIC",
    "gold": "Gold",
    "silver": "Silver",
    "wti": "WTI",
    "dxy": "DXY",
    "ust2y": "2Y",
    "ust10y": "10Y",
}
"""Short labels that traders read in a status bar; others use the display symbol."""
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class StatusSettings:
    """The `[status]` table in force.

    Args:
        items: What to show, in order.
        width: Most characters of visible text.
        refresh: Seconds the cache counts as fresh.
        colours: tmux colour per meaning: gain, loss, stale.
    """

    __slots__ = ("colours", "items", "refresh", "width")

    def __init__(
        self,
        items: Sequence[str] = DEFAULT_ITEMS,
        width: int = DEFAULT_WIDTH,
        refresh: int = DEFAULT_REFRESH,
        colours: Mapping[str, str] | None = None,
    ) -> None:
        self.items = tuple(items)
        self.width = width
        self.refresh = refresh
        self.colours = {**DEFAULT_COLOURS, **(colours or {})}


def settings_from(table: Any, fail: Callable[[str, str], Exception]) -> StatusSettings:
    """Validate a `[status]` table.

    Args:
        table: The parsed TOML table (anything: it is checked here).
        fail: Builds the error for a key and a reason (the config names file and line).

    Returns:
        The settings.

    Raises:
        Exception: Whatever `fail` builds, on the first bad key.
    """
    if not isinstance(table, dict):
        raise fail("status", "must be a table such as [status]")
    allowed = {"items", "width", "refresh", *DEFAULT_COLOURS}
    for key in table:
        if key not in allowed:
            raise fail(f"status.{key}", f"unknown setting (allowed: {', '.join(sorted(allowed))})")
    items = table.get("items", list(DEFAULT_ITEMS))
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise fail("status.items", 'must be a list such as ["sp500", "btc:price", "fg", "fed"]')
    width, refresh = table.get("width", DEFAULT_WIDTH), table.get("refresh", DEFAULT_REFRESH)
    if isinstance(width, bool) or not isinstance(width, int) or not 20 <= width <= 400:
        raise fail("status.width", "must be a whole number of characters from 20 to 400")
    if isinstance(refresh, bool) or not isinstance(refresh, int) or refresh < 5:
        raise fail("status.refresh", "must be a whole number of seconds ≥ 5")
    colours = {}
    for meaning in DEFAULT_COLOURS:
        value = table.get(meaning, DEFAULT_COLOURS[meaning])
        if not isinstance(value, str) or not value.replace("#", "").isalnum():
            raise fail(f"status.{meaning}", 'must be a tmux colour such as "green" or "colour160"')
        colours[meaning] = value
    return StatusSettings(items, width, refresh, colours)


# -- formatting ---------------------------------------------------------------------------------


def short_price(value: float) -> str:
    """86.6k / 6,539 / 4,080 / 31.20."""
    if abs(value) >= 10_000:
        return f"{value / 1000:.1f}k"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}"


class Part:
    """One item: its text and what it means (gain, loss, stale or plain)."""

    __slots__ = ("meaning", "text")

    def __init__(self, text: str, meaning: str | None) -> None:
        self.text, self.meaning = text, meaning


def _quotes(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    panes = doc.get("panes") or {}
    return [
        q for p in ("indices", "crypto", "macro") for q in (panes.get(p) or {}).get("quotes", [])
    ]


def _find(quotes: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    low = name.lower()
    for q in quotes:
        if low in (str(q.get("id", "")).lower(), str(q.get("symbol", "")).lower()):
            return q
    from tui.assets import resolve  # only for aliases the document does not spell

    asset = resolve(name)
    return next((q for q in quotes if asset and q.get("id") == asset.id), None)


def quote_part(quote: Mapping[str, Any], with_price: bool) -> Part:
    """`SPX −1.56%`, `BTC 86.6k −5.4%`, `10Y 4.10% −3bp`; missing values stay a dash."""
    qid = str(quote.get("id", ""))
    label = LABELS.get(qid) or str(quote.get("symbol", qid)).split("/")[0].lstrip("^")
    price, pct, change = quote.get("price"), quote.get("change_pct"), quote.get("change")
    bits = [label]
    meaning: str | None = None
    if price is None:
        bits.append("—")
    elif pct is None and change is not None:  # yields and spreads move in basis points
        bp = change * 100 if qid != "sofr_iorb" else change
        level = f"{price:.2f}%" if qid != "sofr_iorb" else signed(price, 0, "bp", minus=MINUS)
        bits += [level, signed(bp, 0, "bp", minus=MINUS)]
    else:
        if with_price:
            bits.append(short_price(price))
        if pct is not None:
            text = signed(pct, 1 if with_price else 2, "%", minus=MINUS)
            bits.append(text)
            if text[0] in ("+", MINUS):  # one that rounds to zero is shown, and coloured, flat
                meaning = "loss" if pct < 0 else "gain"
    if quote.get("stale"):
        bits[-1] += "!"
        meaning = "stale"
    return Part(" ".join(bits), meaning)


def fear_greed_part(doc: Mapping[str, Any], which: str | None) -> Part | None:
    """`F&G 11/5` (crypto/stock), or one index: `F&G crypto 11`."""
    readings = ((doc.get("panes") or {}).get("fear_greed") or {}).get("indices") or []
    by_id = {r.get("id"): r.get("value") for r in readings}
    ids = [which] if which else ["crypto", "stock"]
    values = [by_id.get(i) for i in ids]
    if all(v is None for v in values):
        return None
    text = "/".join("—" if v is None else f"{v:.0f}" for v in values)
    known = [v for v in values if v is not None]
    low, high = min(known), max(known)
    meaning = "loss" if high <= 25 else "gain" if low >= 75 else None
    return Part(f"F&G {which + ' ' if which else ''}{text}", meaning)


def fed_part(doc: Mapping[str, Any]) -> Part | None:
    """`Dec cut 39%`: the first meeting with recorded odds, its chance of any cut."""
    meetings = ((doc.get("panes") or {}).get("fedwatch") or {}).get("meetings") or []
    for meeting in meetings:
        probs = meeting.get("probabilities") or {}
        if not probs:
            continue
        moves = {int(k): float(p) for k, p in probs.items()}
        month = MONTHS[int(str(meeting.get("date", "0000-01"))[5:7]) - 1]
        cut = sum(p for k, p in moves.items() if k < 0)
        hike = sum(p for k, p in moves.items() if k > 0)
        if any(k < 0 for k in moves):
            word, value = "cut", cut
        elif any(k > 0 for k in moves):
            word, value = "hike", hike
        else:  # only "no change" was recorded: say that, not a guess at the rest
            word, value = "hold", moves.get(0, 0.0)
        return Part(f"{month} {word} {value * 100:.0f}%", None)
    return None


def parts_of(doc: Mapping[str, Any], items: Sequence[str]) -> list[Part]:
    """The configured items found in a snapshot document (unknown ones are left out)."""
    quotes = _quotes(doc)
    out: list[Part] = []
    for item in items:
        name, _, option = item.partition(":")
        part: Part | None
        if name == "fg":
            part = fear_greed_part(doc, option or None)
        elif name == "fed":
            part = fed_part(doc)
        else:
            quote = _find(quotes, name)
            part = quote_part(quote, option == "price") if quote else None
        if part is not None:
            out.append(part)
    return out


def render(
    parts: Sequence[Part],
    width: int,
    tmux: bool,
    colours: Mapping[str, str],
    marker: str | None = None,
) -> str:
    """Join items up to `width` visible characters (whole items only; the marker always stays).

    Args:
        parts: The items.
        width: Most visible characters.
        tmux: Emit `#[fg=…]` codes by meaning.
        colours: tmux colour per meaning.
        marker: Mode or age text kept at the end (`14 min old`, `replay 2025-11-20`).
    """
    tail = f"{SEP}{marker}" if marker else ""
    budget = width - len(tail)
    shown: list[Part] = []
    used = 0
    for part in parts:
        extra = len(part.text) + (len(SEP) if shown else 0)
        if used + extra > budget:
            break
        shown.append(part)
        used += extra
    if not tmux:
        return SEP.join(p.text for p in shown) + tail
    texts = [
        f"#[fg={colours[p.meaning]}]{_tmux_text(p.text)}#[default]"
        if p.meaning
        else _tmux_text(p.text)
        for p in shown
    ]
    if marker:
        texts.append(f"#[fg={colours['stale']}]{_tmux_text(marker)}#[default]")
    return SEP.join(texts)


def _tmux_text(text: str) -> str:
    return text.replace("#", "##")  # data never starts a tmux format sequence
