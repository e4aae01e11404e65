"""Per-provider protection: a token-bucket rate limit and a circuit breaker.

The rate limit keeps us inside a provider's published quota (Rubic: 10 a minute without a key)
instead of being throttled; the breaker stops asking a provider that keeps failing, for a
cool-down, so it cannot slow every quote down.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["CircuitBreaker", "RateLimiter"]


@dataclass
class RateLimiter:
    per_minute: float
    burst: int = 1
    clock: Callable[[], float] = time.monotonic
    _tokens: float = field(init=False)
    _updated: float = field(init=False)

    def __post_init__(self) -> None:
        self._tokens = float(self.burst)
        self._updated = self.clock()

    def _refill(self) -> None:
        now = self.clock()
        self._tokens = min(
            float(self.burst), self._tokens + (now - self._updated) * self.per_minute / 60
        )
        self._updated = now

    def wait_time(self) -> float:
        """Seconds until a request may go (0 if now)."""
        self._refill()
        if self._tokens >= 1:
            return 0.0
        return (1 - self._tokens) * 60 / self.per_minute

    def take(self) -> None:
        self._refill()
        self._tokens -= 1


@dataclass
class CircuitBreaker:
    failures_to_open: int = 3
    cooldown_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    opened_at: float | None = None

    def allows(self) -> bool:
        if self.opened_at is None:
            return True
        # Half-open after the cool-down: one request decides.
        return self.clock() - self.opened_at >= self.cooldown_s

    def record(self, ok: bool) -> None:
        if ok:
            self.failures = 0
            self.opened_at = None
            return
        self.failures += 1
        if self.failures >= self.failures_to_open:
            self.opened_at = self.clock()

    def retry_in(self) -> float:
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.cooldown_s - (self.clock() - self.opened_at))
