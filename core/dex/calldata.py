"""Read the terms a swap's calldata really commits to: minimum output, recipient, tokens, amount.

Some providers state the minimum in their reply (0x, OKX, Rubic); others only put it inside the
calldata (KyberSwap, ParaSwap). The guard reads it from the calldata for the router ABIs below and
checks it against the person's bound, rather than trusting a number computed on our side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eth_abi import decode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

__all__ = ["SwapTerms", "decode_terms"]

ZERO = "0x0000000000000000000000000000000000000000"


@dataclass(frozen=True)
class SwapTerms:
    sell: str
    buy: str
    amount: int
    min_out: int
    recipient: str  # ZERO means "the caller" (ParaSwap's convention)


def _sig(text: str) -> bytes:
    return function_signature_to_4byte_selector(text)


_GENERIC_DATA = "(address,address,uint256,uint256,uint256,bytes32,address)"
_KYBER_DESC = (
    "(address,address,address[],uint256[],address[],uint256[],"
    "address,uint256,uint256,uint256,bytes)"
)
PARASWAP_V6_IN = f"swapExactAmountIn(address,{_GENERIC_DATA},uint256,bytes,bytes)"
KYBER_SWAP = f"swap((address,address,bytes,{_KYBER_DESC},bytes))"
KYBER_SIMPLE = f"swapSimpleMode(address,{_KYBER_DESC},bytes,bytes)"
SIMPLE_ROUTER = "swap(address,address,uint256,uint256,address)"


def _checksum(value: object) -> str:
    return str(to_checksum_address(str(value)))


def _paraswap(args: bytes) -> SwapTerms:
    _executor, data, _fee, _permit, _executor_data = decode(
        ["address", _GENERIC_DATA, "uint256", "bytes", "bytes"], args
    )
    src, dest, from_amount, to_amount, _quoted, _meta, beneficiary = data
    return SwapTerms(
        _checksum(src), _checksum(dest), int(from_amount), int(to_amount), _checksum(beneficiary)
    )


def _kyber_desc(desc: tuple[object, ...]) -> SwapTerms:
    src, dst, _srcr, _srca, _feer, _feea, receiver, amount, min_return, _flags, _permit = desc
    return SwapTerms(
        _checksum(src), _checksum(dst), int(str(amount)), int(str(min_return)), _checksum(receiver)
    )


def _kyber(args: bytes) -> SwapTerms:
    ((_target, _approve, _data, desc, _client),) = decode(
        [f"(address,address,bytes,{_KYBER_DESC},bytes)"], args
    )
    return _kyber_desc(desc)


def _kyber_simple(args: bytes) -> SwapTerms:
    _caller, desc, _executor_data, _client = decode(
        ["address", _KYBER_DESC, "bytes", "bytes"], args
    )
    return _kyber_desc(desc)


def _simple(args: bytes) -> SwapTerms:
    sell, buy, amount, min_out, recipient = decode(
        ["address", "address", "uint256", "uint256", "address"], args
    )
    return SwapTerms(
        _checksum(sell), _checksum(buy), int(amount), int(min_out), _checksum(recipient)
    )


DECODERS: dict[bytes, Callable[[bytes], SwapTerms]] = {
    _sig(PARASWAP_V6_IN): _paraswap,
    _sig(KYBER_SWAP): _kyber,
    _sig(KYBER_SIMPLE): _kyber_simple,
    _sig(SIMPLE_ROUTER): _simple,
}


def decode_terms(data: bytes) -> SwapTerms | None:
    """The terms, if the calldata is a call we know how to read; None otherwise."""
    decoder = DECODERS.get(data[:4])
    if decoder is None:
        return None
    try:
        return decoder(data[4:])
    except Exception:  # malformed arguments behind a known selector: treat as unreadable
        return None
