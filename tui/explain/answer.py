"""The answer first, then ranked findings, then what the data cannot tell (EXPLAIN_METHOD §9).

Every clause carries its number. The answer is built from the kind, the shape when notable,
the market-vs-own split, the channels that moved (strongest first) and the strongest headline
whose time fits; when every checked channel was quiet and no headline names the asset, it says
the data leave the move unattributed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.assets import BY_ID, AssetClass, Region, Unit
from tui.explain.attribution import MACRO, MARKET, WEAK_R2, Driver
from tui.explain.channels import MOVED, NO_DATA, Channel
from tui.explain.clauses import channel_clause
from tui.explain.findings import findings_of, limits_of, timely_headline
from tui.explain.move import Horizon
from tui.numtext import plain, share_text, signed

if TYPE_CHECKING:
    from tui.explain.engine import Explanation

KIND_PHRASE = {
    "market_wide": "with the whole market",
    "asset_class": "with its class",
    "idiosyncratic": "on its own",
    "mixed": "partly with its market, partly its own",
}
"""How the answer words a kind when nothing more specific leads it."""
ANSWER_CHANNELS = 3
"""Channels that moved named in the answer; the rest follow in the findings."""
LED_BY = {
    "nasdaq100": "tech",
    "qqq": "tech",
    "nasdaq_composite": "tech",
    "russell2000": "small caps",
}
"""What an index's own part is called when it moved further than its market."""
MARKET_NAME = {
    "sp500": "US stocks",
    "nasdaq100": "US tech stocks",
    "nikkei225": "Asian stocks",
    "eurostoxx50": "European stocks",
    "hang_seng": "Hong Kong stocks",
    "shanghai": "mainland Chinese stocks",
    "kospi": "Korean stocks",
    "dax": "German stocks",
    "btc": "crypto",
    "gold": "gold",
}
CLASS_NAME = {
    AssetClass.CRYPTO: "crypto",
    AssetClass.PRECIOUS_METAL: "precious metals",
    AssetClass.EQUITY_INDEX: "its region's indices",
}


def short_name(asset_id: str) -> str:
    """The name in prose: 'Nvidia' rather than 'Nvidia (adj.)'."""
    return BY_ID[asset_id].name.replace(" (adj.)", "")


def unit_of(asset_id: str) -> str:
    """The move's unit: `%` for prices, ` bp` for rates and spreads."""
    return "%" if BY_ID[asset_id].unit is Unit.PRICE else " bp"


def level_unit(asset_id: str) -> str:
    """The unit of a level change when percent is undefined."""
    return "$/bbl" if asset_id == "wti" else "in price"


def move_text(exp: Explanation) -> str:
    """'-2.38% (-2.1σ)', or the level change when percent is undefined."""
    m = exp.move
    if m.size is None:
        return f"{signed(m.change, 2)} {level_unit(exp.asset_id)}" if m.change is not None else "—"
    if m.size == 0:
        return f"unchanged (0{unit_of(exp.asset_id)})"
    sized = f" ({signed(m.sigma, 1)}σ)" if m.sigma is not None else ""
    return f"{signed(m.size, 2)}{unit_of(exp.asset_id)}{sized}"


def when_text(exp: Explanation) -> str:
    """'on 2025-11-20' or 'over 5d to 2025-11-20', with the asked day when it differs."""
    m = exp.move
    when = f"on {m.day}" if m.horizon is Horizon.D1 else f"over {m.horizon.value} to {m.day}"
    if m.day != exp.asked_day:
        when += f" (its last close on or before {exp.asked_day})"
    return when


def _verb(value: float) -> str:
    return "fell" if value < 0 else "rose"


def market_split(exp: Explanation) -> str | None:
    """'US stocks fell (S&P 500 -1.56%): with its usual beta 1.30 that is -2.02 of the -2.38,
    -0.36 its own beside its market', when the asset has a market factor with a line of its own.

    This is the market-vs-own split of EXPLAIN_METHOD §3: the asset's own part is the move less
    its market's contribution, so it still holds what the macro factors carried. The
    attribution's residual (the move less every factor) is another quantity and is labelled so
    wherever it is shown. When the market part is larger than the move, or ran against it, the
    own part runs the other way or carries more than the move, and the sentence says which.
    """
    att, size = exp.attribution, exp.move.size
    if att is None or size is None or att.r2 is None or att.r2 < WEAK_R2:
        return None
    d = att.market()
    if d is None or not d.shown or d.contribution is None or d.factor_move is None:
        return None
    what = MARKET_NAME.get(d.factor.id, BY_ID[d.factor.id].name)
    u = unit_of(exp.asset_id)
    sign = 1 if size > 0 else -1
    with_it = [z for _, _, z in exp.peer_moves if z * sign >= 1]
    # "broadly" only when at least three quarters of its tracked peers moved ≥1σ with it
    broadly = " broadly" if exp.peer_moves and len(with_it) >= 0.75 * len(exp.peer_moves) else ""
    own = size - d.contribution
    head = (
        f"{what} {_verb(d.factor_move)}{broadly} ({d.factor.label} {signed(d.factor_move, 2)}%): "
        f"with its usual beta {plain(d.beta, 2)} that is {signed(d.contribution, 2)} "
    )
    if d.contribution * size < 0:
        return (
            f"{head}against the {signed(size, 2)}{u}: its market pulled the other way, and its "
            f"own part beside its market, {signed(own, 2)}, is more than the whole move"
        )
    if own * size < 0:
        return (
            f"{head}of the {signed(size, 2)}{u}: its market more than explains the move; its "
            f"own part beside its market ran the other way, {signed(own, 2)}"
        )
    most = " (most of the move)" if abs(own) > abs(size) / 2 else ""
    return f"{head}of the {signed(size, 2)}{u}, {signed(own, 2)} its own beside its market{most}"


