"""Speed-up and cancel by replacement: same nonce, higher fee, one of them mined."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.app import CoreApp
from core.wallet.accounts import Wallet
from core.wallet.sender import SendRequest
from tests.harness.anvil import AnvilNode

RECIPIENT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"


@pytest.fixture
def manual_mining(anvil: AnvilNode) -> Iterator[None]:
    anvil.rpc("evm_setAutomine", [False])
    try:
        yield
    finally:
        anvil.rpc("evm_setAutomine", [True])
        anvil.rpc("evm_mine")


def nonce(anvil: AnvilNode, address: str) -> int:
    return int(str(anvil.rpc("eth_getTransactionCount", [address, "latest"])), 16)


async def test_speed_up_replaces_the_pending_transaction(
    core: CoreApp, funded: Wallet, anvil: AnvilNode, manual_mining: None
) -> None:
    before = nonce(anvil, funded.address)
    sent = await core.sender.send(SendRequest(anvil.chain_id, funded.id, RECIPIENT, "0.3"), "s1")
    assert (await core.sender.check(sent.intent_id)).state == "submitted"
    faster = await core.sender.replace(sent.intent_id, "speed_up")
    assert faster.nonce == sent.nonce and faster.tx_hash != sent.tx_hash
    anvil.rpc("evm_mine")
    result = await core.sender.check(sent.intent_id)
    assert result.state == "confirmed" and result.tx_hash == faster.tx_hash
    assert nonce(anvil, funded.address) - before == 1
    states = {t.purpose: t.state for t in await core.journal.transactions(sent.intent_id)}
    assert states == {"original": "replaced", "speed_up": "confirmed"}


async def test_cancel_sends_nothing_to_the_recipient(
    core: CoreApp, funded: Wallet, anvil: AnvilNode, manual_mining: None
) -> None:
    before = int(str(anvil.rpc("eth_getBalance", [RECIPIENT, "latest"])), 16)
    sent = await core.sender.send(SendRequest(anvil.chain_id, funded.id, RECIPIENT, "0.4"), "c1")
    cancel = await core.sender.replace(sent.intent_id, "cancel")
    anvil.rpc("evm_mine")
    result = await core.sender.check(sent.intent_id)
    assert result.state == "failed" and "Cancelled" in (result.error or "")
    assert result.tx_hash == cancel.tx_hash
    assert int(str(anvil.rpc("eth_getBalance", [RECIPIENT, "latest"])), 16) == before
