"""Turn what a person typed (GUI form or CLI options, all text) into a validated Rule.

The GUI and the CLI share this, so both refuse the same things with the same words.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from core.alerts.rules import KINDS, Rule, SwapTarget
from core.alerts.validation import (
    AlertRuleError,
    parse_decimal,
    parse_window,
    resolve_asset,
    validate_rule,
)
from core.portfolio.tokens import TokenInfo
from core.settings import Settings

__all__ = ["RuleForm", "build_rule", "form_from_rule"]

TokensFor = Callable[[int], Awaitable[Sequence[TokenInfo]]]


@dataclass(frozen=True)
class RuleForm:
    kind: str
    name: str = ""
    asset: str = ""
    threshold: str = ""
    window: str = ""
    direction: str = "either"
    cooldown: str = "15m"
    hysteresis_pct: str = "1"
    enabled: bool = True
    #: swap-quote rules: chain id, sell, buy (address, "native" or the native symbol), amount
    swap_chain: str = ""
    swap_sell: str = ""
    swap_buy: str = ""
    swap_amount: str = ""
    swap_taker: str = ""
    id: int | None = None
    uid: str = ""


async def build_rule(form: RuleForm, settings: Settings, tokens_for: TokensFor) -> Rule:
    kind = form.kind.strip()
    if kind not in KINDS:
        raise AlertRuleError(f"Unknown alert kind {kind!r}; choose one of {', '.join(KINDS)}.")
    asset = None
    if kind in ("price_above", "price_below", "pct_move", "volatility_above"):
        chains = [c.chain_id for c in settings.chains if c.enabled]
        tokens = {chain_id: await tokens_for(chain_id) for chain_id in chains}
        asset = resolve_asset(form.asset, settings, tokens)
    threshold = None
    if form.threshold.strip():
        threshold = parse_decimal(form.threshold, "Level")
    window = parse_window(form.window) if form.window.strip() else None
    cooldown = 0 if form.cooldown.strip() in ("", "0") else parse_window(form.cooldown)
    hysteresis = parse_decimal(form.hysteresis_pct or "0", "Hysteresis")
    direction = form.direction.strip() or "either"
    if direction not in ("up", "down", "either"):
        raise AlertRuleError("Direction is up, down or either.")
    swap = None
    if kind == "swap_quote":
        swap = _swap(form, settings)
    name = form.name.strip() or _default_name(kind, asset.label() if asset else "", form)
    rule = Rule(
        kind=kind,  # narrowed by the KINDS check above
        name=name,
        threshold=threshold,
        asset=asset,
        window_s=window,
        direction=direction,  # type: ignore[arg-type]
        cooldown_s=cooldown,
        hysteresis_pct=hysteresis,
        enabled=form.enabled,
        swap=swap,
        id=form.id,
        uid=form.uid,
    )
    validate_rule(rule)
    return rule


def _swap(form: RuleForm, settings: Settings) -> SwapTarget:
    try:
        chain_id = int(form.swap_chain)
    except ValueError:
        raise AlertRuleError(f"{form.swap_chain!r} is not a chain id (e.g. 1, 8453).") from None
    settings.chain(chain_id)  # ConfigError when not configured
    if not form.swap_sell.strip() or not form.swap_buy.strip():
        raise AlertRuleError("Say which token to sell and which to buy.")
    if not form.swap_taker.strip():
        raise AlertRuleError(
            "A swap-quote alert quotes for one of your wallets; add a wallet first "
            "(a watch-only address is enough)."
        )
    amount = parse_decimal(form.swap_amount, "Amount to sell")
    if amount <= 0:
        raise AlertRuleError("The amount to sell must be more than zero.")
    return SwapTarget(
        chain_id,
        form.swap_sell.strip(),
        form.swap_buy.strip(),
        str(amount),
        form.swap_taker.strip(),
    )


def _default_name(kind: str, asset: str, form: RuleForm) -> str:
    level = form.threshold.strip()
    return {
        "price_above": f"{asset} above {level}",
        "price_below": f"{asset} below {level}",
        "pct_move": f"{asset} moves {level}% in {form.window.strip()}",
        "drawdown": f"portfolio down {level}%",
        "volatility_above": f"{asset} volatility above {level}%",
        "tx_confirmed": "transaction confirmed",
        "tx_failed": "transaction failed",
        "swap_quote": f"{form.swap_amount} {form.swap_sell} -> {form.swap_buy} >= {level}",
    }[kind]


def _window_text(seconds: int | None) -> str:
    if not seconds:
        return ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def form_from_rule(rule: Rule) -> RuleForm:
    """The form filled with a stored rule, for editing."""
    swap = rule.swap
    return RuleForm(
        kind=rule.kind,
        name=rule.name,
        asset=rule.asset.label() if rule.asset else "",
        threshold=str(rule.threshold) if rule.threshold is not None else "",
        window=_window_text(rule.window_s),
        direction=rule.direction,
        cooldown=_window_text(rule.cooldown_s) or "0",
        hysteresis_pct=str(rule.hysteresis_pct),
        enabled=rule.enabled,
        swap_chain=str(swap.chain_id) if swap else "",
        swap_sell=swap.sell if swap else "",
        swap_buy=swap.buy if swap else "",
        swap_amount=swap.amount if swap else "",
        swap_taker=swap.taker if swap else "",
        id=rule.id,
        uid=rule.uid,
    )
