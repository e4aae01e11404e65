"""Alert rules and their evaluation, as pure functions: no I/O, no clock, no globals.

A threshold rule fires when its metric *crosses* the threshold, not while it stays beyond it.
Two guards keep a value hovering at the threshold from spamming:

- hysteresis: after firing, the rule is disarmed until the metric has moved back past the
  re-arm level (the threshold moved ``hysteresis_pct`` percent back towards safety);
- cooldown: a rule never fires twice within ``cooldown_s``. A crossing inside the cooldown keeps
  the rule armed, so it fires at the first reading after the cooldown if the condition still
  holds.

On its first reading a price-level rule only learns where the price stands: if it is already
beyond the level, the person set the level knowing that, so the rule waits for the next crossing
(its status says so). The other kinds (a % move, a drawdown, a high volatility forecast, a good
swap quote) are news whenever first seen, so they fire on a first reading that holds.
Event rules (transaction confirmed/failed) fire once per matching event, cooldown permitting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

__all__ = [
    "EVENT_KINDS",
    "KINDS",
    "THRESHOLD_KINDS",
    "AssetRef",
    "Decision",
    "Rule",
    "RuleKind",
    "RuleState",
    "SwapTarget",
    "describe",
    "drawdown_pct",
    "evaluate_event",
    "evaluate_threshold",
    "in_cooldown",
    "metric_for_move",
    "pct_change",
]

RuleKind = Literal[
    "price_above",
    "price_below",
    "pct_move",
    "drawdown",
    "volatility_above",
    "tx_confirmed",
    "tx_failed",
    "swap_quote",
]
Direction = Literal["up", "down", "either"]

THRESHOLD_KINDS: tuple[RuleKind, ...] = (
    "price_above",
    "price_below",
    "pct_move",
    "drawdown",
    "volatility_above",
    "swap_quote",
)
EVENT_KINDS: tuple[RuleKind, ...] = ("tx_confirmed", "tx_failed")
KINDS: tuple[RuleKind, ...] = (*THRESHOLD_KINDS, *EVENT_KINDS)
_CROSSING_KINDS: tuple[RuleKind, ...] = ("price_above", "price_below")

#: which page a notification about this kind of rule opens
PAGE_FOR_KIND: dict[str, str] = {
    "price_above": "Portfolio",
    "price_below": "Portfolio",
    "pct_move": "Portfolio",
    "drawdown": "Portfolio",
    "volatility_above": "Insights",
    "tx_confirmed": "Activity",
    "tx_failed": "Activity",
    "swap_quote": "Swap",
}


@dataclass(frozen=True)
class AssetRef:
    """An asset as the price service knows it: chain, and lower-case address or "native"."""

    chain_id: int
    token: str
    symbol: str

    @property
    def key(self) -> tuple[int, str]:
        return (self.chain_id, self.token)

    def label(self) -> str:
        return f"{self.symbol}@{self.chain_id}"


@dataclass(frozen=True)
class SwapTarget:
    """The swap a quote rule asks about: sell ``amount`` (human units) of ``sell`` for ``buy``."""

    chain_id: int
    sell: str
    buy: str
    amount: str
    taker: str


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    name: str
    #: price (USD) | percent (pct_move, drawdown, annualised volatility) | minimum output amount
    threshold: Decimal | None = None
    asset: AssetRef | None = None
    window_s: int | None = None
    direction: Direction = "either"
    cooldown_s: int = 900
    hysteresis_pct: Decimal = Decimal("1")
    enabled: bool = True
    swap: SwapTarget | None = None
    id: int | None = None
    #: a stable id across devices, so rules can sync
    uid: str = ""

    @property
    def page(self) -> str:
        return PAGE_FOR_KIND[self.kind]


@dataclass(frozen=True)
class RuleState:
    """What a rule remembers between readings; persisted so a restart neither forgets a
    cooldown nor re-fires an old crossing."""

    #: None until the first reading; True when a crossing would fire
    armed: bool | None = None
    last_fired_at: datetime | None = None
    last_value: Decimal | None = None
    status: str = "waiting for the first reading"


@dataclass(frozen=True)
class Decision:
    fired: bool
    state: RuleState
    message: str = ""
    value: Decimal | None = field(default=None)


def in_cooldown(state: RuleState, now: datetime, cooldown_s: int) -> bool:
    if state.last_fired_at is None or cooldown_s <= 0:
        return False
    return now - state.last_fired_at < timedelta(seconds=cooldown_s)


def _above(kind: RuleKind) -> bool:
    """Whether the rule fires when its metric rises to the threshold (all but price_below)."""
    return kind != "price_below"


def _fmt(value: Decimal) -> str:
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def describe(rule: Rule, value: Decimal) -> str:
    """The notification text: what happened, with the computed figure and the threshold."""
    threshold = rule.threshold if rule.threshold is not None else Decimal(0)
    asset = rule.asset.label() if rule.asset else ""
    window = f" within {_window(rule.window_s)}" if rule.window_s else ""
    match rule.kind:
        case "price_above":
            return f"{asset} is at {_fmt(value)} USD, above {_fmt(threshold)} USD"
        case "price_below":
            return f"{asset} is at {_fmt(value)} USD, below {_fmt(threshold)} USD"
        case "pct_move":
            return f"{asset} moved {value:+.2f}%{window} (alert at {_fmt(threshold)}%)"
        case "drawdown":
            return (
                f"portfolio value is {value:.2f}% below its peak{window} "
                f"(alert at {_fmt(threshold)}%)"
            )
        case "volatility_above":
            return (
                f"forecast volatility of {asset} is {value:.1f}% annualised, "
                f"above {_fmt(threshold)}%"
            )
        case "swap_quote":
            swap = rule.swap
            what = f"{swap.amount} {swap.sell} -> {swap.buy}" if swap else "swap"
            return f"best quote for {what} gives {_fmt(value)}, target {_fmt(threshold)}"
        case _:
            return f"{rule.kind} at {_fmt(value)}"


def _window(seconds: int) -> str:
    if seconds % 86400 == 0:
        return f"{seconds // 86400} d"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def metric_for_move(change_pct: Decimal, direction: Direction) -> Decimal:
    """How far a % change goes in the direction the rule watches (negative: the other way)."""
    if direction == "up":
        return change_pct
    if direction == "down":
        return -change_pct
    return abs(change_pct)


def evaluate_threshold(
    rule: Rule,
    state: RuleState,
    value: Decimal | None,
    now: datetime,
    *,
    missing: str = "no reading available",
    shown: Decimal | None = None,
) -> Decision:
    """One reading of a threshold rule. ``value`` is the metric compared with the threshold
    (None: nothing to compare, the status says why and nothing fires). ``shown`` is the figure
    put in the message when it differs from the metric (a signed % move)."""
    if value is None or rule.threshold is None:
        return Decision(False, replace(state, status=missing))
    threshold = rule.threshold
    band = threshold.copy_abs() * rule.hysteresis_pct / 100
    if _above(rule.kind):
        holds, rearm = value >= threshold, value < threshold - band
    else:
        holds, rearm = value <= threshold, value > threshold + band
    armed = state.armed
    if armed is None and rule.kind in _CROSSING_KINDS:
        status = (
            "condition already holds; fires at the next crossing" if holds else "armed, watching"
        )
        return Decision(False, replace(state, armed=not holds, last_value=value, status=status))
    if armed is None:
        armed = True  # news whenever first seen: a drawdown, a high forecast, a good quote
    if not armed and rearm:
        armed = True
    if armed and holds:
        if in_cooldown(state, now, rule.cooldown_s):
            status = "crossed inside the cooldown; fires after it if it still holds"
            return Decision(False, replace(state, armed=True, last_value=value, status=status))
        message = describe(rule, shown if shown is not None else value)
        fired_state = RuleState(False, now, value, f"fired at {now:%Y-%m-%d %H:%M:%S} UTC")
        return Decision(True, fired_state, message, shown if shown is not None else value)
    if armed:
        status = "armed, watching"
    else:
        status = "fired; re-arms when the value moves back past the hysteresis band"
    return Decision(False, replace(state, armed=armed, last_value=value, status=status))


def evaluate_event(
    rule: Rule, state: RuleState, tx_state: str, label: str, now: datetime
) -> Decision:
    """A transaction reached ``tx_state``; fire if the rule watches that outcome."""
    wanted = "confirmed" if rule.kind == "tx_confirmed" else "failed"
    if rule.kind not in EVENT_KINDS or tx_state != wanted:
        return Decision(False, state)
    if in_cooldown(state, now, rule.cooldown_s):
        return Decision(False, replace(state, status=f"{label} {wanted} inside the cooldown"))
    return Decision(
        True,
        RuleState(True, now, None, f"fired at {now:%Y-%m-%d %H:%M:%S} UTC"),
        f"transaction {label} {wanted}",
    )


def pct_change(
    samples: Sequence[tuple[datetime, Decimal]], now: datetime, window_s: int
) -> Decimal | None:
    """Percent change from the price at the start of the window to the latest price.

    ``samples`` are (time, price) in time order. The start price is the last sample at or before
    ``now - window``; None until the samples reach back that far (no guessing).
    """
    if not samples:
        return None
    start = now - timedelta(seconds=window_s)
    base: Decimal | None = None
    for moment, price in samples:
        if moment <= start:
            base = price
        else:
            break
    if base is None or base <= 0:
        return None
    return (samples[-1][1] - base) / base * 100


def drawdown_pct(
    points: Sequence[tuple[datetime, Decimal]], now: datetime, window_s: int | None
) -> Decimal | None:
    """How far (in %) the latest value is below the peak inside the window; None without data."""
    start = now - timedelta(seconds=window_s) if window_s else None
    inside = [v for t, v in points if start is None or t >= start]
    if not inside:
        return None
    peak = max(inside)
    if peak <= 0:
        return None
    return (peak - inside[-1]) / peak * 100
