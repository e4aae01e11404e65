"""Rate limiter and circuit breaker under a fake clock."""

from __future__ import annotations

from core.dex.limits import CircuitBreaker, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_ten_per_minute() -> None:
    clock = Clock()
    limiter = RateLimiter(10, burst=1, clock=clock)
    assert limiter.wait_time() == 0
    limiter.take()
    assert abs(limiter.wait_time() - 6.0) < 1e-9
    clock.now += 6
    assert limiter.wait_time() == 0


def test_breaker_opens_after_three_failures_and_half_opens() -> None:
    clock = Clock()
    breaker = CircuitBreaker(3, 60, clock)
    for _ in range(2):
        breaker.record(ok=False)
    assert breaker.allows()
    breaker.record(ok=False)
    assert not breaker.allows() and breaker.retry_in() == 60
    clock.now += 60
    assert breaker.allows()
    breaker.record(ok=True)
    assert breaker.allows() and breaker.failures == 0
