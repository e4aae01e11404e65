"""The few ERC-20 calls a wallet needs, encoded with eth_abi (no contract objects to build)."""

from __future__ import annotations

from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector

from core.errors import ChainError

__all__ = ["balance_of", "decimals", "symbol", "transfer_data"]

_TRANSFER = function_signature_to_4byte_selector("transfer(address,uint256)")
_BALANCE_OF = function_signature_to_4byte_selector("balanceOf(address)")
_DECIMALS = function_signature_to_4byte_selector("decimals()")
_SYMBOL = function_signature_to_4byte_selector("symbol()")


def transfer_data(to: str, amount: int) -> bytes:
    return _TRANSFER + encode(["address", "uint256"], [to, amount])


async def _call(client: Any, token: str, data: bytes) -> bytes:
    try:
        result: bytes = await client.eth.call({"to": token, "data": data})
    except Exception as exc:
        raise ChainError(
            f"Token {token} did not answer ({type(exc).__name__}): is it an ERC-20 on this chain?"
        ) from exc
    if not result:
        raise ChainError(f"{token} has no contract code on this chain.")
    return result


async def balance_of(client: Any, token: str, owner: str) -> int:
    raw = await _call(client, token, _BALANCE_OF + encode(["address"], [owner]))
    return int(decode(["uint256"], raw)[0])


async def decimals(client: Any, token: str) -> int:
    value = int(decode(["uint8"], await _call(client, token, _DECIMALS))[0])
    return value


async def symbol(client: Any, token: str) -> str:
    raw = await _call(client, token, _SYMBOL)
    try:
        return str(decode(["string"], raw)[0])
    except Exception:
        return str(raw[:32].rstrip(b"\0").decode("utf-8", "replace"))  # bytes32 symbols (MKR)
