"""Rubic API: POST /api/routes/quoteBest, then /api/routes/swap with the quote's id.

Amounts go in as decimal token units ("1.05"), not base units; slippage is a fraction (0.01 = 1%);
the native coin is the zero address; chains are enum names ("ETH", "ARBITRUM"). The keyless tier
allows 10 requests a minute, so the aggregator rate-limits this provider. Quote ids expire fast:
a failed build is re-quoted. Rubic's on-chain contracts are not in our known list: a Rubic route
is shown but refused before signing until its router and spender are configured.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from core.dex.providers.base import (
    HttpProvider,
    KnownContracts,
    field_address,
    field_hex_bytes,
    field_int,
    field_str,
    optional_int,
)
from core.dex.types import Quote, QuoteRequest, SwapTx
from core.money import format_units

__all__ = ["RubicProvider"]

ZERO = "0x0000000000000000000000000000000000000000"
CHAINS = {
    1: "ETH",
    10: "OPTIMISM",
    56: "BSC",
    137: "POLYGON",
    8453: "BASE",
    42161: "ARBITRUM",
}
REFERRER = "cryptoorchestrator"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class RubicProvider(HttpProvider):
    name = "rubic"
    chains = CHAINS

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        known: Mapping[int, KnownContracts] | None = None,
        chains: Mapping[int, str] | None = None,
    ) -> None:
        super().__init__(http, base_url, known or {}, chains)

    def _body(self, request: QuoteRequest) -> dict[str, Any]:
        chain = self.chain_name(request.chain_id)
        return {
            "srcTokenAddress": ZERO if request.sell.native else request.sell.address,
            "srcTokenBlockchain": chain,
            "srcTokenAmount": format_units(request.sell_amount, request.sell.decimals),
            "dstTokenAddress": ZERO if request.buy.native else request.buy.address,
            "dstTokenBlockchain": chain,
            "fromAddress": request.taker,
            "slippage": float(Decimal(request.slippage_bps) / 10_000),
            "referrer": REFERRER,
        }

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        status, reply = await self.request_json("POST", path, body=body)
        if not isinstance(reply, dict):
            raise self.fail(f"malformed reply (HTTP {status})")
        error = reply.get("error")
        errors = reply.get("errors")
        if isinstance(error, dict) or isinstance(errors, list) or status != 200:
            first = error if isinstance(error, dict) else (errors[0] if errors else {})
            code = first.get("code") if isinstance(first, dict) else None
            reason = first.get("reason") if isinstance(first, dict) else None
            text = str(reason or "error")[:120]
            raise self.fail(f"{text} (code {code})", retryable=code in (2002, 2003))
        return reply

    async def quote(self, request: QuoteRequest) -> Quote:
        reply = await self._post("/api/routes/quoteBest", self._body(request))
        if reply.get("swapType") not in (None, "on-chain"):
            raise self.fail("offered a cross-chain route for a same-chain swap")
        transaction = _dict(reply.get("transaction"))
        spender = None
        if not request.sell.native and transaction.get("approvalAddress"):
            spender = field_address(self, transaction, "approvalAddress")
        impact = _dict(reply.get("estimate")).get("priceImpact")
        raw_routing = reply.get("routing")
        routing: list[Any] = raw_routing if isinstance(raw_routing, list) else []
        route = " > ".join(
            str(step.get("provider", "?"))[:40] for step in routing if isinstance(step, dict)
        )
        return Quote(
            provider=self.name,
            request=request,
            buy_amount=field_int(self, reply, "estimate.destinationWeiAmount"),
            min_buy_amount=field_int(self, reply, "estimate.destinationWeiMinAmount"),
            gas_units=optional_int(self, reply, "fees.gasTokenFees.gas.gasLimit"),
            allowance_target=spender,
            route=route or str(reply.get("providerType", ""))[:40],
            price_impact_pct=Decimal(str(impact)) if isinstance(impact, int | float) else None,
            build_ref={"id": field_str(self, reply, "id")},
            received_at=time.time(),
            ttl_s=20.0,
        )

    async def build(self, quote: Quote) -> SwapTx:
        request = quote.request
        body = {**self._body(request), "id": quote.build_ref["id"], "receiver": request.taker}
        reply = await self._post("/api/routes/swap", body)
        tx = reply.get("transaction")
        if not isinstance(tx, dict):
            raise self.fail("malformed reply: no transaction")
        spender = quote.allowance_target
        if not request.sell.native and tx.get("approvalAddress"):
            spender = field_address(self, tx, "approvalAddress")
        return SwapTx(
            provider=self.name,
            chain_id=request.chain_id,
            to=field_address(self, tx, "to"),
            data=field_hex_bytes(self, tx, "data"),
            value=field_int(self, tx, "value", allow_zero=True),
            gas=optional_int(self, reply, "fees.gasTokenFees.gas.gasLimit"),
            spender=spender,
            min_buy_amount=field_int(self, reply, "estimate.destinationWeiMinAmount"),
            quote=quote,
        )
