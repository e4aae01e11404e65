"""Alerts fed by the real chain: a transaction confirmed on anvil, a swap quote from the
provider fakes (speaking each aggregator's real API) for a router deployed on anvil."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from core.alerts import FiredAlert, RuleForm
from core.app import CoreApp
from core.dex.types import NATIVE
from core.wallet.accounts import Wallet
from core.wallet.sender import SendRequest
from tests.core.dex.conftest import Dex, dex  # noqa: F401 - the wired DEX core fixture
from tests.core.wallet.conftest import core, funded  # noqa: F401 - anvil core and wallet
from tests.harness.anvil import AnvilNode


class Collect:
    def __init__(self) -> None:
        self.alerts: list[FiredAlert] = []

    def notify(self, alert: FiredAlert) -> None:
        self.alerts.append(alert)


async def test_confirmed_transaction_fires_once(
    core: CoreApp,  # noqa: F811
    funded: Wallet,  # noqa: F811
    anvil: AnvilNode,
) -> None:
    seen = Collect()
    core.alerts.attach_notifier(seen)
    confirmed = await core.alerts.save_form(RuleForm("tx_confirmed", cooldown="0"))
    await core.alerts.save_form(RuleForm("tx_failed", cooldown="0"))
    request = SendRequest(
        anvil.chain_id, funded.id, "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0.01"
    )
    sent = await core.sender.send(request, "alert-tx-1")
    result = await core.sender.wait(sent.intent_id, timeout_s=30)
    assert result.state == "confirmed"
    async with asyncio.timeout(10):
        while not seen.alerts:
            await asyncio.sleep(0.02)
    await core.sender.check(sent.intent_id)  # the same outcome heard again: no second alert
    await asyncio.sleep(0.2)
    (alert,) = seen.alerts
    assert alert.rule_id == confirmed.id and alert.page == "Activity"
    assert alert.message == f"transaction #{sent.intent_id} ({result.tx_hash[:10]}…) confirmed"
    assert [h.rule_id for h in await core.alerts.history()] == [confirmed.id]


async def test_swap_quote_better_than_the_target(dex: Dex) -> None:  # noqa: F811
    app, world = dex.app, dex.world
    amount = 10**17  # 0.1 ETH
    best = Decimal(world.quote(NATIVE, world.usd.address, amount)) / 10**6
    common = {"swap_chain": str(world.chain_id), "swap_sell": "native"}
    common |= {"swap_buy": world.usd.address, "swap_amount": "0.1", "cooldown": "0"}
    reachable = await app.alerts.save_form(RuleForm("swap_quote", threshold=str(best), **common))
    assert reachable.swap is not None and reachable.swap.taker == dex.wallet.address
    too_high = await app.alerts.save_form(RuleForm("swap_quote", threshold=str(best * 2), **common))
    fired = await app.alerts.check_swaps()
    assert [(f.rule_id, f.value) for f in fired] == [(reachable.id, best)]
    assert fired[0].page == "Swap"
    assert app.alerts.status(too_high.id or 0) == "armed, watching"
