"""The swap flow state machine, headless (no Qt)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.dex.ranking import rank_quotes
from core.dex.types import NATIVE, Quote, QuoteFailure, QuoteRequest, TokenRef
from desktop.flows.swap_flow import SwapFlow, SwapState

REQUEST = QuoteRequest(
    1,
    TokenRef(NATIVE, 18, "ETH"),
    TokenRef("0xA0b86991c6218b36c1d19D4a2E9Eb0cE3606eB48", 6),
    10**18,
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
)


def quote(name: str, out: int, received_at: float = 100.0) -> Quote:
    return Quote(name, REQUEST, out, out * 99 // 100, 100_000, None, received_at=received_at)


def ranked(*quotes: Quote):  # type: ignore[no-untyped-def]
    return rank_quotes(
        list(quotes), buy_price=Decimal(1), native_price=Decimal(3000), gas_price_wei=10**9
    )


def test_quotes_stream_in_then_confirm_then_execute() -> None:
    seen: list[SwapState] = []
    flow = SwapFlow(on_change=lambda f: seen.append(f.state), clock=lambda: 110.0)
    flow.start_quoting()
    flow.add_result(QuoteFailure("okx", "rate limited"))
    a, b = quote("a", 2_000_000_000), quote("b", 2_100_000_000)
    flow.add_result(a)
    flow.set_ranking(ranked(a))
    assert flow.state is SwapState.READY  # usable as soon as one quote is in
    flow.add_result(b)
    flow.set_ranking(ranked(a, b))
    flow.quoting_finished()
    assert [q.provider for q in flow.candidates()] == ["b", "a"]
    flow.pick("a")
    assert [q.provider for q in flow.candidates()] == ["a", "b"]  # the rest stay as fallbacks
    flow.ask_confirmation()
    key = flow.idempotency_key
    flow.cancel_confirmation()
    flow.ask_confirmation()
    assert flow.idempotency_key == key  # the same trade keeps one key: no double swap
    flow.executing()
    with pytest.raises(RuntimeError):
        flow.executing()
    flow.finished("done", [("a", "refused (router)")])
    assert flow.state is SwapState.DONE and flow.skipped == [("a", "refused (router)")]
    assert seen[0] is SwapState.QUOTING


def test_nothing_to_swap_and_late_answers() -> None:
    flow = SwapFlow()
    flow.start_quoting()
    flow.add_result(QuoteFailure("0x", "no liquidity"))
    flow.quoting_finished()
    assert flow.state is SwapState.FAILED and "No provider" in flow.message
    with pytest.raises(RuntimeError):
        flow.ask_confirmation()
    flow.add_result(quote("late", 1))  # arrives after the flow moved on: ignored
    assert flow.quotes == []


def test_stale_quotes_are_flagged_before_signing() -> None:
    now = [100.0]
    flow = SwapFlow(clock=lambda: now[0])
    flow.start_quoting()
    q = quote("a", 5, received_at=100.0)
    flow.add_result(q)
    flow.set_ranking(ranked(q))
    assert not flow.stale()
    now[0] = 100.0 + q.ttl_s + 1
    assert flow.stale()