def _macro_lead(exp: Explanation) -> Driver | None:
    """The shown macro factor that carried most of the move its way."""
    att, size = exp.attribution, exp.move.size
    if att is None or size is None or att.r2 is None or att.r2 < WEAK_R2:
        return None
    same = [
        d
        for d in att.drivers
        if d.factor.kind == MACRO and d.shown and d.contribution and d.contribution * size > 0
    ]
    return max(same, key=lambda d: abs(d.contribution or 0.0), default=None)


def _macro_clause(exp: Explanation, d: Driver) -> str:
    size = exp.move.size or 0.0
    fm = d.factor_move or 0.0
    c = d.contribution or 0.0
    fid = d.factor.id
    unit = "bp" if BY_ID[fid].unit is not Unit.PRICE else "%"
    if fid in ("sp500", "nasdaq100"):
        what = f"the US equity {'sell-off' if fm < 0 else 'rally'}"
    elif fid == "dxy":
        what = f"the dollar's {'fall' if fm < 0 else 'rise'}"
    else:
        what = f"{d.factor.label}'s {'fall' if fm < 0 else 'rise'}"
    return (
        f"{what} ({d.factor.label} {signed(fm, 2)}{unit}) accounts for "
        f"{signed(c, 2)}{unit_of(exp.asset_id)} "
        f"({share_text(c / size)}) with "
        f"beta {plain(d.beta, 2)}"
    )


def _peers_clause(exp: Explanation) -> str | None:
    sign = 1 if (exp.move.size or 0) > 0 else -1
    with_it = [(p, v, z) for p, v, z in exp.peer_moves if z * sign >= 1]
    if not with_it:
        return None
    cls = CLASS_NAME.get(BY_ID[exp.asset_id].asset_class, "its class")
    u = unit_of
    peers = ", ".join(
        f"{BY_ID[p].name} {signed(v, 2)}{u(p)} ({signed(z, 1)}σ)" for p, v, z in with_it
    )
    return f"with its class ({cls}: {peers})"


def _unattributed(exp: Explanation, moved: list[Channel]) -> bool:
    named = any(h.score >= 4 for h in exp.headlines)
    market = market_split(exp) is not None and exp.kind.kind in ("asset_class", "market_wide")
    return not moved and not named and not market and exp.kind.kind in ("idiosyncratic", "mixed")


