"""Balances through Multicall3 on anvil: exact to the wei, one eth_call per chain per refresh."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.chains.clients import ChainClients
from core.errors import ChainError
from core.portfolio.balances import read_balances
from core.portfolio.tokens import TokenInfo
from tests.harness.anvil import AnvilNode
from tests.harness.rpc_proxy import CountingProxy
from tests.harness.solidity import compile_contracts, deploy, transact

DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
OWNERS = [
    "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
]


@pytest.fixture
def proxy(anvil: AnvilNode) -> Iterator[CountingProxy]:
    counting = CountingProxy(anvil.url)
    yield counting
    counting.close()


@pytest.fixture(scope="module")
def tokens(anvil: AnvilNode) -> list[TokenInfo]:
    compiled = compile_contracts("TestToken.sol")["TestToken"]
    made = []
    for i, decimals in enumerate((6, 8, 18)):
        address = deploy(anvil.url, compiled, f"T{i}", f"T{i}", decimals, sender=DEPLOYER)
        for n, owner in enumerate(OWNERS):
            transact(
                anvil.url,
                compiled,
                address,
                "mint",
                owner,
                10**decimals * (n + 1) + i + 7,
                sender=DEPLOYER,
            )
        made.append(TokenInfo(anvil.chain_id, address, f"T{i}", decimals))
    return made


async def test_balances_exact_in_one_call(
    anvil: AnvilNode, multicall3: str, tokens: list[TokenInfo], proxy: CountingProxy
) -> None:
    anvil.rpc("anvil_setBalance", [OWNERS[0], hex(123_456_789_012_345_678_901)])
    client = ChainClients.build(proxy.url, 10)
    await read_balances(client, anvil.chain_id, OWNERS, tokens)  # warm: chain id is cached
    proxy.reset()
    read = await read_balances(client, anvil.chain_id, OWNERS, tokens)
    assert proxy.methods == {"eth_call": 1} and proxy.requests == 1 and read.rpc_calls == 1
    got = {(h.owner, h.token.symbol if h.token else "native"): h.amount for h in read.holdings}
    assert got[(OWNERS[0], "native")] == 123_456_789_012_345_678_901
    for i, token in enumerate(tokens):
        for n, owner in enumerate(OWNERS):
            assert got[(owner, token.symbol)] == 10**token.decimals * (n + 1) + i + 7
    assert read.failed == []
    await client.provider.disconnect()


async def test_large_refresh_is_batched_and_bad_tokens_are_reported(
    anvil: AnvilNode, multicall3: str, tokens: list[TokenInfo], proxy: CountingProxy
) -> None:
    not_a_token = TokenInfo(anvil.chain_id, OWNERS[1], "EOA", 18)  # no code at this address
    client = ChainClients.build(proxy.url, 10)
    proxy.reset()
    read = await read_balances(client, anvil.chain_id, OWNERS, [*tokens, not_a_token], batch=3)
    # 2 owners x (native + 4 tokens) = 10 calls, 3 per batch -> 4 round trips
    assert read.rpc_calls == proxy.methods["eth_call"] == 4
    assert [(owner, token.symbol if token else None) for owner, token, _ in read.failed] == [
        (OWNERS[0], "EOA"),
        (OWNERS[1], "EOA"),
    ]
    assert len(read.holdings) == 8
    await client.provider.disconnect()


async def test_a_dead_rpc_is_a_clear_error(
    anvil: AnvilNode, multicall3: str, tokens: list[TokenInfo], proxy: CountingProxy
) -> None:
    proxy.dead = True
    client = ChainClients.build(proxy.url, 5)
    with pytest.raises(ChainError, match="Reading balances on chain 31337 failed"):
        await read_balances(client, anvil.chain_id, OWNERS, tokens)
    await client.provider.disconnect()
