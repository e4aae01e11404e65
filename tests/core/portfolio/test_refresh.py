"""A whole portfolio refresh on anvil (as chain 1) with fake DefiLlama and CoinGecko servers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest

from core.app import CoreApp
from core.portfolio.tokens import TokenInfo
from core.settings import ChainSettings, ProviderSettings
from tests.conftest import MULTICALL3
from tests.fakes.prices import FakeCoinGecko, FakeDefiLlama
from tests.harness.anvil import AnvilNode, start_anvil
from tests.harness.rpc_proxy import CountingProxy
from tests.harness.solidity import compile_contracts, deploy, transact

DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
ALICE = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"  # anvil account 9
BOB = "0xBcd4042DE499D14e55001CcbB24a551F3b954096"  # anvil account 10 (not funded by default)


@dataclass
class Mainnet:
    anvil: AnvilNode
    token: str


@pytest.fixture(scope="module")
def mainnet() -> Iterator[Mainnet]:
    node = start_anvil(chain_id=1)
    compiled = compile_contracts("Multicall3.sol", "TestToken.sol")
    node.rpc("anvil_setCode", [MULTICALL3, compiled["Multicall3"].runtime])
    token = deploy(node.url, compiled["TestToken"], "Wrapped Test", "WTST", 8, sender=DEPLOYER)
    transact(node.url, compiled["TestToken"], token, "mint", ALICE, 150_000_000, sender=DEPLOYER)
    transact(node.url, compiled["TestToken"], token, "mint", BOB, 25_000_001, sender=DEPLOYER)
    node.rpc("anvil_setBalance", [ALICE, hex(2 * 10**18 + 5)])
    node.rpc("anvil_setBalance", [BOB, hex(10**17)])
    yield Mainnet(node, token)
    node.stop()


@dataclass
class World:
    app: CoreApp
    proxy: CountingProxy
    llama: FakeDefiLlama
    gecko: FakeCoinGecko
    token: str


@pytest.fixture
async def world(mainnet: Mainnet, data_dir: Path) -> AsyncIterator[World]:
    proxy = CountingProxy(mainnet.anvil.url)
    llama, gecko = FakeDefiLlama(), FakeCoinGecko()
    app = CoreApp(data_dir, background=False)
    await app.start()
    settings = replace(
        app.settings(),
        chains=(ChainSettings(1, "Ethereum (anvil)", (proxy.url,), "ETH"),),
        price_sources=(
            ProviderSettings("defillama", llama.base_url),
            ProviderSettings("coingecko", gecko.base_url),
        ),
    )
    await app.update_settings(settings)
    await app.wallets.add_watch_only("Alice", ALICE)
    await app.wallets.add_watch_only("Bob", BOB)
    await app.portfolio.add_token(TokenInfo(1, mainnet.token, "WTST", 8))
    yield World(app, proxy, llama, gecko, mainnet.token)
    await app.stop()
    for server in (proxy, llama, gecko):
        server.close()


def set_prices(world: World, eth: float, token: float) -> None:
    world.llama.prices["ethereum:0x0000000000000000000000000000000000000000"] = eth
    world.llama.prices[f"ethereum:{world.token.lower()}"] = token


async def test_refresh_stores_exact_balances_and_values(world: World) -> None:
    set_prices(world, 3000.5, 2.25)
    await world.app.refresh_portfolio()  # warm the RPC client (chain id is cached)
    world.proxy.reset()
    world.llama.requests.clear()
    report = await world.app.refresh_portfolio()
    assert world.proxy.methods == {"eth_call": 1}  # one round trip for the whole chain
    assert world.llama.requests == []  # prices still fresh in the cache: not asked again
    assert report.chain_errors == {}
    _, holdings = await world.app.portfolio.latest()
    got = {(h.owner, h.symbol): (h.amount, h.value) for h in holdings}
    assert got[(ALICE, "ETH")] == (2 * 10**18 + 5, Decimal("6001.000000000000015002500"))
    assert got[(ALICE, "WTST")] == (150_000_000, Decimal("3.375"))
    assert got[(BOB, "WTST")] == (25_000_001, Decimal("0.5625000225"))
    expected_total = sum(v for _, v in got.values())
    assert report.total_value == expected_total
    allocation = await world.app.portfolio.allocation()
    assert list(allocation) == ["ETH", "WTST"]


async def test_source_down_falls_back_and_status_says_since_when(world: World) -> None:
    world.llama.down = True
    world.gecko.coins["ethereum"] = 2000
    world.gecko.tokens[("ethereum", world.token.lower())] = 1.5
    report = await world.app.refresh_portfolio()
    assert report.unpriced == []
    status = world.app.prices.status
    assert status["defillama"].failing_since is not None
    assert status["coingecko"].ok_at is not None
    _, holdings = await world.app.portfolio.latest()
    assert {h.price for h in holdings} == {Decimal("2000"), Decimal("1.5")}


async def test_no_prices_and_a_dead_rpc_lose_nothing(world: World) -> None:
    set_prices(world, 3000, 2)
    first = await world.app.refresh_portfolio()
    world.app.cache.evict("prices:1")
    world.llama.down = True
    world.gecko.throttled = True
    second = await world.app.refresh_portfolio()
    assert sorted(second.unpriced) == ["ETH", "WTST"]
    assert second.total_value == 0
    world.proxy.dead = True
    third = await world.app.refresh_portfolio()
    assert 1 in third.chain_errors and "Reading balances" in third.chain_errors[1]
    history = await world.app.portfolio.history()
    assert [p.total_value for p in history] == [first.total_value, 0, 0]


async def test_manual_price_override_wins(world: World) -> None:
    set_prices(world, 3000, 2)
    await world.app.prices.set_override(1, world.token, "10")
    await world.app.refresh_portfolio()
    _, holdings = await world.app.portfolio.latest()
    assert {h.price for h in holdings if h.symbol == "WTST"} == {Decimal("10")}


async def test_offline_start_shows_stored_data(world: World, data_dir: Path) -> None:
    set_prices(world, 3000, 2)
    stored = await world.app.refresh_portfolio()
    await world.app.stop()
    world.proxy.dead = True
    world.llama.down = True
    offline = CoreApp(data_dir, background=False)
    await offline.start()
    try:
        snapshot, holdings = await offline.portfolio.latest()
        assert snapshot is not None and Decimal(snapshot.total_value) == stored.total_value
        assert len(holdings) == 4  # ETH and WTST for both Alice and Bob
        assert [p.total_value for p in await offline.portfolio.history()] == [stored.total_value]
    finally:
        await offline.stop()
    await world.app.start()  # the fixture stops it again


async def test_per_asset_history_sums_wallets_and_allocation_by_chain(world: World) -> None:
    set_prices(world, 3000, 2)
    first = await world.app.refresh_portfolio()
    set_prices(world, 3100, 4)
    world.app.cache.evict("prices:1")  # let the second snapshot see the new prices
    second = await world.app.refresh_portfolio()
    portfolio = world.app.portfolio
    assert await portfolio.assets() == ["ETH", "WTST"]
    points = await portfolio.asset_history("WTST")
    assert [p.taken_at for p in points] == [first.taken_at, second.taken_at]
    held = Decimal("1.75000001")  # Alice 1.5 + Bob 0.25000001, read to the unit
    assert [p.amount for p in points] == [held, held]
    assert [p.value for p in points] == [held * 2, held * 4]
    eth = await portfolio.asset_history("ETH")
    assert [e.value + w.value for e, w in zip(eth, points, strict=True)] == [  # type: ignore[operator]
        first.total_value,
        second.total_value,
    ]
    assert await portfolio.allocation_by_chain() == {1: second.total_value}
    assert await portfolio.asset_history("NOPE") == []


async def test_history_is_thinned_evenly_and_keeps_the_newest(world: World) -> None:
    set_prices(world, 3000, 2)
    reports = [await world.app.refresh_portfolio() for _ in range(5)]
    points = await world.app.portfolio.history(limit=2)
    # every third row counted back from the newest: 5 rows at most 2 points -> rows 4 and 1
    assert [p.taken_at for p in points] == [reports[1].taken_at, reports[4].taken_at]
    assert len(await world.app.portfolio.history()) == 5
