"""Native-coin balances of a few addresses on every enabled chain, read straight from the RPCs.

For the wallet list: one eth_getBalance per (address, chain), all at once, each with a short
deadline. A chain that does not answer gives None for its cells (shown as "unreachable"), never 0.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from eth_typing import ChecksumAddress, HexAddress, HexStr

from core.chains.clients import ChainClients

__all__ = ["native_balances"]

DEADLINE_S = 5.0


async def native_balances(
    clients: ChainClients, chain_ids: Sequence[int], addresses: Sequence[str]
) -> dict[tuple[str, int], int | None]:
    pairs = [(address, chain_id) for address in addresses for chain_id in chain_ids]
    results = await asyncio.gather(*(_one(clients, a, c) for a, c in pairs))
    return dict(zip(pairs, results, strict=True))


async def _one(clients: ChainClients, address: str, chain_id: int) -> int | None:
    client: Any = clients.get(chain_id)
    try:
        async with asyncio.timeout(DEADLINE_S):
            return int(await client.eth.get_balance(ChecksumAddress(HexAddress(HexStr(address)))))
    except Exception:  # an unreachable chain is shown as such; the other cells still fill in
        return None
