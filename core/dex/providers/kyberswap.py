"""KyberSwap aggregator API: GET routes, then POST route/build with the routeSummary verbatim.

No key; an ``x-client-id`` header names the client. Slippage tolerance is in basis points. The
router is also the spender. Routes expire after about 30 seconds.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import httpx

from core.dex.providers.base import (
    HttpProvider,
    KnownContracts,
    field_address,
    field_hex_bytes,
    field_int,
    optional_int,
)
from core.dex.types import NATIVE, Quote, QuoteRequest, SwapTx

__all__ = ["KyberSwapProvider"]

ROUTER = "0x6131B5fae19EA4f9D964eAc0408E4408b66337b5"
CHAINS = {
    1: "ethereum",
    10: "optimism",
    56: "bsc",
    137: "polygon",
    8453: "base",
    42161: "arbitrum",
}
KNOWN = {cid: KnownContracts.of((ROUTER,), (ROUTER,)) for cid in CHAINS}
CLIENT_ID = "CryptoOrchestrator"


class KyberSwapProvider(HttpProvider):
    name = "kyberswap"
    chains = CHAINS

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        known: Mapping[int, KnownContracts] = KNOWN,
        chains: Mapping[int, str] | None = None,
    ) -> None:
        super().__init__(http, base_url, known, chains)

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        status, reply = await self.request_json(
            method, path, headers={"x-client-id": CLIENT_ID}, **kwargs
        )
        if not isinstance(reply, dict):
            raise self.fail(f"malformed reply (HTTP {status})")
        if reply.get("code") != 0 or status != 200:
            message = str(reply.get("message") or "error")[:120]
            raise self.fail(f"{message} (code {reply.get('code')})", retryable=status >= 500)
        data = reply.get("data")
        if not isinstance(data, dict):
            raise self.fail("malformed reply: no data")
        return data

    async def quote(self, request: QuoteRequest) -> Quote:
        slug = self.chain_name(request.chain_id)
        data = await self._call(
            "GET",
            f"/{slug}/api/v1/routes",
            params={
                "tokenIn": NATIVE if request.sell.native else request.sell.address,
                "tokenOut": NATIVE if request.buy.native else request.buy.address,
                "amountIn": str(request.sell_amount),
                "gasInclude": "true",
            },
        )
        summary = data.get("routeSummary")
        if not isinstance(summary, dict):
            raise self.fail("malformed reply: no routeSummary")
        if field_int(self, summary, "amountIn") != request.sell_amount:
            raise self.fail("reply is for a different sell amount")
        buy = field_int(self, summary, "amountOut")
        router = field_address(self, data, "routerAddress")
        return Quote(
            provider=self.name,
            request=request,
            buy_amount=buy,
            min_buy_amount=buy * (10_000 - request.slippage_bps) // 10_000,
            gas_units=optional_int(self, summary, "gas"),
            allowance_target=None if request.sell.native else router,
            route="KyberSwap",
            build_ref={"routeSummary": summary},
            received_at=time.time(),
            ttl_s=25.0,
        )

    async def build(self, quote: Quote) -> SwapTx:
        request = quote.request
        slug = self.chain_name(request.chain_id)
        data = await self._call(
            "POST",
            f"/{slug}/api/v1/route/build",
            body={
                "routeSummary": quote.build_ref["routeSummary"],
                "sender": request.taker,
                "recipient": request.taker,
                "slippageTolerance": request.slippage_bps,
                "source": CLIENT_ID,
            },
        )
        router = field_address(self, data, "routerAddress")
        amount_out = field_int(self, data, "amountOut")
        return SwapTx(
            provider=self.name,
            chain_id=request.chain_id,
            to=router,
            data=field_hex_bytes(self, data, "data"),
            value=field_int(self, data, "transactionValue", allow_zero=True),
            gas=optional_int(self, data, "gas"),
            spender=None if request.sell.native else router,
            # The build reply states no minimum; the calldata enforces one derived from the
            # tolerance we sent, which the guard verifies by simulation.
            min_buy_amount=amount_out * (10_000 - request.slippage_bps) // 10_000,
            quote=quote,
            min_stated=False,
        )
