"""The swap pipeline after quoting: build -> guard -> approve (exact) -> swap, with fallback.

Candidates are tried in the order given (the person's pick first, then the rest by rank). A
candidate whose build, guard or simulation fails is skipped with its reason, and the next is tried;
every reason is reported. Expired quotes are re-quoted before building. The approval and the swap
are journaled under ``<key>:approve`` and ``<key>:swap``, so repeating a swap with the same key
returns the first outcome instead of swapping twice.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector

from core.chains.clients import ChainClients
from core.dex.aggregator import Aggregator, QuoteResult
from core.dex.errors import GuardRefusal, ProviderError, SwapError
from core.dex.guard import Guard, SimulationResult, approve_data
from core.dex.ranking import rank_quotes
from core.dex.types import Quote, QuoteRequest, RankedQuote, SwapTx
from core.errors import CoreError
from core.portfolio.prices.base import NATIVE_KEY, PriceSource
from core.wallet.fees import suggest_fees
from core.wallet.journal import IntentJournal
from core.wallet.sender import ContractCall, SendResult, TxSender

__all__ = ["SwapOutcome", "SwapService"]

UNLIMITED = 2**256 - 1
_ALLOWANCE = function_signature_to_4byte_selector("allowance(address,address)")


@dataclass(frozen=True)
class SwapOutcome:
    provider: str
    swap: SendResult
    approval: SendResult | None
    simulated: SimulationResult | None
    #: (provider, reason) for every better-ranked route that was skipped
    skipped: list[tuple[str, str]] = field(default_factory=list)


class SwapService:
    def __init__(
        self,
        aggregator: Aggregator,
        clients: ChainClients,
        sender: TxSender,
        journal: IntentJournal,
        prices: Sequence[PriceSource] = (),
    ) -> None:
        self.aggregator = aggregator
        self._clients = clients
        self._sender = sender
        self._journal = journal
        self._prices = list(prices)

    # -- quoting and ranking ---------------------------------------------------------------------
    async def quote_all(self, request: QuoteRequest) -> list[QuoteResult]:
        return await self.aggregator.quote_all(request)

    async def rank(self, quotes: Sequence[Quote]) -> list[RankedQuote]:
        if not quotes:
            return []
        request = quotes[0].request
        client = self._clients.get(request.chain_id)
        buy_key = NATIVE_KEY if request.buy.native else request.buy.address.lower()
        prices = await self._usd_prices(request.chain_id, [buy_key, NATIVE_KEY])
        try:
            gas_price: int | None = (await suggest_fees(client)).expected_per_gas
        except CoreError:
            gas_price = None
        return rank_quotes(
            quotes,
            buy_price=prices.get(buy_key),
            native_price=prices.get(NATIVE_KEY),
            gas_price_wei=gas_price,
        )

    async def _usd_prices(self, chain_id: int, keys: list[str]) -> dict[str, Decimal]:
        """First source that answers wins, in the person's order; a dead source is skipped."""
        found: dict[str, Decimal] = {}
        for source in self._prices:
            missing = [k for k in keys if k not in found]
            if not missing:
                break
            try:
                found.update(await source.usd_prices(chain_id, missing))
            except CoreError:
                continue
        return found

    # -- executing ------------------------------------------------------------------------------
    async def execute(
        self,
        candidates: Sequence[Quote],
        wallet_id: int,
        idempotency_key: str,
        *,
        unlimited_approval: bool = False,
        wait: bool = True,
    ) -> SwapOutcome:
        previous = await self._previous(idempotency_key)
        if previous is not None:
            return previous
        if not candidates:
            raise SwapError("There is no quote to swap with.")
        client = self._clients.get(candidates[0].request.chain_id)
        guard = Guard(client)
        skipped: list[tuple[str, str]] = []
        for candidate in candidates:
            try:
                swap, simulated = await self._prepare(candidate, guard)
            except (ProviderError, GuardRefusal) as exc:
                skipped.append((candidate.provider, exc.user_message))
                continue
            approval = await self._approve_if_needed(
                client, swap, wallet_id, idempotency_key, unlimited_approval
            )
            call = ContractCall(
                swap.to, swap.data, swap.value, "swap", label=_label(swap), gas=swap.gas
            )
            result = await self._sender.send_call(
                swap.chain_id, wallet_id, call, f"{idempotency_key}:swap"
            )
            if wait:
                result = await self._sender.wait(result.intent_id)
            return SwapOutcome(swap.provider, result, approval, simulated, skipped)
        reasons = "; ".join(f"{name}: {why}" for name, why in skipped)
        raise SwapError(f"No route passed the checks before signing. {reasons}")

    async def _prepare(self, candidate: Quote, guard: Guard) -> tuple[SwapTx, SimulationResult]:
        provider = self.aggregator.provider(candidate.provider)
        quote = candidate
        if quote.expired(time.time()):
            quote = await provider.quote(candidate.request)
        async with asyncio.timeout(self.aggregator.deadline_s * 2):
            swap = await provider.build(quote)
        simulated = await guard.check(swap, provider)
        return swap, simulated

    async def _approve_if_needed(
        self, client: Any, swap: SwapTx, wallet_id: int, key: str, unlimited: bool
    ) -> SendResult | None:
        request = swap.quote.request
        if request.sell.native:
            return None
        assert swap.spender is not None  # the guard refuses a token sell without one
        allowance = await _allowance(client, request.sell.address, request.taker, swap.spender)
        if allowance >= request.sell_amount:
            return None
        amount = UNLIMITED if unlimited else request.sell_amount
        call = ContractCall(
            request.sell.address,
            approve_data(swap.spender, amount),
            0,
            "approve",
            label=f"allow {swap.provider} to spend {'unlimited' if unlimited else amount}",
        )
        result = await self._sender.send_call(request.chain_id, wallet_id, call, f"{key}:approve")
        result = await self._sender.wait(result.intent_id)
        if result.state != "confirmed":
            raise SwapError(f"The approval did not confirm ({result.error or result.state}).")
        return result

    async def _previous(self, key: str) -> SwapOutcome | None:
        intent = await self._journal.by_key(f"{key}:swap")
        if intent is None:
            return None
        swap = await self._sender.check(intent.id)
        approval_intent = await self._journal.by_key(f"{key}:approve")
        approval = await self._sender.check(approval_intent.id) if approval_intent else None
        provider = str(intent.request.get("label", "")).split(":", 1)[0]
        return SwapOutcome(provider, swap, approval, None)


async def _allowance(client: Any, token: str, owner: str, spender: str) -> int:
    data = _ALLOWANCE + encode(["address", "address"], [owner, spender])
    raw = await client.eth.call({"to": token, "data": data})
    return int(decode(["uint256"], raw)[0])


def _label(swap: SwapTx) -> str:
    request = swap.quote.request
    sell = request.sell.symbol or request.sell.address[:10]
    buy = request.buy.symbol or request.buy.address[:10]
    return f"{swap.provider}: swap {sell} -> {buy}"
