"""Per-account nonce allocation: concurrent sends from one account never reuse a nonce.

The lock for (chain, account) is held from choosing the nonce until the signed transaction is
persisted and handed to the node, so the next sender sees it in the pending count (or in our own
record). The nonce is the larger of the node's pending count and one past our last persisted nonce,
which covers a node that has not yet seen a transaction we just sent.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

__all__ = ["NonceManager"]


class NonceManager:
    def __init__(self) -> None:
        self._locks: defaultdict[tuple[int, str], asyncio.Lock] = defaultdict(asyncio.Lock)

    @asynccontextmanager
    async def reserve(
        self,
        chain_id: int,
        address: str,
        pending_count: Callable[[], Awaitable[int]],
        last_used: Callable[[], Awaitable[int | None]],
    ) -> AsyncIterator[int]:
        async with self._locks[(chain_id, address)]:
            from_node = await pending_count()
            ours = await last_used()
            yield max(from_node, (ours + 1) if ours is not None else 0)
