"""Hostile or broken provider replies are refused before signing, each with its reason."""

from __future__ import annotations

import pytest

from core.dex.errors import GuardRefusal, ProviderError, SwapError
from core.dex.guard import Guard
from tests.core.dex.conftest import Dex
from tests.core.dex.test_provider_contract import request

CASES = [
    ("wrong_router", True, "router"),
    ("wrong_spender", False, "spender"),
    ("inflated_value", False, "value"),
    ("inflated_value", True, "value"),
    ("min_out_below_bound", True, "min-out"),
    ("reverting", True, "simulation"),
    ("pay_third_party", True, "recipient"),
    ("pay_third_party", False, "recipient"),
]


@pytest.mark.parametrize("name", ["0x", "okx", "paraswap", "kyberswap", "rubic"])
@pytest.mark.parametrize(("knob", "native", "check"), CASES)
async def test_each_mischief_is_refused_with_its_reason(
    dex: Dex, name: str, knob: str, native: bool, check: str
) -> None:
    setattr(dex.fakes[name].mischief, knob, True)
    p = dex.app.swaps.aggregator.provider(name)
    req = request(dex, sell_native=native)
    try:
        quote = await p.quote(req)
        swap = await p.build(quote)
        await Guard(dex.app.clients.get(dex.world.chain_id)).check(swap, p)
    except GuardRefusal as refusal:
        # KyberSwap and ParaSwap state no minimum in their reply: calldata we cannot read
        # (here, a call that would revert) is refused at the min-out check, before simulating.
        unreadable = knob == "reverting" and name in ("kyberswap", "paraswap")
        assert refusal.check == ("min-out" if unreadable else check), refusal.user_message
        assert refusal.provider == name
        return
    except ProviderError as error:
        # A provider module may refuse first (an allowance target that changed, a chain that
        # does not match); that is also a refusal before signing.
        assert knob in ("wrong_spender",), error.user_message
        return
    pytest.fail(f"{name} with {knob} was not refused")


@pytest.mark.parametrize("name", ["okx", "paraswap"])
async def test_a_reply_for_another_chain_is_refused(dex: Dex, name: str) -> None:
    dex.fakes[name].mischief.wrong_chain = True
    p = dex.app.swaps.aggregator.provider(name)
    with pytest.raises(ProviderError, match="reply is for chain 1"):
        quote = await p.quote(request(dex))
        await p.build(quote)


async def test_nothing_is_signed_when_every_route_is_refused(dex: Dex) -> None:
    for fake in dex.fakes.values():
        fake.mischief.pay_third_party = True
    req = request(dex)
    results = await dex.app.swaps.quote_all(req)
    quotes = [r for r in results if not hasattr(r, "reason")]
    before = int(
        str(dex.world.anvil.rpc("eth_getTransactionCount", [dex.wallet.address, "latest"])), 16
    )
    with pytest.raises(SwapError) as caught:
        await dex.app.swaps.execute(quotes, dex.wallet.id, "all-refused")  # type: ignore[arg-type]
    for name in ("0x", "okx", "rubic", "kyberswap", "paraswap"):
        assert name in caught.value.user_message
    after = int(
        str(dex.world.anvil.rpc("eth_getTransactionCount", [dex.wallet.address, "latest"])), 16
    )
    assert after == before
    assert await dex.app.journal.by_key("all-refused:swap") is None
    assert await dex.app.journal.by_key("all-refused:approve") is None
