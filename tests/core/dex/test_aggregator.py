"""The fan-out: isolation, deadlines, streaming order, breaker, local rate limit, cache.

The providers here are small in-process implementations of the DexProvider protocol with
controlled delays; the HTTP providers themselves are tested against the API fakes.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from core.cache import Cache
from core.dex.aggregator import Aggregator
from core.dex.errors import ProviderError
from core.dex.limits import RateLimiter
from core.dex.providers.base import KnownContracts
from core.dex.types import NATIVE, Quote, QuoteFailure, QuoteRequest, SwapTx, TokenRef

REQUEST = QuoteRequest(
    1,
    TokenRef(NATIVE, 18),
    TokenRef("0xA0b86991c6218b36c1d19D4a2E9Eb0cE3606eB48", 6),
    10**18,
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
)


class Timed:
    def __init__(self, name: str, delay: float, *, fail: Exception | None = None) -> None:
        self.name = name
        self.delay = delay
        self.fail = fail
        self.calls = 0

    def supports(self, chain_id: int) -> bool:
        return True

    def known(self, chain_id: int) -> KnownContracts:
        return KnownContracts()

    async def quote(self, request: QuoteRequest) -> Quote:
        self.calls += 1
        await asyncio.sleep(self.delay)
        if self.fail is not None:
            raise self.fail
        return Quote(self.name, request, 1000, 990, 100_000, None, received_at=time.time())

    async def build(self, quote: Quote) -> SwapTx:
        raise NotImplementedError


async def test_results_stream_fastest_first_and_a_hang_is_cut_at_the_deadline() -> None:
    providers = [Timed("fast", 0.01), Timed("mid", 0.1), Timed("hang", 3600)]
    aggregator = Aggregator(providers, deadline_s=0.5)
    started = time.perf_counter()
    seen = [
        (r.provider, type(r).__name__, time.perf_counter() - started)
        async for r in aggregator.stream(REQUEST)
    ]
    assert [s[:2] for s in seen] == [("fast", "Quote"), ("mid", "Quote"), ("hang", "QuoteFailure")]
    assert seen[0][2] < 0.1  # the fast one did not wait for anyone
    assert 0.5 <= seen[2][2] < 1.0


async def test_a_failing_provider_is_an_error_row_never_a_zero() -> None:
    providers = [
        Timed("ok", 0),
        Timed("broken", 0, fail=ProviderError("broken", "malformed reply")),
        Timed("bug", 0, fail=KeyError("x")),
    ]
    results = {r.provider: r for r in await Aggregator(providers).quote_all(REQUEST)}
    assert isinstance(results["ok"], Quote) and results["ok"].buy_amount == 1000
    assert results["broken"] == QuoteFailure("broken", "malformed reply")
    assert isinstance(results["bug"], QuoteFailure) and "KeyError" in results["bug"].reason


async def test_breaker_skips_a_provider_after_repeated_failures() -> None:
    down = Timed("down", 0, fail=ProviderError("down", "cannot connect", retryable=True))
    aggregator = Aggregator([down])
    for _ in range(3):
        await aggregator.quote_all(REQUEST)
    [result] = await aggregator.quote_all(REQUEST)
    assert isinstance(result, QuoteFailure) and "skipped after repeated failures" in result.reason
    assert down.calls == 3


async def test_local_rate_limit_answers_instead_of_waiting_past_the_deadline() -> None:
    slow_quota = Timed("rubic", 0)
    aggregator = Aggregator(
        [slow_quota], deadline_s=1.0, limits={"rubic": RateLimiter(10, burst=1)}
    )
    [first] = await aggregator.quote_all(REQUEST)
    [second] = await aggregator.quote_all(
        QuoteRequest(REQUEST.chain_id, REQUEST.sell, REQUEST.buy, 2 * 10**18, REQUEST.taker)
    )
    assert isinstance(first, Quote)
    assert isinstance(second, QuoteFailure) and "10/min" in second.reason


async def test_quotes_are_cached_briefly_by_request(tmp_path: Path) -> None:
    counted = Timed("p", 0)
    aggregator = Aggregator([counted], cache=Cache(tmp_path))
    await aggregator.quote_all(REQUEST)
    await aggregator.quote_all(REQUEST)
    assert counted.calls == 1


async def test_the_slowest_known_provider_is_asked_first() -> None:
    order: list[str] = []

    class Recording(Timed):
        async def quote(self, request: QuoteRequest) -> Quote:
            order.append(self.name)
            return await super().quote(request)

    failing = Recording("unknown", 0.0, fail=ProviderError("unknown", "malformed reply"))
    providers = [Recording("fast", 0.0), Recording("slow", 0.05), failing]
    aggregator = Aggregator(providers)
    await aggregator.quote_all(REQUEST)
    assert aggregator.latency["slow"] > aggregator.latency["fast"]
    assert "unknown" not in aggregator.latency  # a failure teaches nothing about speed
    order.clear()
    await aggregator.quote_all(REQUEST)
    assert order == ["unknown", "slow", "fast"]  # unknown counts as slow, then slowest first
