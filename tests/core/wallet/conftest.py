"""Wallet fixtures: a started core whose only chain is the real anvil node."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from core.app import CoreApp
from core.settings import ChainSettings
from core.wallet.accounts import Wallet
from core.wallet.secret import Secret
from tests.harness.anvil import TEST_MNEMONIC, AnvilNode

# The anvil test mnemonic's first accounts (public, well-known test vectors).
ANVIL_ACCOUNTS = (
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
)
ANVIL_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"


@pytest.fixture
async def core(anvil: AnvilNode, data_dir: Path, secret_service: str) -> AsyncIterator[CoreApp]:
    app = CoreApp(data_dir, background=False, profile=f"test-{data_dir.parent.name}")
    await app.start()
    chain = ChainSettings(anvil.chain_id, "Anvil", (anvil.url,), "ETH", True, True)
    await app.update_settings(replace(app.settings(), chains=(chain,)))
    app.sender.poll_s = 0.05
    yield app
    await app.stop()


@pytest.fixture
async def funded(core: CoreApp) -> Wallet:
    """A signing wallet: account 2 of the anvil mnemonic (10,000 test ETH at genesis)."""
    return await core.wallets.import_mnemonic("Funded", Secret(TEST_MNEMONIC), account_index=2)
