"""The person's own swaps and sends enter the ledger (and so PnL) from their receipts on anvil."""

from __future__ import annotations

from decimal import Decimal

from core.money import to_decimal
from core.portfolio.pnl import LedgerEntry
from core.portfolio.prices.base import NATIVE_KEY
from core.wallet.secret import Secret
from core.wallet.sender import SendRequest
from tests.core.dex.conftest import Dex
from tests.core.dex.test_swap_end_to_end import dusd, eth, ranked_quotes
from tests.harness.anvil import TEST_MNEMONIC

STRANGER = "0x000000000000000000000000000000000000dEaD"


async def own_rows(dex: Dex) -> list[LedgerEntry]:
    return sorted(await dex.app.portfolio.ledger(), key=lambda e: (e.kind, e.asset))


async def test_a_token_sell_is_a_sell_and_a_buy_with_the_real_amounts(dex: Dex) -> None:
    chain = dex.world.chain_id
    await dex.app.prices.set_override(chain, dex.world.usd.address, "1")
    await dex.app.prices.set_override(chain, NATIVE_KEY, "2500")
    quotes = await ranked_quotes(dex, native=False)
    eth_before = eth(dex)
    outcome = await dex.app.swaps.execute(quotes, dex.wallet.id, "ledger-swap-1")
    assert outcome.swap.state == "confirmed"
    await dex.app.trades.record(outcome.swap.intent_id)  # also runs on the confirmation event
    assert await dex.app.trades.record(outcome.swap.intent_id) == 0  # once only

    rows = await own_rows(dex)
    assert [(r.kind, r.asset) for r in rows] == [("buy", "ETH"), ("sell", "DUSD")]
    buy, sell = rows
    assert sell.amount == Decimal(150) and sell.price == Decimal(1)
    received = quotes[0].buy_amount
    assert buy.amount == to_decimal(received, 18) and buy.price == Decimal(2500)
    # the swap's gas is part of the sell's cost: recomputed here from the balance change
    swap_gas_wei = eth_before + received - eth(dex) - _approval_gas(dex, outcome)
    assert sell.fee == to_decimal(swap_gas_wei, 18) * 2500


def _approval_gas(dex: Dex, outcome: object) -> int:
    approval = outcome.approval  # type: ignore[attr-defined]
    receipt = dex.world.anvil.rpc("eth_getTransactionReceipt", [approval.tx_hash])
    assert isinstance(receipt, dict)
    return int(receipt["gasUsed"], 16) * int(receipt["effectiveGasPrice"], 16)


async def test_a_leg_without_a_price_takes_the_other_legs_value(dex: Dex) -> None:
    await dex.app.prices.set_override(dex.world.chain_id, NATIVE_KEY, "2000")  # DUSD unpriced
    quotes = await ranked_quotes(dex, native=True)
    usd_before = await dusd(dex)
    outcome = await dex.app.swaps.execute(quotes, dex.wallet.id, "ledger-swap-2")
    await dex.app.trades.record(outcome.swap.intent_id)
    rows = {r.kind: r for r in await own_rows(dex)}
    bought = to_decimal(await dusd(dex) - usd_before, 6)
    assert rows["sell"].asset == "ETH" and rows["sell"].amount == Decimal("0.1")
    assert rows["buy"].asset == "DUSD" and rows["buy"].amount == bought
    assert rows["buy"].price == Decimal("0.1") * 2000 / bought


async def test_sends_to_others_are_withdrawals_and_between_own_wallets_nothing(dex: Dex) -> None:
    app = dex.app
    mine = await app.wallets.import_mnemonic("Savings", Secret(TEST_MNEMONIC), account_index=8)
    to_self = await app.sender.send(
        SendRequest(dex.world.chain_id, dex.wallet.id, mine.address, "0.5"), "ledger-send-own"
    )
    to_self = await app.sender.wait(to_self.intent_id)
    assert await app.trades.record(to_self.intent_id) == 0
    out = await app.sender.send(
        SendRequest(dex.world.chain_id, dex.wallet.id, STRANGER, "0.25"), "ledger-send-out"
    )
    out = await app.sender.wait(out.intent_id)
    await app.trades.record(out.intent_id)
    rows = await own_rows(dex)
    assert [(r.kind, r.asset, r.amount) for r in rows] == [("withdrawal", "ETH", Decimal("0.25"))]
