"""Errors of the swap pipeline, each with a message a person can act on."""

from __future__ import annotations

from core.errors import CoreError

__all__ = ["GuardRefusal", "ProviderError", "SwapError"]


class ProviderError(CoreError):
    """A provider gave no usable answer (down, throttled, malformed, or said no)."""

    title = "Quote unavailable"

    def __init__(self, provider: str, reason: str, *, retryable: bool = False) -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason
        self.retryable = retryable


class GuardRefusal(CoreError):
    """The transaction a provider built failed a check before signing; nothing was signed."""

    title = "Swap refused before signing"

    def __init__(self, provider: str, check: str, reason: str) -> None:
        super().__init__(f"{provider}: refused ({check}): {reason}")
        self.provider = provider
        self.check = check
        self.reason = reason


class SwapError(CoreError):
    title = "Swap failed"