def compose(exp: Explanation) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The answer, the ranked findings and the limits of one explanation."""
    asset = BY_ID[exp.asset_id]
    m = exp.move
    head = f"{short_name(exp.asset_id)} {move_text(exp)} {when_text(exp)}"
    if m.size is None and m.change is None:
        said = (f"{asset.name}: {m.note or 'no move to explain'}.",)
        return said, said, limits_of(exp)
    if m.size is None:
        rank = (
            f", the #{m.rank_1y} largest {m.horizon.value} move of the past year in "
            f"{level_unit(exp.asset_id)}"
            if m.rank_1y
            else ""
        )
        answer = (
            f"{head}{rank}; its percent change is undefined (the base close was "
            f"{m.start_level:g}), so it is not sized in σ.",
        )
        return answer, findings_of(exp), limits_of(exp)
    if m.sigma is None and m.note:
        # Too little history to size it (the count is in the note): no kind rule applies.
        return (f"{head}: {m.note}.",), findings_of(exp), limits_of(exp)
    if exp.kind.kind == "quiet":
        answer = (f"{head}: a quiet move, {exp.kind.reason}; there is little to explain.",)
        return answer, findings_of(exp), limits_of(exp)
    clauses: list[str] = []
    split = market_split(exp)
    d = exp.attribution.market() if exp.attribution else None
    led = LED_BY.get(exp.asset_id)
    lead = ""
    if (
        led
        and d
        and d.factor_move is not None
        and d.factor_move * m.size > 0
        and abs(m.size) > abs(d.factor_move)
    ):
        lead = (
            f" led by {led} ({signed(m.size, 2)}% against the {d.factor.label}'s "
            f"{signed(d.factor_move, 2)}%)"
        )
    s = exp.shape
    if s is not None and s.reversal:
        times = f", {s.range_multiple:.1f} times its typical range" if s.range_multiple else ""
        on = "" if m.horizon is Horizon.D1 else f" on {m.day} itself"
        clauses.append(f"a reversal{lead}{on}: it {s.path}{times}")
    elif lead:
        clauses.append(lead.strip())
    if asset.region is Region.ASIA and exp.sequence and exp.sequence.regions[0].region == "us_prev":
        prev = exp.sequence.regions[0]
        lag = next(
            (
                x
                for x in (exp.attribution.drivers if exp.attribution else ())
                if x.factor.lagged and x.factor.id == "sp500"
            ),
            None,
        )
        tie = f"it followed New York's session of {prev.day}"
        if lag is not None and lag.factor_move is not None:
            tie += f" (S&P 500 {signed(lag.factor_move, 2)}%"
            tie += (
                f"; with beta {plain(lag.beta, 2)} that is {signed(lag.contribution, 2)} "
                "of the move)"
                if lag.contribution is not None
                else ")"
            )
        clauses.append(tie)
    if split:
        clauses.append(split)
    macro = _macro_lead(exp)
    sized: set[str] = set()  # channels whose factor the first sentence already sized
    if macro is not None and (macro.contribution or 0) / m.size >= 0.2:
        clauses.append(_macro_clause(exp, macro))
        sized = {c.id for c in exp.channels if any(i.id == macro.factor.id for i in c.items)}
    peers = _peers_clause(exp)
    if peers and asset.asset_class in (AssetClass.CRYPTO, AssetClass.PRECIOUS_METAL):
        clauses.insert(0, peers)
    if not clauses:
        clauses.append(f"{KIND_PHRASE.get(exp.kind.kind, exp.kind.kind)}: {exp.kind.reason}")
    first = f"{head}: " + "; ".join(clauses) + "."
    moved = [c for c in exp.channels if c.relevant and c.status == MOVED and c.id != "headlines"]
    if _unattributed(exp, moved):
        checked = sum(1 for c in exp.channels if c.relevant and c.status != NO_DATA)
        second = (
            f"Unattributed by the data: all {checked} checked channels were quiet and no "
            f"recorded headline names {asset.name}"
        )
        return (first, second.rstrip(".") + "."), findings_of(exp), limits_of(exp)
    parts: list[str] = []
    for x in exp.leaders[:1]:
        verb = "led it" if x.led else "fell with it" if x.move_pct < 0 else "rose with it"
        opened = f" after opening {signed(x.open_pct, 2)}%" if x.open_pct is not None else ""
        parts.append(
            f"{short_name(x.id)} {verb}, {signed(x.move_pct, 2)}% ({signed(x.z, 1)}σ){opened}"
        )
    used = sized | ({"equities"} if split or asset.region is Region.ASIA else set())
    # Crypto is one line of an equity's story at most: it comes last, and only when room is left.
    ranked = sorted(moved, key=lambda c: c.id == "risk_appetite")
    extra = [c for c in ranked if c.id not in used][:ANSWER_CHANNELS]
    if sum(c.id != "risk_appetite" for c in extra) >= 2:
        extra = [c for c in extra if c.id != "risk_appetite"]
    clauses2 = [channel_clause(c, exp) for c in extra]
    parts += [c for c in dict.fromkeys(clauses2) if c]
    att = exp.attribution
    if not split and att and att.residual is not None and att.r2 is not None and att.r2 >= WEAK_R2:
        share = att.residual / m.size
        u = unit_of(exp.asset_id)
        parts.append(
            f"{signed(att.residual, 2)}{u} ({share_text(share)}) stays unexplained by its factors"
        )
    hl = timely_headline(exp)
    if hl is not None:
        parts.append(
            f"during the session: \u201c{hl.title}\u201d ({hl.source}, {hl.time:%H:%M} UTC)"
        )
    if not parts:
        return (first,), findings_of(exp), limits_of(exp)
    second = parts[0][0].upper() + parts[0][1:]
    second = "; ".join([second, *parts[1:]]) + "."
    return (first, second), findings_of(exp), limits_of(exp)


def is_unattributed(exp: Explanation) -> bool:
    """True when the answer says the data leave the move unattributed."""
    return any(s.startswith("Unattributed by the data") for s in exp.answer)


def market_driver(exp: Explanation) -> Driver | None:
    """The asset's market factor, when shown."""
    att = exp.attribution
    d = att.market() if att else None
    return d if d is not None and d.shown and d.factor.kind == MARKET else None
