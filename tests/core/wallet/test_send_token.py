"""ERC-20 transfers on anvil with a token compiled by npm solc."""

from __future__ import annotations

import pytest

from core.app import CoreApp
from core.errors import InsufficientFundsError, InvalidAmountError
from core.wallet import erc20
from core.wallet.accounts import Wallet
from core.wallet.sender import SendRequest
from tests.harness.anvil import AnvilNode

RECIPIENT = "0x976EA74026E726554dB657fA54763abd0C3a0aa9"  # anvil account 6


async def test_send_token_moves_exact_base_units(
    core: CoreApp, funded: Wallet, anvil: AnvilNode, test_token: str
) -> None:
    client = core.clients.get(anvil.chain_id)
    before = await erc20.balance_of(client, test_token, RECIPIENT)
    mine = await erc20.balance_of(client, test_token, funded.address)
    request = SendRequest(anvil.chain_id, funded.id, RECIPIENT, "12.345678", token=test_token)
    sent = await core.sender.send(request, "token-1")
    assert (await core.sender.wait(sent.intent_id, timeout_s=30)).state == "confirmed"
    assert await erc20.balance_of(client, test_token, RECIPIENT) - before == 12_345_678
    assert mine - await erc20.balance_of(client, test_token, funded.address) == 12_345_678


@pytest.mark.parametrize(
    ("amount", "error", "words"),
    [
        ("0.0000001", InvalidAmountError, "more than 6 decimal places"),
        ("2000000", InsufficientFundsError, "Not enough tokens"),
    ],
)
async def test_token_amount_refusals(
    core: CoreApp,
    funded: Wallet,
    anvil: AnvilNode,
    test_token: str,
    amount: str,
    error: type,
    words: str,
) -> None:
    with pytest.raises(error, match=words):
        await core.sender.send(
            SendRequest(anvil.chain_id, funded.id, RECIPIENT, amount, token=test_token), "tok-bad"
        )
    intent = await core.journal.by_key("tok-bad")
    assert intent is None or await core.journal.transactions(intent.id) == []
