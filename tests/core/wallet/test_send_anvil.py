"""Sending ETH and ERC-20 tokens on a real anvil node, keys in a real Secret Service."""

from __future__ import annotations

import asyncio

import pytest

from core.app import CoreApp
from core.errors import (
    ChainError,
    IdempotencyConflictError,
    InsufficientFundsError,
    InvalidAddressError,
    InvalidAmountError,
)
from core.wallet.accounts import Wallet
from core.wallet.sender import SendRequest
from tests.core.wallet.conftest import ANVIL_ACCOUNTS
from tests.harness.anvil import AnvilNode

RECIPIENT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"  # anvil account 3


def balance(anvil: AnvilNode, address: str) -> int:
    return int(str(anvil.rpc("eth_getBalance", [address, "latest"])), 16)


async def test_send_eth_moves_exactly_the_amount(
    core: CoreApp, funded: Wallet, anvil: AnvilNode
) -> None:
    assert funded.address == ANVIL_ACCOUNTS[2]
    before = balance(anvil, RECIPIENT)
    request = SendRequest(anvil.chain_id, funded.id, RECIPIENT, "1.25")
    sent = await core.sender.send(request, "pay-rent-1")
    result = await core.sender.wait(sent.intent_id, timeout_s=30)
    assert result.state == "confirmed"
    assert balance(anvil, RECIPIENT) - before == 1_250_000_000_000_000_000
    tx = anvil.rpc("eth_getTransactionByHash", [result.tx_hash])
    assert isinstance(tx, dict) and tx["type"] == "0x2"  # EIP-1559


async def test_same_key_same_request_returns_the_first_outcome(
    core: CoreApp, funded: Wallet, anvil: AnvilNode
) -> None:
    request = SendRequest(anvil.chain_id, funded.id, RECIPIENT, "0.1")
    first = await core.sender.send(request, "same-key")
    again = await core.sender.send(request, "same-key")
    assert again.tx_hash == first.tx_hash and again.intent_id == first.intent_id
    other = SendRequest(anvil.chain_id, funded.id, RECIPIENT, "0.2")
    with pytest.raises(IdempotencyConflictError):
        await core.sender.send(other, "same-key")


async def test_fifty_concurrent_submits_with_one_key_make_one_transaction(
    core: CoreApp, funded: Wallet, anvil: AnvilNode
) -> None:
    nonce_before = int(str(anvil.rpc("eth_getTransactionCount", [funded.address, "latest"])), 16)
    request = SendRequest(anvil.chain_id, funded.id, RECIPIENT, "0.01")
    results = await asyncio.gather(*(core.sender.send(request, "burst") for _ in range(50)))
    assert len({r.tx_hash for r in results}) == 1
    await core.sender.wait(results[0].intent_id, timeout_s=30)
    nonce_after = int(str(anvil.rpc("eth_getTransactionCount", [funded.address, "latest"])), 16)
    assert nonce_after - nonce_before == 1


async def test_concurrent_different_sends_never_reuse_a_nonce(
    core: CoreApp, funded: Wallet, anvil: AnvilNode
) -> None:
    requests = [SendRequest(anvil.chain_id, funded.id, RECIPIENT, f"0.00{i + 1}") for i in range(8)]
    results = await asyncio.gather(
        *(core.sender.send(r, f"distinct-{i}") for i, r in enumerate(requests))
    )
    assert len({r.nonce for r in results}) == 8
    for r in results:
        assert (await core.sender.wait(r.intent_id, timeout_s=30)).state == "confirmed"


@pytest.mark.parametrize(
    ("to", "amount", "error", "words"),
    [
        ("0x90F79bf6EB2c4f870365E785982E1f101E93b907", "1", InvalidAddressError, "checksum"),
        ("0x1234", "1", InvalidAddressError, "40 hex digits"),
        (RECIPIENT, "0.0000000000000000001", InvalidAmountError, "18 decimal places"),
        (RECIPIENT, "-1", InvalidAmountError, "negative"),
        (RECIPIENT, "0", InvalidAmountError, "more than zero"),
        (RECIPIENT, "1000000000", InsufficientFundsError, "Not enough native coin"),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_written(
    core: CoreApp, funded: Wallet, anvil: AnvilNode, to: str, amount: str, error: type, words: str
) -> None:
    with pytest.raises(error, match=words):
        await core.sender.send(SendRequest(anvil.chain_id, funded.id, to, amount), "bad-1")
    leftover = await core.journal.by_key("bad-1")
    # Input errors stop before the journal; funding errors leave a failed intent, never a tx.
    if leftover is not None:
        assert leftover.state == "failed"
        assert await core.journal.transactions(leftover.id) == []


async def test_wrong_chain_id_is_refused(core: CoreApp, funded: Wallet, anvil: AnvilNode) -> None:
    from dataclasses import replace

    from core.settings import ChainSettings

    lying = ChainSettings(10, "Optimism", (anvil.url,), "ETH")
    await core.update_settings(replace(core.settings(), chains=(*core.settings().chains, lying)))
    with pytest.raises(ChainError, match="serves chain 31337"):
        await core.sender.send(SendRequest(10, funded.id, RECIPIENT, "1"), "wrong-chain")
    assert await core.journal.by_key("wrong-chain") is None


@pytest.mark.parametrize(
    ("amount", "token", "words"),
    [
        ("0.0000000000000000001", None, "18 decimal places"),
        ("-1", None, "negative"),
        ("0", None, "more than zero"),
        ("-1", "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "negative"),
        ("one", "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "not a number"),
    ],
)
async def test_a_wrong_amount_is_named_even_with_the_rpc_down(
    core: CoreApp, funded: Wallet, amount: str, token: str | None, words: str
) -> None:
    from dataclasses import replace

    from core.settings import ChainSettings
    from tests.harness.parts import free_port

    dead = ChainSettings(10, "Optimism", (f"http://127.0.0.1:{free_port()}",), "ETH")
    await core.update_settings(replace(core.settings(), chains=(*core.settings().chains, dead)))
    with pytest.raises(InvalidAmountError, match=words):
        await core.sender.send(SendRequest(10, funded.id, RECIPIENT, amount, token), "offline-1")
    assert await core.journal.by_key("offline-1") is None
