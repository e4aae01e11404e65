"""Balances of many holders and tokens on one chain, read through Multicall3.

One eth_call of aggregate3 per batch (and one batch per chain unless the person holds a lot):
native balances through Multicall3's own getEthBalance, tokens through balanceOf, every call with
allowFailure so one broken token contract cannot hide the others; it is reported instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector

from core.errors import ChainError
from core.portfolio.tokens import TokenInfo

__all__ = ["MULTICALL3", "BalanceRead", "Holding", "read_balances"]

MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11"
BATCH = 400  # calls per aggregate3: stays well under common RPC gas caps for eth_call
_AGGREGATE3 = function_signature_to_4byte_selector("aggregate3((address,bool,bytes)[])")
_ETH_BALANCE = function_signature_to_4byte_selector("getEthBalance(address)")
_BALANCE_OF = function_signature_to_4byte_selector("balanceOf(address)")


@dataclass(frozen=True)
class Holding:
    chain_id: int
    owner: str
    token: TokenInfo | None  # None: the native coin
    amount: int


@dataclass(frozen=True)
class BalanceRead:
    holdings: list[Holding]
    failed: list[tuple[str, TokenInfo | None, str]]  # owner, token, why
    rpc_calls: int


async def read_balances(
    client: Any,
    chain_id: int,
    owners: Sequence[str],
    tokens: Sequence[TokenInfo],
    *,
    multicall: str = MULTICALL3,
    batch: int = BATCH,
) -> BalanceRead:
    plan: list[tuple[str, TokenInfo | None, tuple[str, bool, bytes]]] = []
    for owner in owners:
        owner_arg = encode(["address"], [owner])
        plan.append((owner, None, (multicall, True, _ETH_BALANCE + owner_arg)))
        for token in tokens:
            plan.append((owner, token, (token.address, True, _BALANCE_OF + owner_arg)))
    holdings: list[Holding] = []
    failed: list[tuple[str, TokenInfo | None, str]] = []
    calls = 0
    for start in range(0, len(plan), batch):
        chunk = plan[start : start + batch]
        data = _AGGREGATE3 + encode(["(address,bool,bytes)[]"], [[c for _, _, c in chunk]])
        try:
            raw = await client.eth.call({"to": multicall, "data": data})
        except Exception as exc:
            raise ChainError(
                f"Reading balances on chain {chain_id} failed ({type(exc).__name__})."
            ) from exc
        calls += 1
        if not raw:
            raise ChainError(f"Multicall3 is not deployed at {multicall} on chain {chain_id}.")
        (results,) = decode(["(bool,bytes)[]"], raw)
        for (owner, asset, _), (ok, returned) in zip(chunk, results, strict=True):
            if not ok or len(returned) != 32:
                failed.append((owner, asset, "the contract did not answer balanceOf"))
                continue
            holdings.append(Holding(chain_id, owner, asset, int.from_bytes(returned, "big")))
    return BalanceRead(holdings, failed, calls)
