"""Fee suggestions from the chain itself: EIP-1559 from eth_feeHistory, legacy gas price otherwise.

slow/normal/fast take the 10th/50th/90th percentile of recent priority fees. maxFeePerGas leaves
headroom for the base fee to rise for several full blocks (each can add 12.5%): 2 x next base fee
plus the tip, so a transaction stays valid through a burst of congestion without overpaying (the
unused part of maxFee is never charged).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from web3 import AsyncWeb3

from core.errors import ChainError

__all__ = ["FeeQuote", "Speed", "suggest_fees"]

Speed = Literal["slow", "normal", "fast"]
_PERCENTILES = {"slow": 10, "normal": 50, "fast": 90}
_LEGACY_MULTIPLIER = {"slow": 100, "normal": 110, "fast": 125}  # percent of eth_gasPrice
BLOCKS = 20


@dataclass(frozen=True)
class FeeQuote:
    eip1559: bool
    max_fee_per_gas: int | None = None
    max_priority_fee_per_gas: int | None = None
    gas_price: int | None = None
    #: the next block's base fee when known; what a unit of gas is expected to cost is
    #: base fee + tip, while max_fee_per_gas is only the ceiling
    base_fee: int | None = None

    @property
    def expected_per_gas(self) -> int:
        if self.eip1559 and self.base_fee is not None:
            assert self.max_priority_fee_per_gas is not None
            return self.base_fee + self.max_priority_fee_per_gas
        return self.ceiling_per_gas

    @property
    def ceiling_per_gas(self) -> int:
        """The most one unit of gas can cost under this quote."""
        value = self.max_fee_per_gas if self.eip1559 else self.gas_price
        assert value is not None
        return value

    def bumped(self, percent: int) -> FeeQuote:
        """Fees raised by ``percent`` (replacement needs >= 10% on geth-like nodes)."""

        def up(value: int | None) -> int | None:
            return None if value is None else value * (100 + percent) // 100 + 1

        return FeeQuote(
            self.eip1559,
            up(self.max_fee_per_gas),
            up(self.max_priority_fee_per_gas),
            up(self.gas_price),
        )

    def tx_fields(self) -> dict[str, int]:
        if self.eip1559:
            assert self.max_fee_per_gas is not None and self.max_priority_fee_per_gas is not None
            return {
                "maxFeePerGas": self.max_fee_per_gas,
                "maxPriorityFeePerGas": self.max_priority_fee_per_gas,
            }
        assert self.gas_price is not None
        return {"gasPrice": self.gas_price}


async def suggest_fees(client: AsyncWeb3[Any], speed: Speed = "normal") -> FeeQuote:
    try:
        latest = await client.eth.get_block("latest")
        base_fee = latest.get("baseFeePerGas")
        if base_fee is None:
            gas_price = await client.eth.gas_price
            return FeeQuote(False, gas_price=gas_price * _LEGACY_MULTIPLIER[speed] // 100)
        history = await client.eth.fee_history(BLOCKS, "latest", [_PERCENTILES[speed]])
    except Exception as exc:
        raise ChainError(f"Could not read fees from the chain ({type(exc).__name__}).") from exc
    next_base = int(history["baseFeePerGas"][-1])
    tips = sorted(int(r[0]) for r in history.get("reward", []) if r)
    tip = tips[len(tips) // 2] if tips else 0
    # A zero tip (idle chains, local nodes) still needs something to be included promptly.
    tip = max(tip, 1_000_000 if speed != "slow" else 0)
    return FeeQuote(
        True, max_fee_per_gas=2 * next_base + tip, max_priority_fee_per_gas=tip, base_fee=next_base
    )
