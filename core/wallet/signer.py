"""Signing: the key is read from the keychain, used in an executor, and dropped.

eth_account signs through eth_keys, which uses libsecp256k1 via coincurve when it is installed
(it is a dependency); tests/bench/bench_signing.py measures that choice.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from eth_account import Account

from core.wallet.secret import Secret

__all__ = ["SignedTx", "sign_transaction"]


@dataclass(frozen=True)
class SignedTx:
    tx_hash: str  # 0x-prefixed
    raw: str  # 0x-prefixed signed bytes


def _sign(tx: dict[str, Any], key: Secret) -> SignedTx:
    signed = Account.sign_transaction(tx, key.reveal())
    return SignedTx(
        "0x" + signed.hash.hex().removeprefix("0x"),
        "0x" + signed.raw_transaction.hex().removeprefix("0x"),
    )


async def sign_transaction(tx: dict[str, Any], key: Secret) -> SignedTx:
    return await asyncio.get_running_loop().run_in_executor(None, _sign, tx, key)
