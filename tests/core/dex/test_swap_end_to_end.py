"""Whole swaps on anvil: quote -> rank -> guard -> approve -> sign -> broadcast -> balances."""

from __future__ import annotations

from core.dex.types import Quote
from core.wallet import erc20
from tests.core.dex.conftest import Dex
from tests.core.dex.test_provider_contract import request


def eth(dex: Dex) -> int:
    return int(str(dex.world.anvil.rpc("eth_getBalance", [dex.wallet.address, "latest"])), 16)


async def dusd(dex: Dex) -> int:
    return await erc20.balance_of(
        dex.app.clients.get(dex.world.chain_id), dex.world.usd.address, dex.wallet.address
    )


async def ranked_quotes(dex: Dex, native: bool) -> list[Quote]:
    results = await dex.app.swaps.quote_all(request(dex, sell_native=native))
    quotes = [r for r in results if isinstance(r, Quote)]
    assert {q.provider for q in quotes} == {"0x", "okx", "rubic", "kyberswap", "paraswap"}
    return [r.quote for r in await dex.app.swaps.rank(quotes)]


async def test_token_sell_approves_exactly_and_swaps(dex: Dex) -> None:
    quotes = await ranked_quotes(dex, native=False)
    usd_before, eth_before = await dusd(dex), eth(dex)
    outcome = await dex.app.swaps.execute(quotes, dex.wallet.id, "swap-token-1")
    assert outcome.swap.state == "confirmed"
    assert outcome.approval is not None and outcome.approval.state == "confirmed"
    assert usd_before - await dusd(dex) == 150 * 10**6
    received = quotes[0].buy_amount  # what the chosen route quoted (the router's fixed rate)
    gas_paid = eth_before + received - eth(dex)
    assert 0 < gas_paid < 10**16  # only gas was spent beyond the swap itself
    # exact approval: nothing left approved after the swap spent it
    allowance = dex.world.allowance(dex.world.usd.address, dex.wallet.address)
    assert allowance == 0


async def test_repeating_a_key_returns_the_first_swap(dex: Dex) -> None:
    quotes = await ranked_quotes(dex, native=True)
    first = await dex.app.swaps.execute(quotes, dex.wallet.id, "swap-once")
    usd_after_first = await dusd(dex)
    again = await dex.app.swaps.execute(quotes, dex.wallet.id, "swap-once")
    assert again.swap.tx_hash == first.swap.tx_hash
    assert await dusd(dex) == usd_after_first


async def test_fallback_to_the_next_route_says_why(dex: Dex) -> None:
    quotes = await ranked_quotes(dex, native=True)
    best = quotes[0].provider
    dex.fakes[best].mischief.wrong_router = True
    usd_before = await dusd(dex)
    outcome = await dex.app.swaps.execute(quotes, dex.wallet.id, "swap-fallback")
    assert outcome.provider == quotes[1].provider
    assert [name for name, _ in outcome.skipped] == [best]
    assert "router" in outcome.skipped[0][1]
    assert await dusd(dex) - usd_before == quotes[1].buy_amount
