"""The swap flow as a Qt-free state machine: quote -> pick -> confirm -> execute -> done.

The page renders ``SwapFlow.state`` and calls its methods; everything here is plain Python so the
flow is tested headless. Quotes stream in as providers answer; ranking is recomputed on each one.
"""

from __future__ import annotations

import enum
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from core.dex.types import Quote, QuoteFailure, RankedQuote

__all__ = ["SwapFlow", "SwapState"]


class SwapState(enum.Enum):
    IDLE = "idle"
    QUOTING = "quoting"
    READY = "ready"  # at least one quote; the person may pick
    CONFIRMING = "confirming"
    EXECUTING = "executing"
    DONE = "done"
    FAILED = "failed"


@dataclass
class SwapFlow:
    on_change: Callable[[SwapFlow], None] = lambda flow: None
    clock: Callable[[], float] = time.time
    state: SwapState = SwapState.IDLE
    quotes: list[Quote] = field(default_factory=list)
    failures: list[QuoteFailure] = field(default_factory=list)
    ranked: list[RankedQuote] = field(default_factory=list)
    chosen: str | None = None  # provider name; None = the best
    #: one key per confirmed swap: pressing Swap twice cannot swap twice
    idempotency_key: str | None = None
    message: str = ""
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def _changed(self) -> None:
        self.on_change(self)

    def start_quoting(self) -> None:
        if self.state in (SwapState.EXECUTING, SwapState.CONFIRMING):
            raise RuntimeError("a swap is in progress")
        self.state = SwapState.QUOTING
        self.quotes, self.failures, self.ranked = [], [], []
        self.chosen, self.idempotency_key, self.message, self.skipped = None, None, "", []
        self._changed()

    def add_result(self, result: Quote | QuoteFailure) -> None:
        if self.state not in (SwapState.QUOTING, SwapState.READY):
            return  # a late answer after the person moved on
        if isinstance(result, Quote):
            self.quotes.append(result)
        else:
            self.failures.append(result)
        self._changed()

    def set_ranking(self, ranked: list[RankedQuote]) -> None:
        self.ranked = ranked
        if ranked and self.state is SwapState.QUOTING:
            self.state = SwapState.READY
        self._changed()

    def quoting_finished(self) -> None:
        if self.state is SwapState.QUOTING:
            self.state = SwapState.READY if self.ranked else SwapState.FAILED
            if not self.ranked:
                self.message = "No provider returned a quote."
        self._changed()

    def pick(self, provider: str) -> None:
        if provider not in {r.quote.provider for r in self.ranked}:
            raise ValueError(f"no quote from {provider}")
        self.chosen = provider
        self._changed()

    def candidates(self) -> list[Quote]:
        """The chosen (or best) quote first, then the rest by rank, as fallbacks."""
        order = [r.quote for r in self.ranked]
        if self.chosen:
            order.sort(key=lambda q: q.provider != self.chosen)
        return order

    def stale(self) -> bool:
        return any(q.expired(self.clock()) for q in self.candidates()[:1])

    def ask_confirmation(self) -> None:
        if self.state is not SwapState.READY or not self.ranked:
            raise RuntimeError("there is no quote to confirm")
        self.state = SwapState.CONFIRMING
        if self.idempotency_key is None:
            self.idempotency_key = f"gui-swap-{uuid.uuid4()}"
        self._changed()

    def cancel_confirmation(self) -> None:
        if self.state is SwapState.CONFIRMING:
            self.state = SwapState.READY
        self._changed()

    def executing(self) -> None:
        if self.state is not SwapState.CONFIRMING:
            raise RuntimeError("confirm the swap first")
        self.state = SwapState.EXECUTING
        self._changed()

    def finished(self, message: str, skipped: list[tuple[str, str]]) -> None:
        self.state = SwapState.DONE
        self.message, self.skipped = message, skipped
        self._changed()

    def failed(self, message: str) -> None:
        self.state = SwapState.FAILED
        self.message = message
        self._changed()
