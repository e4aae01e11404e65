"""ParaSwap / Velora API v6.2: GET /prices, then POST /transactions/{network} with the priceRoute.

Amounts in base units with the tokens' decimals stated; slippage in basis points. The spender is
``tokenTransferProxy`` from the price route (on v6.2 the Augustus contract itself).
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

__all__ = ["ParaSwapProvider"]

AUGUSTUS_V62 = "0x6A000F20005980200259B80c5102003040001068"
CHAINS = {cid: str(cid) for cid in (1, 10, 56, 137, 8453, 42161)}
KNOWN = {cid: KnownContracts.of((AUGUSTUS_V62,), (AUGUSTUS_V62,)) for cid in CHAINS}
PARTNER = "cryptoorchestrator"


class ParaSwapProvider(HttpProvider):
    name = "paraswap"
    chains = CHAINS

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        known: Mapping[int, KnownContracts] = KNOWN,
        chains: Mapping[int, str] | None = None,
    ) -> None:
        super().__init__(http, base_url, known, chains)

    def _check(self, status: int, reply: Any) -> dict[str, Any]:
        if not isinstance(reply, dict):
            raise self.fail(f"malformed reply (HTTP {status})")
        if status != 200 or "error" in reply:
            raise self.fail(
                str(reply.get("error") or f"HTTP {status}")[:120], retryable=status >= 500
            )
        return reply

    def _tokens(self, request: QuoteRequest) -> dict[str, str]:
        return {
            "srcToken": NATIVE if request.sell.native else request.sell.address,
            "srcDecimals": str(request.sell.decimals),
            "destToken": NATIVE if request.buy.native else request.buy.address,
            "destDecimals": str(request.buy.decimals),
        }

    async def quote(self, request: QuoteRequest) -> Quote:
        status, reply = await self.request_json(
            "GET",
            "/prices",
            params={
                **self._tokens(request),
                "amount": str(request.sell_amount),
                "side": "SELL",
                "network": self.chain_name(request.chain_id),
                "version": "6.2",
                "partner": PARTNER,
            },
        )
        route = self._check(status, reply).get("priceRoute")
        if not isinstance(route, dict):
            raise self.fail("malformed reply: no priceRoute")
        if field_int(self, route, "srcAmount") != request.sell_amount:
            raise self.fail("reply is for a different sell amount")
        buy = field_int(self, route, "destAmount")
        return Quote(
            provider=self.name,
            request=request,
            buy_amount=buy,
            min_buy_amount=buy * (10_000 - request.slippage_bps) // 10_000,
            gas_units=optional_int(self, route, "gasCost"),
            allowance_target=None
            if request.sell.native
            else field_address(self, route, "tokenTransferProxy"),
            route="ParaSwap",
            build_ref={"priceRoute": route},
            received_at=time.time(),
        )

    async def build(self, quote: Quote) -> SwapTx:
        request = quote.request
        network = self.chain_name(request.chain_id)
        status, reply = await self.request_json(
            "POST",
            f"/transactions/{network}",
            params={"ignoreChecks": "true"},
            body={
                **self._tokens(request),
                "srcDecimals": request.sell.decimals,
                "destDecimals": request.buy.decimals,
                "srcAmount": str(request.sell_amount),
                "slippage": request.slippage_bps,
                "userAddress": request.taker,
                "partner": PARTNER,
                "priceRoute": quote.build_ref["priceRoute"],
            },
        )
        tx = self._check(status, reply)
        self.check_chain(tx.get("chainId"), request.chain_id)
        return SwapTx(
            provider=self.name,
            chain_id=request.chain_id,
            to=field_address(self, tx, "to"),
            data=field_hex_bytes(self, tx, "data"),
            value=field_int(self, tx, "value", allow_zero=True),
            gas=optional_int(self, tx, "gas"),
            spender=quote.allowance_target,
            min_buy_amount=quote.min_buy_amount,
            quote=quote,
            min_stated=False,
        )
