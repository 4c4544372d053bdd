"""Alert rules: what they watch, their written form, and their JSON form.

A rule reads like what a trader would say, and `parse_rule` accepts exactly that:

    btc below 90000          sp500 above 7000         nasdaq100 change beyond 2
    btc beyond 3 sigma       fg crypto below 20       fed 2025-12-10 moves 10 pp
    source yahoo down 15 min

The written form is also the rule's identity: the same rule added twice is one rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What crossing a rule waits for."""

    ABOVE = "above"
    """An asset's price, or a fear & greed index, rises above the level."""
    BELOW = "below"
    """An asset's price, or a fear & greed index, falls below the level."""
    CHANGE = "change"
    """An asset's change on the day reaches ± level percent."""
    SIGMA = "sigma"
    """An asset's move reaches ± level standard deviations of its own recent daily moves."""
    FED = "fed"
    """Any outcome's odds for a meeting move by level percentage points within a day."""
    SOURCE = "source"
    """A source has been failing for level minutes or more."""


DEFAULT_MARGINS: dict[Kind, float] = {
    Kind.CHANGE: 0.5,
    Kind.SIGMA: 0.5,
    Kind.FED: 2.0,
}
"""How far the value must move back before the rule re-arms (same unit as the level). Price
rules use 0.5% of the level, fear & greed 2 points, and a source re-arms once it answers."""


class RuleError(ValueError):
    """A rule that cannot be read, with an example of one that can."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One alert rule.

    Attributes:
        kind: What crossing it waits for.
        subject: Asset id, `crypto`/`stock` (fear & greed), a meeting day or `next` (Fed),
            or a source id.
        level: The threshold, in the unit of its kind.
        margin: How far back the value must move to re-arm it; None for the default.
        origin: `state` when added with `riskpulse alerts add` or from the app, `config` when
            read from the config's `[[alerts]]`.
    """

    kind: Kind
    subject: str
    level: float
    margin: float | None = None
    origin: str = "state"

    @property
    def is_fear_greed(self) -> bool:
        """True for a fear & greed level rule."""
        return self.kind in (Kind.ABOVE, Kind.BELOW) and self.subject in ("crypto", "stock")

    @property
    def text(self) -> str:
        """The written form, which `parse_rule` reads back to an equal rule."""
        level = f"{self.level:g}"
        if self.kind is Kind.FED:
            return f"fed {self.subject} moves {level} pp"
        if self.kind is Kind.SOURCE:
            return f"source {self.subject} down {level} min"
        if self.kind is Kind.SIGMA:
            return f"{self.subject} beyond {level} sigma"
        if self.kind is Kind.CHANGE:
            return f"{self.subject} change beyond {level}%"
        prefix = "fg " if self.is_fear_greed else ""
        return f"{prefix}{self.subject} {self.kind.value} {level}"

    @property
    def key(self) -> str:
        """Identity for the armed state and the log."""
        return self.text

    def re_arm_margin(self) -> float:
        """The margin in force."""
        if self.margin is not None:
            return self.margin
        if self.kind is Kind.SOURCE:
            return self.level
        if self.is_fear_greed:
            return 2.0
        if self.kind in (Kind.ABOVE, Kind.BELOW):
            return abs(self.level) * 0.005
        return DEFAULT_MARGINS[self.kind]

    def to_json(self) -> dict[str, Any]:
        """The rule for the state file."""
        out: dict[str, Any] = {"rule": self.text}
        if self.margin is not None:
            out["margin"] = self.margin
        return out


_NUMBER = r"([-+]?\d[\d,]*(?:\.\d+)?)"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def parse_rule(text: str, margin: float | None = None, origin: str = "state") -> Rule:
    """Read a rule from its written form.

    Args:
        text: For example `btc below 90000` (see the module docstring for every form).
        margin: Re-arm margin; None for the default.
        origin: Where the rule comes from.

    Returns:
        The rule, with the asset name resolved to its catalogue id.

    Raises:
        RuleError: When the text is no rule, or names an unknown asset or source.
    """
    from tui.assets import resolve
    from tui.sources import SOURCE_IDS

    words = " ".join(text.lower().replace("σ", " sigma").split())
    if margin is not None and margin < 0:
        raise RuleError("the margin cannot be negative")
    if m := re.fullmatch(
        rf"(?:fg|fear[ -]?(?:&|and)?[ -]?greed) (crypto|stock) (above|below) {_NUMBER}", words
    ):
        return Rule(Kind(m[2]), m[1], _number(m[3]), margin, origin)
    if m := re.fullmatch(rf"fed (\d{{4}}-\d\d-\d\d|next) moves? {_NUMBER} ?pp", words):
        if m[1] != "next":
            try:
                date.fromisoformat(m[1])
            except ValueError:
                raise RuleError(f"not a meeting day: {m[1]!r}") from None
        return Rule(Kind.FED, m[1], abs(_number(m[2])), margin, origin)
    if m := re.fullmatch(rf"source (\S+) (?:down|failing) {_NUMBER} ?(?:min|minutes?)?", words):
        if m[1] not in SOURCE_IDS:
            raise RuleError(f"unknown source {m[1]!r} (one of: {', '.join(SOURCE_IDS)})")
        return Rule(Kind.SOURCE, m[1], abs(_number(m[2])), margin, origin)
    forms = (
        (rf"(.+?) (above|below) {_NUMBER}", None),
        (rf"(.+?) (?:change|move) beyond {_NUMBER} ?%?", Kind.CHANGE),
        (rf"(.+?) (?:move )?beyond {_NUMBER} ?sigma", Kind.SIGMA),
    )
    for pattern, kind in forms:
        if m := re.fullmatch(pattern, words):
            asset = resolve(m[1])
            if asset is None:
                raise RuleError(f"unknown asset {m[1]!r} (riskpulse explain --list shows them)")
            if kind is None:
                return Rule(Kind(m[2]), asset.id, _number(m[3]), margin, origin)
            return Rule(kind, asset.id, abs(_number(m[2])), margin, origin)
    raise RuleError(
        f"not a rule: {text!r} (try 'btc below 90000', 'ndx change beyond 2', "
        "'btc beyond 3 sigma', 'fg crypto below 20', 'fed next moves 10 pp', "
        "'source yahoo down 15 min')"
    )


def rule_from_json(row: Any, origin: str = "state") -> Rule:
    """A rule from the state file or a config `[[alerts]]` table.

    Raises:
        RuleError: When the row is not `{rule = "…", margin = …}`.
    """
    if not isinstance(row, dict) or not isinstance(row.get("rule"), str):
        raise RuleError('each alert is a table such as { rule = "btc below 90000" }')
    margin = row.get("margin")
    if margin is not None and (isinstance(margin, bool) or not isinstance(margin, int | float)):
        raise RuleError("margin must be a number")
    extra = set(row) - {"rule", "margin"}
    if extra:
        raise RuleError(f"unknown alert setting {sorted(extra)[0]!r} (allowed: rule, margin)")
    return parse_rule(row["rule"], None if margin is None else float(margin), origin)
