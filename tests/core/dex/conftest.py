"""DEX fixtures: the router world on anvil, the five fakes, and a core wired to them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from core.app import CoreApp
from core.dex.setup import okx_credentials_text
from core.settings import ChainSettings, ProviderSettings
from core.wallet.accounts import Wallet
from core.wallet.secret import Secret
from tests.fakes.dex import okx as fake_okx
from tests.fakes.dex import zeroex as fake_zeroex
from tests.fakes.dex.base import FakeAggregator
from tests.fakes.dex.kyberswap import SLUG
from tests.fakes.dex.rubic import BLOCKCHAIN
from tests.fakes.dex.world import DexWorld
from tests.harness.anvil import TEST_MNEMONIC

PROVIDERS = ("0x", "okx", "rubic", "kyberswap", "paraswap")


def provider_settings(
    world: DexWorld, fakes: dict[str, FakeAggregator]
) -> tuple[ProviderSettings, ...]:
    names = {
        "0x": str(world.chain_id),
        "okx": str(world.chain_id),
        "rubic": BLOCKCHAIN,
        "kyberswap": SLUG,
        "paraswap": str(world.chain_id),
    }
    keyed = {"0x", "okx"}
    return tuple(
        ProviderSettings(
            name,
            fakes[name].base_url,
            True,
            f"provider:{name}:api-key" if name in keyed else None,
            ((world.chain_id, names[name]),),
            (
                (
                    world.chain_id,
                    world.router,
                    world.router if name == "kyberswap" else world.holder,
                ),
            ),
        )
        for name in PROVIDERS
    )


async def wire_to_fakes(app: CoreApp, world: DexWorld, fakes: dict[str, FakeAggregator]) -> None:
    """Point a started core at the anvil chain and the five fakes, with their keys stored."""
    chain = ChainSettings(world.chain_id, "Anvil", (world.anvil.url,), "ETH", True, True)
    await app.update_settings(
        replace(
            app.settings(),
            chains=(chain,),
            providers=provider_settings(world, fakes),
            price_sources=(),
        )
    )
    store = app.wallets.keystore
    await store.store_text("provider:0x:api-key", Secret(fake_zeroex.API_KEY))
    await store.store_text(
        "provider:okx:api-key",
        Secret(okx_credentials_text(fake_okx.API_KEY, fake_okx.SECRET, fake_okx.PASSPHRASE)),
    )


@dataclass
class Dex:
    app: CoreApp
    world: DexWorld
    fakes: dict[str, FakeAggregator]
    wallet: Wallet


@pytest.fixture
async def dex(
    dex_world: DexWorld, fakes: dict[str, FakeAggregator], data_dir: Path, secret_service: str
) -> AsyncIterator[Dex]:
    app = CoreApp(data_dir, background=False, profile=f"dex-{data_dir.parent.name}")
    await app.start()
    await wire_to_fakes(app, dex_world, fakes)
    app.sender.poll_s = 0.05
    # anvil mnemonic account 7: its own account so swaps here never race other tests' nonces
    wallet = await app.wallets.import_mnemonic("Trader", Secret(TEST_MNEMONIC), account_index=7)
    dex_world.fund(wallet.address)
    yield Dex(app, dex_world, fakes, wallet)
    await app.stop()
