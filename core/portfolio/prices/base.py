"""The price-source protocol: USD prices for tokens on a chain."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol, runtime_checkable

__all__ = ["NATIVE_KEY", "PriceSource"]

#: how callers ask for the chain's native coin
NATIVE_KEY = "native"


@runtime_checkable
class PriceSource(Protocol):
    """``usd_prices`` returns prices for the tokens it knows, keyed by the lower-case address
    asked for (or NATIVE_KEY); tokens it does not know are absent, never priced at zero. It raises
    a CoreError subclass when the source is unreachable or replies malformed."""

    name: str

    async def usd_prices(self, chain_id: int, tokens: Sequence[str]) -> dict[str, Decimal]: ...
