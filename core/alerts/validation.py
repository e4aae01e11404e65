"""Refuse bad rules with a message a person can act on, before anything is written.

Also parses what people type: windows like ``15m``, ``4h``, ``1d`` and assets like ``ETH``,
``USDC@8453`` or ``0x...@1``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from core.alerts.rules import EVENT_KINDS, KINDS, AssetRef, Rule
from core.errors import CoreError
from core.portfolio.prices.base import NATIVE_KEY
from core.portfolio.tokens import TokenInfo
from core.settings import Settings

__all__ = [
    "AlertRuleError",
    "parse_decimal",
    "parse_window",
    "resolve_asset",
    "validate_rule",
]

MAX_WINDOW_S = 90 * 86400
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_ASSET_KINDS = ("price_above", "price_below", "pct_move", "volatility_above")


class AlertRuleError(CoreError):
    title = "Invalid alert rule"


def parse_window(text: str) -> int:
    """``90s``, ``15m``, ``4h``, ``1d`` (a bare number means minutes) -> seconds."""
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(s|m|min|h|d)?\s*", text or "")
    if match is None:
        raise AlertRuleError(f"{text!r} is not a time window; write e.g. 15m, 4h or 1d.")
    amount = Decimal(match.group(1))
    seconds = amount * _UNITS[match.group(2) or "m"]
    if seconds <= 0:
        raise AlertRuleError(f"The window must be longer than zero, not {text.strip()}.")
    return int(seconds)


def parse_decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        raise AlertRuleError(f"{what}: {text!r} is not a number.") from None
    if not value.is_finite():
        raise AlertRuleError(f"{what} must be a finite number.")
    return value


def validate_rule(rule: Rule) -> None:
    """Raise AlertRuleError naming the first problem; return quietly for a good rule."""
    if rule.kind not in KINDS:
        raise AlertRuleError(f"Unknown alert kind {rule.kind!r}; choose one of {', '.join(KINDS)}.")
    if not rule.name.strip():
        raise AlertRuleError("Give the alert a name.")
    if len(rule.name) > 100:
        raise AlertRuleError("Keep the alert name under 100 characters.")
    if rule.cooldown_s < 0:
        raise AlertRuleError("The cooldown cannot be negative.")
    if not 0 <= rule.hysteresis_pct <= 50:
        raise AlertRuleError("Hysteresis is a percentage between 0 and 50.")
    if rule.window_s is not None and rule.window_s <= 0:
        raise AlertRuleError(
            f"The window must be a positive duration, not {rule.window_s} seconds."
        )
    if rule.window_s is not None and rule.window_s > MAX_WINDOW_S:
        raise AlertRuleError("The window can be at most 90 days.")
    if rule.kind in _ASSET_KINDS and rule.asset is None:
        raise AlertRuleError("Choose the asset this alert watches.")
    if rule.kind in EVENT_KINDS:
        return
    threshold = rule.threshold
    if threshold is None or not threshold.is_finite():
        raise AlertRuleError("Set the level at which the alert fires.")
    if rule.kind in ("price_above", "price_below") and threshold <= 0:
        raise AlertRuleError("A price level must be more than zero.")
    if rule.kind == "pct_move":
        if rule.window_s is None:
            raise AlertRuleError("A % move alert needs a window, e.g. 1h.")
        if not 0 < threshold <= 1000:
            raise AlertRuleError("The % move must be more than 0 and at most 1000.")
    if rule.kind == "drawdown" and not 0 < threshold < 100:
        raise AlertRuleError("A drawdown is a percentage between 0 and 100 (e.g. 10).")
    if rule.kind == "volatility_above" and not 0 < threshold <= 1000:
        raise AlertRuleError("Volatility is annualised, in percent: more than 0, e.g. 80.")
    if rule.kind == "swap_quote":
        if rule.swap is None:
            raise AlertRuleError("A swap-quote alert needs the swap: chain, sell, buy, amount.")
        if threshold <= 0:
            raise AlertRuleError("The target output must be more than zero.")
        amount = parse_decimal(rule.swap.amount, "Amount to sell")
        if amount <= 0:
            raise AlertRuleError("The amount to sell must be more than zero.")


def resolve_asset(
    text: str, settings: Settings, tokens: Mapping[int, Sequence[TokenInfo]]
) -> AssetRef:
    """``SYMBOL`` (first enabled chain that knows it), ``SYMBOL@CHAIN`` or ``0xADDRESS@CHAIN``.

    ``tokens`` are the known tokens per chain (curated plus the person's own). An asset that no
    enabled chain knows is refused: an alert on it could never fire.
    """
    raw = (text or "").strip()
    if not raw:
        raise AlertRuleError("Choose the asset this alert watches, e.g. ETH or USDC@8453.")
    name, _, chain_text = raw.partition("@")
    chains = [c for c in settings.chains if c.enabled]
    if chain_text:
        try:
            chain_id = int(chain_text)
        except ValueError:
            raise AlertRuleError(f"{chain_text!r} is not a chain id (e.g. 1, 8453).") from None
        chains = [c for c in chains if c.chain_id == chain_id]
        if not chains:
            raise AlertRuleError(f"Chain {chain_id} is not configured or not enabled.")
    wanted = name.strip().lower()
    for chain in chains:
        if wanted in (NATIVE_KEY, chain.native_symbol.lower()):
            return AssetRef(chain.chain_id, NATIVE_KEY, chain.native_symbol)
        for token in tokens.get(chain.chain_id, ()):
            if wanted in (token.symbol.lower(), token.address.lower()):
                return AssetRef(chain.chain_id, token.address.lower(), token.symbol)
    where = f"chain {chains[0].chain_id}" if chain_text and chains else "any enabled chain"
    raise AlertRuleError(
        f"Unknown asset {raw!r}: it is not the native coin or a known token on {where}.",
        hint="add the token under Portfolio first, or write SYMBOL@CHAIN_ID",
    )
