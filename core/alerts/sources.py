"""What alerts read, each behind a small Protocol so the service never reaches into other
features: prices, the portfolio's value history, volatility forecasts, swap quotes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable

from core.alerts.rules import SwapTarget
from core.dex.aggregator import QuoteResult
from core.dex.types import Quote, QuoteFailure, QuoteRequest
from core.money import to_decimal

__all__ = [
    "AggregatorQuotes",
    "PriceFeed",
    "PriceHistory",
    "SwapQuotes",
    "ValueHistory",
    "VolatilityForecasts",
]


@runtime_checkable
class PriceFeed(Protocol):
    """USD prices keyed by the asked-for key (lower-case address or "native"); unknown tokens are
    absent. Raises a CoreError subclass when no source can answer. PriceService fits."""

    async def prices(self, chain_id: int, tokens: Sequence[str]) -> dict[str, Decimal]: ...


#: the portfolio's total value over time since a moment: (time, value) in time order
ValueHistory = Callable[[datetime | None], Awaitable[list[tuple[datetime, Decimal]]]]

#: stored USD prices of one asset (chain id, key) since a moment: (time, price) in time order
PriceHistory = Callable[[int, str, datetime], Awaitable[list[tuple[datetime, Decimal]]]]


@runtime_checkable
class VolatilityForecasts(Protocol):
    """The on-device model's latest volatility forecast for an asset.

    ``latest_volatility`` returns the forecast **annualised** volatility as a fraction (0.8 means
    80 % a year), or None when there is no forecast for that symbol yet. It never invents a
    value; it raises a CoreError subclass when the model cannot be run.
    """

    async def latest_volatility(self, symbol: str) -> float | None: ...


@runtime_checkable
class SwapQuotes(Protocol):
    """The best output (human units of the buy token) aggregators offer for a swap, or None when
    no provider quoted (the reason is in ``last_problem``). Raises CoreError for a bad request."""

    last_problem: str

    async def best_output(self, target: SwapTarget) -> Decimal | None: ...


BuildRequest = Callable[[SwapTarget], Awaitable[QuoteRequest]]
QuoteAll = Callable[[QuoteRequest], Awaitable[list[QuoteResult]]]


class AggregatorQuotes:
    """SwapQuotes over the app's aggregator: the same fan-out, deadlines and breakers as the
    Swap page, so an alert never asks a provider more than its limits allow."""

    def __init__(self, build_request: BuildRequest, quote_all: QuoteAll) -> None:
        self._build = build_request
        self._quote_all = quote_all
        self.last_problem = ""

    async def best_output(self, target: SwapTarget) -> Decimal | None:
        request = await self._build(target)
        results = await self._quote_all(request)
        quotes = [r for r in results if isinstance(r, Quote)]
        if not quotes:
            reasons = "; ".join(
                f"{r.provider}: {r.reason}" for r in results if isinstance(r, QuoteFailure)
            )
            self.last_problem = f"no provider quoted ({reasons or 'none enabled for this chain'})"
            return None
        self.last_problem = ""
        best = max(q.buy_amount for q in quotes)
        return to_decimal(best, request.buy.decimals)
