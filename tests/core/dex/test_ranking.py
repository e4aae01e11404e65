"""Ranking by net value: cases where the gross-best route is not the net-best."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.dex.ranking import rank_quotes
from core.dex.types import NATIVE, Quote, QuoteRequest, TokenRef

USDC = TokenRef("0xA0b86991c6218b36c1d19D4a2E9Eb0cE3606eB48", 6, "USDC")
ETH = TokenRef(NATIVE, 18, "ETH")
TAKER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
REQUEST = QuoteRequest(1, ETH, USDC, 10**18, TAKER)
GWEI = 10**9


def quote(provider: str, usdc: str, gas: int | None) -> Quote:
    amount = int(Decimal(usdc) * 10**6)
    return Quote(provider, REQUEST, amount, amount * 995 // 1000, gas, None)


# (name, quotes, gas price gwei, native price, expected order) — each checked by hand:
# net = usdc x 1.00 - gas x gwei x 1e-9 x eth_price
CASES = [
    (
        "more output but far more gas loses",
        [quote("a", "3000.00", 900_000), quote("b", "2998.00", 150_000)],
        20,
        "3000",
        # a: 3000 - 0.018 ETH x 3000 = 2946.00; b: 2998 - 0.003 x 3000 = 2989.00
        ["b", "a"],
    ),
    (
        "even at 1 gwei the lighter route wins by 0.25",
        [quote("a", "3000.00", 900_000), quote("b", "2998.00", 150_000)],
        1,
        "3000",
        # a: 3000 - 2.70 = 2997.30; b: 2998 - 0.45 = 2997.55 -> b still, by 0.25
        ["b", "a"],
    ),
    (
        "at near-zero gas the gross winner wins",
        [quote("a", "3000.00", 900_000), quote("b", "2998.00", 150_000)],
        0,
        "3000",
        ["a", "b"],
    ),
    (
        "unknown gas ranks last even with the most output",
        [
            quote("a", "3100.00", None),
            quote("b", "2990.00", 200_000),
            quote("c", "2995.00", 250_000),
        ],
        10,
        "3000",
        # b: 2990 - 6.0 = 2984.0; c: 2995 - 7.5 = 2987.5
        ["c", "b", "a"],
    ),
]


@pytest.mark.parametrize(
    ("name", "quotes", "gwei", "eth", "order"), CASES, ids=[c[0] for c in CASES]
)
def test_net_ranking(name: str, quotes: list[Quote], gwei: int, eth: str, order: list[str]) -> None:
    ranked = rank_quotes(
        quotes, buy_price=Decimal("1"), native_price=Decimal(eth), gas_price_wei=gwei * GWEI
    )
    assert [r.quote.provider for r in ranked] == order
    assert ranked[0].gap_to_best in (Decimal(0), None)


def test_figures_are_exact() -> None:
    ranked = rank_quotes(
        [quote("a", "3000.00", 900_000), quote("b", "2998.00", 150_000)],
        buy_price=Decimal("1"),
        native_price=Decimal("3000"),
        gas_price_wei=20 * GWEI,
    )
    b, a = ranked
    assert b.gas_cost == Decimal("9") and b.net_value == Decimal("2989")
    assert a.gas_cost == Decimal("54") and a.net_value == Decimal("2946")
    assert a.gap_to_best == Decimal("43")


def test_l1_data_fee_is_charged_on_top() -> None:
    ranked = rank_quotes(
        [quote("a", "3000.00", 100_000), quote("b", "3000.50", 100_000)],
        buy_price=Decimal("1"),
        native_price=Decimal("3000"),
        gas_price_wei=GWEI,
        l1_fee_wei={"b": 10**15},  # 0.001 ETH = 3 USD of L1 data fee
    )
    assert [r.quote.provider for r in ranked] == ["a", "b"]


def test_without_prices_rank_by_output_with_known_gas_first() -> None:
    ranked = rank_quotes(
        [quote("a", "3100", None), quote("b", "3000", 1), quote("c", "3050", 1)],
        buy_price=None,
        native_price=None,
        gas_price_wei=None,
    )
    assert [r.quote.provider for r in ranked] == ["c", "b", "a"]
    assert all(r.net_value is None for r in ranked)
