"""Ask every enabled provider at once; each has its own deadline; none can delay the others.

Results stream out as they arrive (fastest first). A provider that errors, times out, is
rate-limited locally or has its breaker open yields a QuoteFailure row with the reason; it never
yields a zero quote and never hides the others. Quotes are cached briefly by request.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import astuple

from core.cache import Cache
from core.dex.errors import ProviderError
from core.dex.limits import CircuitBreaker, RateLimiter
from core.dex.providers.base import DexProvider
from core.dex.types import Quote, QuoteFailure, QuoteRequest

__all__ = ["Aggregator", "QuoteResult"]

QuoteResult = Quote | QuoteFailure
QUOTE_CACHE_TTL_S = 10.0


class Aggregator:
    def __init__(
        self,
        providers: Sequence[DexProvider],
        *,
        deadline_s: float = 8.0,
        limits: dict[str, RateLimiter] | None = None,
        cache: Cache | None = None,
    ) -> None:
        self.providers = list(providers)
        self.deadline_s = deadline_s
        self._limits = limits or {}
        self._breakers = {p.name: CircuitBreaker() for p in providers}
        self._cache = cache
        #: smoothed answer time per provider (seconds), to decide who is asked first
        self.latency: dict[str, float] = {}

    def provider(self, name: str) -> DexProvider:
        for provider in self.providers:
            if provider.name == name:
                return provider
        raise ProviderError(name, "is not enabled")

    def breaker(self, name: str) -> CircuitBreaker:
        return self._breakers[name]

    async def stream(self, request: QuoteRequest) -> AsyncIterator[QuoteResult]:
        eligible = [p for p in self.providers if p.supports(request.chain_id)]
        # Preparing a request (signing, encoding) runs on this one thread, so whoever starts
        # first sends first. Ask the historically slowest first (unknown counts as slow): the
        # fast ones still answer before them, and the slowest is not also sent last.
        eligible.sort(key=lambda p: -self.latency.get(p.name, float("inf")))
        tasks = [asyncio.ensure_future(self._one(provider, request)) for provider in eligible]
        try:
            for finished in asyncio.as_completed(tasks):
                yield await finished
        finally:
            for task in tasks:
                task.cancel()

    async def quote_all(self, request: QuoteRequest) -> list[QuoteResult]:
        return [result async for result in self.stream(request)]

    async def _one(self, provider: DexProvider, request: QuoteRequest) -> QuoteResult:
        key = _cache_key(provider.name, request)
        if self._cache is not None:
            cached = self._cache.get(key)
            if isinstance(cached, Quote) and not cached.expired(time.time()):
                return cached
        breaker = self._breakers[provider.name]
        if not breaker.allows():
            return QuoteFailure(
                provider.name,
                f"skipped after repeated failures; retrying in {breaker.retry_in():.0f} s",
            )
        limiter = self._limits.get(provider.name)
        if limiter is not None:
            wait = limiter.wait_time()
            if wait > self.deadline_s:
                return QuoteFailure(
                    provider.name,
                    f"local rate limit ({limiter.per_minute:g}/min); next quote in {wait:.0f} s",
                )
            if wait:
                await asyncio.sleep(wait)
            limiter.take()
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.deadline_s):
                quote = await provider.quote(request)
        except TimeoutError:
            breaker.record(ok=False)
            return QuoteFailure(provider.name, f"no answer within {self.deadline_s:g} s")
        except ProviderError as exc:
            breaker.record(ok=not exc.retryable and "HTTP" not in exc.reason)
            return QuoteFailure(provider.name, exc.reason)
        except Exception as exc:  # a bug in one adapter must not take the others down
            breaker.record(ok=False)
            return QuoteFailure(provider.name, f"failed unexpectedly ({type(exc).__name__})")
        breaker.record(ok=True)
        took = time.monotonic() - started
        previous = self.latency.get(provider.name)
        self.latency[provider.name] = took if previous is None else 0.7 * previous + 0.3 * took
        if self._cache is not None:
            self._cache.set(key, quote, ttl=QUOTE_CACHE_TTL_S, tag=f"quotes:{request.chain_id}")
        return quote


def _cache_key(provider: str, request: QuoteRequest) -> str:
    return "quote:" + provider + ":" + repr(astuple(request))
