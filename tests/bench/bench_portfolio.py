"""Portfolio figures, measured within one run.

1. Balances: 3 chains (three anvil nodes, each with Multicall3 and 50 ERC-20 tokens), 2 owners.
   The product's read (one Multicall3 aggregate3 per chain, chains in parallel) against the naive
   read (eth_getBalance + one balanceOf eth_call per token per owner), counted at an RPC proxy
   that adds 20 ms per round trip to play a remote node. Naive is measured both one call after
   another and with every call of a chain in flight at once.
2. History: 100,000 snapshots (3 holdings each) in SQLite. The product's total-value history
   (thinned in SQL to 5,000 points) and one asset's history, against loading every snapshot row
   through the ORM and thinning in Python.
Prints one JSON line last.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector
from sqlalchemy import insert, select

from core.chains.clients import ChainClients
from core.portfolio.balances import MULTICALL3, read_balances
from core.portfolio.service import PortfolioService
from core.portfolio.tables import HoldingRow, SnapshotRow
from core.portfolio.tokens import TokenInfo
from core.settings import ChainSettings
from core.storage.db import Database
from tests.harness.anvil import AnvilNode, start_anvil
from tests.harness.rpc_proxy import CountingProxy
from tests.harness.solidity import compile_contracts, deploy, transact

CHAINS = (1, 10, 8453)
TOKENS = 50
OWNERS = (
    "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
    "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
)
LATENCY_S = 0.02
DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
SNAPSHOTS = 100_000
_BALANCE_OF = function_signature_to_4byte_selector("balanceOf(address)")


def build_chain(chain_id: int) -> tuple[AnvilNode, list[TokenInfo]]:
    node = start_anvil(chain_id=chain_id)
    compiled = compile_contracts("Multicall3.sol", "TestToken.sol")
    node.rpc("anvil_setCode", [MULTICALL3, compiled["Multicall3"].runtime])
    tokens = []
    for i in range(TOKENS):
        address = deploy(node.url, compiled["TestToken"], f"T{i}", f"T{i}", 18, sender=DEPLOYER)
        transact(
            node.url,
            compiled["TestToken"],
            address,
            "mint",
            OWNERS[i % 2],
            10**18 + i,
            sender=DEPLOYER,
        )
        tokens.append(TokenInfo(chain_id, address, f"T{i}", 18))
    return node, tokens


async def naive_read(client: Any, tokens: list[TokenInfo], together: bool) -> int:
    calls: list[Callable[[], Awaitable[Any]]] = []
    for owner in OWNERS:
        calls.append(lambda o=owner: client.eth.get_balance(o))
        for token in tokens:
            data = _BALANCE_OF + encode(["address"], [owner])
            calls.append(lambda t=token, d=data: client.eth.call({"to": t.address, "data": d}))
    if together:
        await asyncio.gather(*(c() for c in calls))
    else:
        for c in calls:
            await c()
    return len(calls)


async def balances(chains: dict[int, tuple[CountingProxy, list[TokenInfo]]]) -> dict[str, Any]:
    clients = ChainClients(30.0)
    clients.configure(
        tuple(
            ChainSettings(c, f"chain {c}", (proxy.url,), "ETH") for c, (proxy, _) in chains.items()
        ),
        30.0,
    )
    for chain_id in chains:  # the client caches the chain id; warm it outside the measurement
        await clients.get(chain_id).eth.chain_id

    def reset() -> None:
        for proxy, _ in chains.values():
            proxy.reset()

    def trips() -> int:
        return sum(proxy.requests for proxy, _ in chains.values())

    async def multicall() -> None:
        await asyncio.gather(
            *(read_balances(clients.get(c), c, OWNERS, t) for c, (_, t) in chains.items())
        )

    async def naive(together: bool) -> None:
        await asyncio.gather(
            *(naive_read(clients.get(c), t, together) for c, (_, t) in chains.items())
        )

    figures: dict[str, Any] = {}
    for name, run in (
        ("multicall", multicall),
        ("naive_sequential", lambda: naive(False)),
        ("naive_concurrent", lambda: naive(True)),
    ):
        times = []
        for _ in range(3):
            reset()
            started = time.perf_counter()
            await run()
            times.append(time.perf_counter() - started)
        figures[f"{name}_round_trips"] = trips()
        figures[f"{name}_s"] = round(statistics.median(times), 4)
    await clients.close()
    figures["round_trips_naive_over_multicall"] = round(
        figures["naive_sequential_round_trips"] / figures["multicall_round_trips"], 1
    )
    figures["time_naive_sequential_over_multicall"] = round(
        figures["naive_sequential_s"] / figures["multicall_s"], 1
    )
    figures["time_naive_concurrent_over_multicall"] = round(
        figures["naive_concurrent_s"] / figures["multicall_s"], 1
    )
    return figures


async def history(directory: Path) -> dict[str, Any]:
    db = await Database.open(directory / "bench.sqlite3")
    start = datetime(2020, 1, 1, tzinfo=UTC)
    snapshots = [
        {
            "id": i + 1,
            "profile": "default",
            "taken_at": start + timedelta(minutes=15 * i),
            "fiat": "USD",
            "total_value": str(1000 + i % 500),
            "incomplete": "",
            "demo": False,
        }
        for i in range(SNAPSHOTS)
    ]
    holdings = [
        {
            "snapshot_id": i + 1,
            "chain_id": chain,
            "owner": OWNERS[0],
            "token": token,
            "symbol": symbol,
            "decimals": 18,
            "amount": str(10**18 + i),
            "price": "1",
            "value": str(300 + i % 100),
        }
        for i in range(SNAPSHOTS)
        for chain, token, symbol in (
            (1, "native", "ETH"),
            (1, "0xa0b8", "USDC"),
            (10, "0x0b2c", "USDC"),
        )
    ]
    async with db.session() as session:
        await session.execute(insert(SnapshotRow), snapshots)
        await session.execute(insert(HoldingRow), holdings)
    service = PortfolioService(db, ChainClients(5.0), None, lambda: None)  # type: ignore[arg-type]

    async def naive() -> int:
        async with db.session() as session:
            rows = list(
                await session.scalars(
                    select(SnapshotRow)
                    .where(SnapshotRow.profile == "default")
                    .order_by(SnapshotRow.taken_at)
                )
            )
        step = max(1, len(rows) // 5000)
        return len([r for i, r in enumerate(rows) if i % step == 0])

    async def timed(run: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
        times, result = [], None
        for _ in range(5):
            started = time.perf_counter()
            result = await run()
            times.append(time.perf_counter() - started)
        return statistics.median(times), result

    product_s, points = await timed(lambda: service.history())
    naive_s, naive_points = await timed(naive)
    asset_s, asset_points = await timed(lambda: service.asset_history("USDC"))
    month_s, month = await timed(
        lambda: service.history(
            since=start + timedelta(days=300), until=start + timedelta(days=330)
        )
    )
    await db.close()
    return {
        "snapshots": SNAPSHOTS,
        "holding_rows": len(holdings),
        "history_points": len(points),
        "history_s": round(product_s, 4),
        "naive_orm_history_s": round(naive_s, 4),
        "naive_over_history": round(naive_s / product_s, 1),
        "naive_points": naive_points,
        "asset_history_points": len(asset_points),
        "asset_history_s": round(asset_s, 4),
        "one_month_range_points": len(month),
        "one_month_range_s": round(month_s, 4),
    }


def main() -> None:
    nodes: list[AnvilNode] = []
    proxies: list[CountingProxy] = []
    try:
        chains = {}
        started = time.perf_counter()
        for chain_id in CHAINS:
            node, tokens = build_chain(chain_id)
            nodes.append(node)
            proxy = CountingProxy(node.url, latency_s=LATENCY_S)
            proxies.append(proxy)
            chains[chain_id] = (proxy, tokens)
        setup_s = time.perf_counter() - started
        figures = {
            "chains": len(CHAINS),
            "tokens_per_chain": TOKENS,
            "owners": len(OWNERS),
            "added_latency_ms": LATENCY_S * 1000,
            "setup_s": round(setup_s, 1),
        }
        figures |= asyncio.run(balances(chains))
    finally:
        for proxy in proxies:
            proxy.close()
        for node in nodes:
            node.stop()
    with tempfile.TemporaryDirectory() as directory:
        figures |= asyncio.run(history(Path(directory)))
    print(json.dumps({"bench": "portfolio", **figures}))


if __name__ == "__main__":
    main()
