"""Reading the committed terms out of real router calldata (ParaSwap v6.2, KyberSwap)."""

from __future__ import annotations

from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector

from core.dex import calldata
from core.dex.calldata import decode_terms

SELL = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
BUY = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"
TAKER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def call(signature: str, types: list[str], args: list[object]) -> bytes:
    return function_signature_to_4byte_selector(signature) + encode(types, args)


def test_paraswap_swap_exact_amount_in() -> None:
    data = call(
        calldata.PARASWAP_V6_IN,
        ["address", calldata._GENERIC_DATA, "uint256", "bytes", "bytes"],
        ["0x" + "11" * 20, (SELL, BUY, 1000, 990, 1000, b"\0" * 32, TAKER), 0, b"", b"\x01"],
    )
    terms = decode_terms(data)
    assert terms is not None
    assert (terms.sell, terms.buy, terms.amount, terms.min_out, terms.recipient) == (
        SELL,
        BUY,
        1000,
        990,
        TAKER,
    )


def test_kyberswap_meta_aggregation_router_v2() -> None:
    desc = (SELL, BUY, [], [], [], [], TAKER, 5000, 4900, 0, b"")
    data = call(
        calldata.KYBER_SWAP,
        [f"(address,address,bytes,{calldata._KYBER_DESC},bytes)"],
        [("0x" + "22" * 20, "0x" + "33" * 20, b"\x02", desc, b"")],
    )
    terms = decode_terms(data)
    assert terms is not None and terms.min_out == 4900 and terms.recipient == TAKER


def test_unknown_or_truncated_calldata_is_unreadable() -> None:
    assert decode_terms(b"\x12\x34\x56\x78" + b"\0" * 64) is None
    good = call(
        calldata.SIMPLE_ROUTER,
        ["address", "address", "uint256", "uint256", "address"],
        [SELL, BUY, 1, 1, TAKER],
    )
    assert decode_terms(good) is not None
    assert decode_terms(good[:40]) is None
