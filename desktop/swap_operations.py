"""User actions of the Swap page: one thin function each, run through core.tasks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from core.dex.swap import SwapOutcome
from core.dex.types import Quote, QuoteFailure, RankedQuote
from desktop.operations import Operations

__all__ = ["execute_swap", "stream_quotes"]


def stream_quotes(
    ops: Operations,
    form: tuple[int, str, str, str, str, Decimal],
    on_result: Callable[[Quote | QuoteFailure], None],
    on_ranked: Callable[[list[RankedQuote]], None],
    on_done: Callable[[None], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    """Quotes appear one by one as providers answer; the ranking is redone after each."""
    core = ops.core

    async def work() -> None:
        request = await core.build_quote_request(*form)
        quotes: list[Quote] = []
        async for result in core.swaps.aggregator.stream(request):
            on_result(result)
            if isinstance(result, Quote):
                quotes.append(result)
                on_ranked(await core.swaps.rank(quotes))

    ops.run("quote", work(), on_done, on_failure)


def execute_swap(
    ops: Operations,
    candidates: Sequence[Quote],
    wallet_id: int,
    idempotency_key: str,
    unlimited_approval: bool,
    on_done: Callable[[SwapOutcome], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    ops.run(
        "swap",
        ops.core.swaps.execute(
            list(candidates), wallet_id, idempotency_key, unlimited_approval=unlimited_approval
        ),
        on_done,
        on_failure,
    )
