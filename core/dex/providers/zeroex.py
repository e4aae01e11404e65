"""0x Swap API v2, AllowanceHolder flow.

price (indicative, with `gas` and `issues.allowance`) for quoting; quote (firm, with
`transaction`) for building. Headers `0x-api-key` and `0x-version: v2`. `liquidityAvailable:false`
is a 200 with no amounts: no route, not a zero. `transaction.gas` may be null.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
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
from core.wallet.secret import Secret

__all__ = ["ZeroExProvider"]

ALLOWANCE_HOLDER = "0x0000000000001fF3684f28c67538d4D072C22734"
CHAINS = {1: "1", 10: "10", 56: "56", 137: "137", 8453: "8453", 42161: "42161"}
KNOWN = {cid: KnownContracts.of((ALLOWANCE_HOLDER,), (ALLOWANCE_HOLDER,)) for cid in CHAINS}


class ZeroExProvider(HttpProvider):
    name = "0x"
    chains = CHAINS

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        api_key: Callable[[], Awaitable[Secret | None]],
        known: Mapping[int, KnownContracts] = KNOWN,
        chains: Mapping[int, str] | None = None,
    ) -> None:
        super().__init__(http, base_url, known, chains)
        self._api_key = api_key

    async def _headers(self) -> dict[str, str]:
        key = await self._api_key()
        if key is None:
            raise self.fail("needs an API key (Settings > Swap providers)")
        return {"0x-api-key": key.reveal(), "0x-version": "v2"}

    def _params(self, request: QuoteRequest) -> dict[str, str]:
        return {
            "chainId": self.chain_name(request.chain_id),
            "sellToken": NATIVE if request.sell.native else request.sell.address,
            "buyToken": NATIVE if request.buy.native else request.buy.address,
            "sellAmount": str(request.sell_amount),
            "taker": request.taker,
            "slippageBps": str(request.slippage_bps),
        }

    async def _get(self, path: str, request: QuoteRequest) -> Any:
        status, body = await self.request_json(
            "GET", path, params=self._params(request), headers=await self._headers()
        )
        if status != 200:
            name = body.get("name") if isinstance(body, dict) else None
            message = body.get("message") if isinstance(body, dict) else None
            detail = str(name or message or "error")[:120]
            raise self.fail(f"HTTP {status}: {detail}", retryable=status >= 500)
        if not isinstance(body, dict):
            raise self.fail("malformed reply: not an object")
        if body.get("liquidityAvailable") is False:
            raise self.fail("no liquidity for this pair and amount")
        return body

    async def quote(self, request: QuoteRequest) -> Quote:
        body = await self._get("/swap/allowance-holder/price", request)
        buy = field_int(self, body, "buyAmount")
        min_buy = field_int(self, body, "minBuyAmount")
        if field_int(self, body, "sellAmount") != request.sell_amount:
            raise self.fail("reply is for a different sell amount")
        spender = None
        if body.get("allowanceTarget"):
            spender = field_address(self, body, "allowanceTarget")
        issues = body.get("issues") if isinstance(body.get("issues"), dict) else {}
        if isinstance(issues.get("allowance"), dict):
            spender = field_address(self, issues, "allowance.spender")
        fills = (
            body.get("route", {}).get("fills", []) if isinstance(body.get("route"), dict) else []
        )
        route = " + ".join(
            f"{f.get('source', '?')} {int(f.get('proportionBps', 0)) / 100:g}%"
            for f in fills
            if isinstance(f, dict) and str(f.get("proportionBps", "0")).isdigit()
        )
        return Quote(
            provider=self.name,
            request=request,
            buy_amount=buy,
            min_buy_amount=min_buy,
            gas_units=optional_int(self, body, "gas"),
            allowance_target=spender,
            route=route,
            received_at=time.time(),
        )

    async def build(self, quote: Quote) -> SwapTx:
        body = await self._get("/swap/allowance-holder/quote", quote.request)
        tx = body.get("transaction")
        if not isinstance(tx, dict):
            raise self.fail("malformed reply: no transaction")
        spender = quote.allowance_target
        if body.get("allowanceTarget"):
            spender = field_address(self, body, "allowanceTarget")
        return SwapTx(
            provider=self.name,
            chain_id=quote.request.chain_id,
            to=field_address(self, tx, "to"),
            data=field_hex_bytes(self, tx, "data"),
            value=field_int(self, tx, "value", allow_zero=True),
            gas=optional_int(self, tx, "gas"),
            spender=spender,
            min_buy_amount=field_int(self, body, "minBuyAmount"),
            quote=quote,
        )
