"""Is a chain's RPC reachable, on the chain we think it is, and how far along is it?"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from web3 import AsyncWeb3

__all__ = ["ChainHealth", "check_chain"]


@dataclass(frozen=True)
class ChainHealth:
    chain_id: int
    url: str
    online: bool
    block_number: int | None = None
    latency_ms: float | None = None
    error: str | None = None


async def check_chain(
    client: AsyncWeb3[Any], chain_id: int, url: str, timeout_s: float
) -> ChainHealth:
    """Ask for the chain id and head block; never raises, reports the reason instead."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout_s):
            reported = await client.eth.chain_id
            block = await client.eth.block_number
    except TimeoutError:
        return ChainHealth(chain_id, url, False, error=f"no answer within {timeout_s:g} s")
    except Exception as exc:  # any transport or JSON-RPC failure means "offline" here
        return ChainHealth(chain_id, url, False, error=_describe(exc))
    latency = (time.perf_counter() - started) * 1000
    if reported != chain_id:
        return ChainHealth(
            chain_id,
            url,
            False,
            latency_ms=latency,
            error=f"this RPC serves chain {reported}, not {chain_id}",
        )
    return ChainHealth(chain_id, url, True, block_number=int(block), latency_ms=latency)


def _describe(exc: BaseException) -> str:
    # Say what kind of failure without echoing library text that may contain the RPC URL's key.
    name = type(exc).__name__
    if "Connect" in name or isinstance(exc, ConnectionError | OSError):
        return "cannot connect"
    if "Timeout" in name:
        return "timed out"
    return f"RPC error ({name})"


async def probe_url(chain_id: int, url: str, timeout_s: float) -> ChainHealth:
    """Check an RPC address with a throwaway client that is closed afterwards."""
    from core.chains.clients import ChainClients  # local: clients imports nothing from here

    client = ChainClients.build(url, timeout_s)
    try:
        return await check_chain(client, chain_id, url, timeout_s)
    finally:
        await client.provider.disconnect()
