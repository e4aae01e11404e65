"""Value types of the swap pipeline. Amounts are base-unit integers; prices are Decimal."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "NATIVE",
    "Quote",
    "QuoteFailure",
    "QuoteRequest",
    "RankedQuote",
    "SwapTx",
    "TokenRef",
    "is_native",
]

#: the placeholder most aggregators use for the chain's native coin
NATIVE = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"


def is_native(address: str) -> bool:
    return address.lower() in (NATIVE.lower(), "0x0000000000000000000000000000000000000000")


@dataclass(frozen=True)
class TokenRef:
    address: str  # checksummed; NATIVE for the native coin
    decimals: int
    symbol: str = ""

    @property
    def native(self) -> bool:
        return is_native(self.address)


@dataclass(frozen=True)
class QuoteRequest:
    chain_id: int
    sell: TokenRef
    buy: TokenRef
    sell_amount: int
    taker: str
    slippage_bps: int = 50

    def __post_init__(self) -> None:
        if self.sell_amount <= 0:
            raise ValueError("sell_amount must be positive")
        if not 0 < self.slippage_bps <= 5000:
            raise ValueError("slippage must be between 0.01% and 50%")


@dataclass(frozen=True)
class Quote:
    provider: str
    request: QuoteRequest
    buy_amount: int
    min_buy_amount: int
    gas_units: int | None  # None when the provider did not say: ranks last
    allowance_target: str | None  # who must be approved to spend the sell token
    route: str = ""
    price_impact_pct: Decimal | None = None
    #: provider-specific data needed to build the transaction (quote id, route summary...)
    build_ref: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    received_at: float = 0.0
    ttl_s: float = 30.0

    def expired(self, now: float) -> bool:
        return now - self.received_at > self.ttl_s


@dataclass(frozen=True)
class QuoteFailure:
    """A provider that gave no usable quote: shown as an error row, never as a zero quote."""

    provider: str
    reason: str


@dataclass(frozen=True)
class SwapTx:
    provider: str
    chain_id: int
    to: str
    data: bytes
    value: int
    gas: int | None
    spender: str | None  # the allowance target the provider names for this swap
    min_buy_amount: int
    quote: Quote
    #: False when the reply did not state a minimum (it is only inside the calldata)
    min_stated: bool = True


@dataclass(frozen=True)
class RankedQuote:
    quote: Quote
    out_value: Decimal | None  # fiat value of buy_amount
    gas_cost: Decimal | None  # fiat cost of gas (incl. L1 data fee when known)
    net_value: Decimal | None
    gap_to_best: Decimal | None  # how much less than the best (fiat), 0 for the best
