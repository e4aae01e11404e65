"""Transaction signing with libsecp256k1 (coincurve) vs eth_keys' pure-Python backend.

Both sign the same EIP-1559 transaction hashes with the same key in one run; the figures are
throughput, per-signature latency p50/p99, and the speed-up ratio. Also the full path the app uses
(eth_account.sign_transaction, which picks coincurve when installed). Prints one JSON line last.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from eth_account import Account
from eth_account.typed_transactions.typed_transaction import TypedTransaction
from eth_keys import KeyAPI
from eth_keys.backends import CoinCurveECCBackend, NativeECCBackend

KEY = bytes.fromhex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
N = 2000


def transactions(n: int) -> list[dict[str, object]]:
    return [
        {
            "type": 2,
            "chainId": 1,
            "nonce": i,
            "gas": 21000,
            "to": "0x" + "11" * 20,
            "value": 10**15 + i,
            "data": b"",
            "maxFeePerGas": 30 * 10**9,
            "maxPriorityFeePerGas": 10**9,
        }
        for i in range(n)
    ]


def measure(sign: object, items: list[object]) -> dict[str, float]:
    latencies = []
    started = time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        sign(item)  # type: ignore[operator]
        latencies.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    latencies.sort()
    return {
        "per_s": round(len(items) / total, 1),
        "p50_us": round(statistics.median(latencies) * 1e6, 1),
        "p99_us": round(latencies[int(len(latencies) * 0.99) - 1] * 1e6, 1),
    }


def main() -> None:
    txs = transactions(N)
    hashes = [TypedTransaction.from_dict(tx).hash() for tx in txs]
    coincurve = KeyAPI(backend=CoinCurveECCBackend())
    native = KeyAPI(backend=NativeECCBackend())
    cc_key = coincurve.PrivateKey(KEY)
    py_key = native.PrivateKey(KEY)
    # Same key, same hash -> the same (deterministic, RFC 6979) signature from both backends.
    assert cc_key.sign_msg_hash(hashes[0]) == py_key.sign_msg_hash(hashes[0])
    with_cc = measure(lambda h: coincurve.ecdsa_sign(h, cc_key), hashes)
    without = measure(lambda h: native.ecdsa_sign(h, py_key), hashes[: N // 4])
    full_path = measure(lambda tx: Account.sign_transaction(tx, KEY), txs)
    figures = {
        "bench": "signing",
        "signatures": N,
        "coincurve": with_cc,
        "pure_python": without,
        "eth_account_sign_transaction": full_path,
        "coincurve_speedup": round(with_cc["per_s"] / without["per_s"], 1),
    }
    print(f"coincurve signs {figures['coincurve_speedup']}x faster than the pure-Python backend")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
