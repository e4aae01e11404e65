"""Checks before signing. A provider's transaction is refused unless every check passes.

1. chain: the transaction is for the requested chain, and the RPC serves that chain;
2. router: ``to`` is one of this provider's known routers on this chain (and, for router ABIs we
   can read, the calldata's recipient, tokens and amount match the request);
3. spender: the address to approve is one of its known allowance targets (never ``to`` blindly);
4. value: equals the sell amount for a native sell, zero for a token sell;
5. min-out: the minimum received honours the person's slippage bound against the quote;
6. simulation: approve (if needed) + swap run from the taker via eth_simulateV1 with transfer
   tracing; both succeed, the taker receives at least the minimum of the bought token, and
   spends no more than the sell amount. Calldata that pays someone else fails this check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector
from web3.types import RPCEndpoint

from core.dex.calldata import ZERO, SwapTerms, decode_terms
from core.dex.errors import GuardRefusal
from core.dex.providers.base import DexProvider
from core.dex.types import NATIVE, SwapTx

__all__ = ["TRANSFER_TOPIC", "Guard", "SimulationResult"]

TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
_APPROVE = function_signature_to_4byte_selector("approve(address,uint256)")


@dataclass(frozen=True)
class SimulationResult:
    received: int  # bought-token units the taker ends up with
    spent: int  # sold-token units that left the taker
    gas_used: int


def approve_data(spender: str, amount: int) -> bytes:
    return _APPROVE + encode(["address", "uint256"], [spender, amount])


class Guard:
    def __init__(self, client: Any) -> None:
        self._client = client

    async def check(self, swap: SwapTx, provider: DexProvider) -> SimulationResult:
        quote = swap.quote
        request = quote.request
        name = provider.name

        def refuse(check: str, reason: str) -> GuardRefusal:
            return GuardRefusal(name, check, reason)

        # 1. chain
        if swap.chain_id != request.chain_id:
            raise refuse("chain", f"built for chain {swap.chain_id}, asked for {request.chain_id}")
        served = int(await self._client.eth.chain_id)
        if served != request.chain_id:
            raise refuse("chain", f"the RPC serves chain {served}, not {request.chain_id}")
        known = provider.known(request.chain_id)
        # 2. router
        if swap.to not in known.routers:
            raise refuse("router", f"{swap.to} is not a known {name} router on this chain")
        # 3. spender
        if not request.sell.native:
            if swap.spender is None:
                raise refuse("spender", "no allowance target was given for a token sell")
            if swap.spender not in known.spenders:
                raise refuse("spender", f"{swap.spender} is not a known {name} allowance target")
            if quote.allowance_target not in (None, swap.spender):
                raise refuse("spender", "the allowance target changed between quote and build")
        # 4. value
        expected_value = request.sell_amount if request.sell.native else 0
        if swap.value != expected_value:
            raise refuse(
                "value", f"sends {swap.value} wei of native coin, expected {expected_value}"
            )
        # 5. minimum output against the quote and the person's bound; read from the calldata
        #    when we can, since that is what the router will enforce
        floor = quote.buy_amount * (10_000 - request.slippage_bps) // 10_000
        terms = decode_terms(swap.data)
        minimum = swap.min_buy_amount
        if terms is not None:
            self._check_terms(terms, swap, refuse)
            minimum = min(minimum, terms.min_out)
        elif not swap.min_stated:
            raise refuse("min-out", "the minimum output cannot be read from this transaction")
        if minimum < floor:
            raise refuse(
                "min-out",
                f"minimum received {minimum} is below the {request.slippage_bps} bps bound "
                f"({floor})",
            )
        # 6. simulation
        result = await self._simulate(swap, refuse)
        if result.received < swap.min_buy_amount:
            raise refuse(
                "simulation",
                f"the taker would receive {result.received}, less than the minimum "
                f"{swap.min_buy_amount} (is the output paid to someone else?)",
            )
        if result.spent > request.sell_amount:
            raise refuse("simulation", f"the swap would take {result.spent}, more than asked")
        return result

    @staticmethod
    def _check_terms(terms: SwapTerms, swap: SwapTx, refuse: Any) -> None:
        request = swap.quote.request
        if terms.recipient not in (request.taker, ZERO):
            raise refuse("recipient", f"the output would go to {terms.recipient}, not to you")
        if terms.amount != request.sell_amount:
            raise refuse(
                "amount", f"the transaction sells {terms.amount}, not {request.sell_amount}"
            )
        sell = NATIVE if request.sell.native else request.sell.address
        buy = NATIVE if request.buy.native else request.buy.address
        if not _same_token(terms.sell, sell) or not _same_token(terms.buy, buy):
            raise refuse("tokens", "the transaction swaps other tokens than the ones asked for")

    async def _simulate(self, swap: SwapTx, refuse: Any) -> SimulationResult:
        request = swap.quote.request
        taker = request.taker
        calls: list[dict[str, Any]] = []
        if not request.sell.native:
            assert swap.spender is not None
            calls.append(
                {
                    "from": taker,
                    "to": request.sell.address,
                    "data": "0x" + approve_data(swap.spender, request.sell_amount).hex(),
                }
            )
        swap_call: dict[str, Any] = {
            "from": taker,
            "to": swap.to,
            "data": "0x" + swap.data.hex(),
            "value": hex(swap.value),
        }
        if swap.gas:
            swap_call["gas"] = hex(swap.gas)
        calls.append(swap_call)
        payload = [
            {"blockStateCalls": [{"calls": calls}], "traceTransfers": True, "validation": False},
            "latest",
        ]
        try:
            reply = await self._client.provider.make_request(RPCEndpoint("eth_simulateV1"), payload)
        except Exception as exc:
            raise refuse(
                "simulation", f"the RPC could not simulate ({type(exc).__name__})"
            ) from exc
        if "error" in reply:
            message = str(reply["error"].get("message", ""))[:120]
            if "not found" in message.lower() or "not supported" in message.lower():
                message = "this RPC does not support eth_simulateV1; use one that does"
            raise refuse("simulation", message)
        blocks = reply.get("result") or []
        results = blocks[0].get("calls", []) if blocks else []
        if len(results) != len(calls):
            raise refuse("simulation", "the RPC returned an incomplete simulation")
        for call in results:
            if call.get("status") not in ("0x1", 1):
                error = call.get("error") or {}
                why = str(error.get("message", "reverted"))[:120]
                raise refuse("simulation", f"the transaction would fail: {why}")
        swap_result = results[-1]
        buy = NATIVE if request.buy.native else request.buy.address
        sell = NATIVE if request.sell.native else request.sell.address
        received = _net_transfer(swap_result.get("logs", []), buy, taker)
        spent = -_net_transfer(swap_result.get("logs", []), sell, taker)
        return SimulationResult(received, spent, int(str(swap_result.get("gasUsed", "0x0")), 16))


def _same_token(a: str, b: str) -> bool:
    native = (NATIVE.lower(), ZERO)
    return a.lower() == b.lower() or (a.lower() in native and b.lower() in native)


def _net_transfer(logs: list[dict[str, Any]], token: str, holder: str) -> int:
    """Units of ``token`` that reached ``holder`` minus units that left it, from Transfer logs
    (eth_simulateV1 reports native-coin movements as Transfer logs from the 0xEeee... address)."""
    total = 0
    holder_topic = "0x" + holder.lower()[2:].rjust(64, "0")
    for log in logs:
        topics = [str(t).lower() for t in log.get("topics", [])]
        if len(topics) != 3 or topics[0] != TRANSFER_TOPIC:
            continue
        if str(log.get("address", "")).lower() != token.lower():
            continue
        amount = int(str(log.get("data", "0x0")), 16) if log.get("data") not in ("0x", None) else 0
        if topics[2] == holder_topic:
            total += amount
        if topics[1] == holder_topic:
            total -= amount
    return total
