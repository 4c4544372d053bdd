"""The alert prompt: a rule filled in with the selected row and its current value.

Which row is selected is read through a small protocol, so the app needs no knowledge of the
dashboard's insides: a screen may implement `SelectsRow.selected_row()`; otherwise a screen's
`asset` (the drill-down's) is used, and last the focused table's cursor row key
(quote rows are keyed by asset id, Fed rows by meeting day, fear & greed rows by `crypto`/`stock`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label

from tui.alerts.rules import RuleError, parse_rule
from tui.assets import Asset
from tui.formatting import fmt_pct
from tui.model import Snapshot
from widgets.navigable import NavigableTable

HINT = (
    "above|below N · change beyond N · beyond N sigma\nfg crypto|stock below N · fed DAY moves N pp"
)


@runtime_checkable
class SelectsRow(Protocol):
    """A screen that can say which row the user has selected."""

    def selected_row(self) -> str | None:
        """An asset id, a meeting day (YYYY-MM-DD), `crypto`/`stock`, or None."""


def selected_row(screen: Screen[object]) -> str | None:
    """The selected row's key on `screen` (see the module docstring for the order)."""
    if isinstance(screen, SelectsRow):
        return screen.selected_row()
    asset = getattr(screen, "asset", None)  # the drill-down's asset
    if isinstance(asset, Asset):
        return asset.id
    focused = screen.focused
    if isinstance(focused, NavigableTable):
        return focused.cursor_key
    if isinstance(focused, DataTable) and focused.row_count:
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        return str(key) if key is not None else None
    return None


def _level(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def suggestion(row: str, snapshot: Snapshot | None) -> tuple[str, str, str]:
    """(title, current value, rule text) for the prompt; nothing is invented when data lack."""
    if row in ("crypto", "stock"):
        reading = next(
            (f for f in (snapshot.fear_greed.indices if snapshot else ()) if f.id == row), None
        )
        value = reading.value if reading else None
        now = f"now {value:.0f}" if value is not None else "no current reading"
        level = f"{value:.0f}" if value is not None else ""
        return f"Alert on {row} fear & greed", now, f"fg {row} below {level}".rstrip()
    if len(row) == 10 and row[4] == "-" and row[7] == "-":
        return (
            f"Alert on the Fed meeting of {row}",
            "odds move within a day",
            f"fed {row} moves 10 pp",
        )
    quote = snapshot.quote(row) if snapshot else None
    if quote is None or quote.price is None:
        return f"Alert on {row}", "no current value", f"{row} below "
    change = f", {fmt_pct(quote.change_pct)}" if quote.change_pct is not None else ""
    when = f", {quote.as_of}" if quote.as_of else ""
    now = f"now {quote.price:,.2f}{change}{when}"
    return f"Alert on {quote.name} ({quote.symbol})", now, f"{row} below {_level(quote.price)}"


class AlertPromptScreen(ModalScreen[str | None]):
    """Returns the rule's written form, or None when cancelled."""

    DEFAULT_CSS = """
    AlertPromptScreen { align: center middle; }
    #alert-box {
        width: 64; max-width: 100%; height: auto;
        border: round $primary; padding: 1 2; background: $surface;
    }
    #alert-hint { color: $text-muted; }
    #alert-error { color: $error; width: 100%; }
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="alert_prompt.cancel")]

    def __init__(self, title: str, now: str, rule: str) -> None:
        super().__init__()
        self.title_text, self.now_text, self.rule_text = title, now, rule

    def compose(self) -> ComposeResult:
        with Vertical(id="alert-box"):
            yield Label(Content(self.title_text))
            yield Label(Content(self.now_text), id="alert-now")
            # The cursor waits after the level: Backspace edits it, Enter takes it as it is.
            yield Input(value=self.rule_text, id="alert-input", select_on_focus=False)
            yield Label(Content(HINT), id="alert-hint")
            yield Label("", id="alert-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            rule = parse_rule(event.value)
        except RuleError as exc:
            self.query_one("#alert-error", Label).update(Content(str(exc)))
            return
        self.dismiss(rule.text)
