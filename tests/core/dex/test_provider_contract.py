"""One contract suite, run against every provider module talking to its fake of the real API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.dex.errors import ProviderError
from core.dex.guard import Guard
from core.dex.types import Quote, QuoteRequest, TokenRef
from tests.core.dex.conftest import PROVIDERS, Dex
from tests.fakes.dex.world import NATIVE


def request(dex: Dex, sell_native: bool = True) -> QuoteRequest:
    usd = TokenRef(dex.world.usd.address, 6, "DUSD")
    eth = TokenRef(NATIVE, 18, "ETH")
    if sell_native:
        return QuoteRequest(dex.world.chain_id, eth, usd, 10**17, dex.wallet.address, 50)
    return QuoteRequest(dex.world.chain_id, usd, eth, 150 * 10**6, dex.wallet.address, 50)


def provider(dex: Dex, name: str):  # type: ignore[no-untyped-def]
    return dex.app.swaps.aggregator.provider(name)


@pytest.mark.parametrize("name", PROVIDERS)
@pytest.mark.parametrize("sell_native", [True, False], ids=["native-sell", "token-sell"])
async def test_quote_and_build_pass_the_guard(dex: Dex, name: str, sell_native: bool) -> None:
    p = provider(dex, name)
    req = request(dex, sell_native)
    quote = await p.quote(req)
    assert isinstance(quote, Quote) and quote.provider == name
    assert quote.buy_amount == dex.world.quote(req.sell.address, req.buy.address, req.sell_amount)
    assert quote.min_buy_amount == quote.buy_amount * 9950 // 10000
    if not sell_native:
        # KyberSwap's router is its own spender; the others name a separate allowance holder.
        expected = dex.world.router if name == "kyberswap" else dex.world.holder
        assert quote.allowance_target == expected
    swap = await p.build(quote)
    assert swap.to == dex.world.router
    assert swap.value == (req.sell_amount if sell_native else 0)
    simulated = await Guard(dex.app.clients.get(dex.world.chain_id)).check(swap, p)
    assert simulated.received == quote.buy_amount
    assert simulated.spent == req.sell_amount


@pytest.mark.parametrize("name", PROVIDERS)
@pytest.mark.parametrize(
    ("knob", "words"),
    [
        ("malformed_json", "malformed reply"),
        ("huge_body", "reply too large"),
        ("http_500", "HTTP 500"),
    ],
)
async def test_broken_replies_are_provider_errors_never_zero(
    dex: Dex, name: str, knob: str, words: str
) -> None:
    setattr(dex.fakes[name].mischief, knob, True)
    with pytest.raises(ProviderError) as caught:
        await provider(dex, name).quote(request(dex))
    assert caught.value.provider == name
    if knob != "http_500" or name not in ("okx", "rubic", "kyberswap"):
        assert words in caught.value.reason
    else:  # these put the HTTP status into their own error envelopes
        assert "500" in caught.value.reason or "error" in caught.value.reason


async def test_zeroex_without_a_key_is_told_so(dex: Dex) -> None:
    await dex.app.wallets.keystore.store_text("provider:0x:api-key", _secret("wrong"))
    with pytest.raises(ProviderError, match="HTTP 401"):
        await provider(dex, "0x").quote(request(dex))


async def test_okx_signature_is_verified_by_the_fake(dex: Dex) -> None:
    from core.dex.setup import okx_credentials_text
    from tests.fakes.dex import okx as fake

    bad = okx_credentials_text(fake.API_KEY, "not-the-secret", fake.PASSPHRASE)
    await dex.app.wallets.keystore.store_text("provider:okx:api-key", _secret(bad))
    with pytest.raises(ProviderError, match="signature rejected"):
        await provider(dex, "okx").quote(request(dex))


async def test_business_errors_under_http_200_and_no_liquidity(dex: Dex) -> None:
    dex.fakes["okx"].insufficient_liquidity = True  # type: ignore[attr-defined]
    with pytest.raises(ProviderError, match="not enough liquidity"):
        await provider(dex, "okx").quote(request(dex))
    dex.fakes["0x"].no_liquidity = True  # type: ignore[attr-defined]
    with pytest.raises(ProviderError, match="no liquidity"):
        await provider(dex, "0x").quote(request(dex))


async def test_rubic_sends_decimal_units_and_needs_a_live_id(dex: Dex) -> None:
    quote = await provider(dex, "rubic").quote(request(dex))
    body = dex.fakes["rubic"].requests[-1].body
    assert body["srcTokenAmount"] == "0.1" and body["slippage"] == 0.005
    dex.fakes["rubic"].quotes.clear()  # type: ignore[attr-defined]  # the id expired
    with pytest.raises(ProviderError, match="re-quote"):
        await provider(dex, "rubic").build(quote)


async def test_null_gas_is_unknown_not_zero(dex: Dex) -> None:
    dex.fakes["0x"].mischief.no_gas = True
    quote = await provider(dex, "0x").quote(request(dex))
    assert quote.gas_units is None
    ranked = await dex.app.swaps.rank([quote])
    assert ranked[0].gas_cost is None and ranked[0].net_value is None


def _secret(text: str):  # type: ignore[no-untyped-def]
    from core.wallet.secret import Secret

    return Secret(text)


_ = Decimal
