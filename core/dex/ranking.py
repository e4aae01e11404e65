"""Rank quotes by what the person really receives: output value minus the cost of gas.

net = buy_amount x buy_price - gas_units x gas_price x native_price (+ L1 data fee when known).
A quote whose gas is unknown cannot be compared on net terms and ranks after every quote whose
gas is known. Without a price for the bought token, quotes rank by raw output (gas known first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from core.dex.types import Quote, RankedQuote
from core.money import to_decimal

__all__ = ["rank_quotes"]


def rank_quotes(
    quotes: Sequence[Quote],
    *,
    buy_price: Decimal | None,
    native_price: Decimal | None,
    gas_price_wei: int | None,
    l1_fee_wei: Mapping[str, int] | None = None,
) -> list[RankedQuote]:
    l1 = l1_fee_wei or {}
    rows: list[RankedQuote] = []
    for quote in quotes:
        out_value = (
            to_decimal(quote.buy_amount, quote.request.buy.decimals) * buy_price
            if buy_price is not None
            else None
        )
        gas_cost: Decimal | None = None
        if quote.gas_units is not None and gas_price_wei is not None and native_price is not None:
            fee_wei = quote.gas_units * gas_price_wei + l1.get(quote.provider, 0)
            gas_cost = to_decimal(fee_wei, 18) * native_price
        net = out_value - gas_cost if out_value is not None and gas_cost is not None else None
        rows.append(RankedQuote(quote, out_value, gas_cost, net, None))

    def key(row: RankedQuote) -> tuple[int, Decimal, int]:
        if row.net_value is not None:
            return (0, -row.net_value, -row.quote.buy_amount)
        gas_known = 1 if row.quote.gas_units is not None else 2
        return (gas_known, Decimal(0), -row.quote.buy_amount)

    rows.sort(key=key)
    best = rows[0].net_value if rows else None
    return [
        RankedQuote(
            r.quote,
            r.out_value,
            r.gas_cost,
            r.net_value,
            best - r.net_value if best is not None and r.net_value is not None else None,
        )
        for r in rows
    ]
