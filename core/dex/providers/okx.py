"""OKX DEX aggregator API v6.

Every request is signed: base64(HMAC-SHA256(secret, timestamp + METHOD + path?query + body)),
with the query string exactly as sent. Replies are an envelope {"code": "0", "data": [...]}
whose ``code`` is a string; business errors (no liquidity, unsupported token) arrive as HTTP 200
with a non-zero code. slippagePercent is a percent ("0.5" = 0.5%). The spender to approve comes
from approve-transaction's ``dexContractAddress``; the approval itself goes to the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

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

__all__ = ["OkxCredentials", "OkxProvider", "sign_okx"]

NATIVE_OKX = NATIVE.lower()
CHAINS = {1: "1", 10: "10", 56: "56", 137: "137", 8453: "8453", 42161: "42161"}
# Only Ethereum's contracts are known to us; other chains need them configured before a swap
# can pass the guard (quotes still show).
KNOWN = {
    1: KnownContracts.of(
        ("0x7D0CcAa3Fac1e5A943c5168b6CEd828691b46B36",),
        ("0x40aA958dd87FC8305b97f2BA922CDdCa374bcD7f",),
    )
}
BUSINESS_ERRORS = {
    "82000": "not enough liquidity for this trade",
    "82102": "amount below the minimum",
    "82103": "amount above the maximum",
    "82104": "token not supported",
    "82105": "chain not supported",
    "82112": "route value deviates too much (risk check)",
    "50011": "rate limited; try again shortly",
    "50112": "request timestamp rejected (check the computer's clock)",
    "50113": "request signature rejected (check the API secret)",
    "50111": "API key rejected",
}


@dataclass(frozen=True)
class OkxCredentials:
    api_key: Secret
    secret_key: Secret
    passphrase: Secret
    project: str | None = None


def sign_okx(secret: Secret, timestamp: str, method: str, path_with_query: str, body: str) -> str:
    prehash = f"{timestamp}{method.upper()}{path_with_query}{body}"
    digest = hmac.new(secret.reveal().encode(), prehash.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class OkxProvider(HttpProvider):
    name = "okx"
    chains = CHAINS

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        credentials: Callable[[], Awaitable[OkxCredentials | None]],
        known: Mapping[int, KnownContracts] = KNOWN,
        chains: Mapping[int, str] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(http, base_url, known, chains)
        self._credentials = credentials
        self._clock = clock

    async def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        creds = await self._credentials()
        if creds is None:
            raise self.fail("needs an API key, secret and passphrase (Settings > Swap providers)")
        query = urlencode(params)
        full_path = f"/api/v6/dex/aggregator/{path}"
        now = self._clock()
        timestamp = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        headers = {
            "OK-ACCESS-KEY": creds.api_key.reveal(),
            "OK-ACCESS-SIGN": sign_okx(
                creds.secret_key, timestamp, "GET", f"{full_path}?{query}", ""
            ),
            "OK-ACCESS-TIMESTAMP": timestamp,
            "OK-ACCESS-PASSPHRASE": creds.passphrase.reveal(),
            "Content-Type": "application/json",
        }
        if creds.project:
            headers["OK-ACCESS-PROJECT"] = creds.project
        # The signature covers the query string byte for byte, so send exactly that string.
        status, body = await self.request_json("GET", f"{full_path}?{query}", headers=headers)
        code = str(body.get("code")) if isinstance(body, dict) else None
        if code != "0":
            reason = BUSINESS_ERRORS.get(code or "", f"error code {code}")
            raise self.fail(
                f"{reason} (HTTP {status})" if status != 200 else reason,
                retryable=code == "50011",
            )
        data = body.get("data")
        if not isinstance(data, list) or not data or not isinstance(data[0], dict):
            raise self.fail("malformed reply: empty data")
        first: dict[str, Any] = data[0]
        return first

    def _params(self, request: QuoteRequest) -> dict[str, str]:
        return {
            "chainIndex": self.chain_name(request.chain_id),
            "amount": str(request.sell_amount),
            "swapMode": "exactIn",
            "fromTokenAddress": NATIVE_OKX if request.sell.native else request.sell.address,
            "toTokenAddress": NATIVE_OKX if request.buy.native else request.buy.address,
        }

    async def quote(self, request: QuoteRequest) -> Quote:
        data = await self._get("quote", self._params(request))
        self.check_chain(data.get("chainIndex"), request.chain_id)
        buy = field_int(self, data, "toTokenAmount")
        if field_int(self, data, "fromTokenAmount") != request.sell_amount:
            raise self.fail("reply is for a different sell amount")
        spender = None
        if not request.sell.native:
            approve = await self._get(
                "approve-transaction",
                {
                    "chainIndex": self.chain_name(request.chain_id),
                    "tokenContractAddress": request.sell.address,
                    "approveAmount": str(request.sell_amount),
                },
            )
            spender = field_address(self, approve, "dexContractAddress")
        impact = None
        try:
            if data.get("priceImpactPercent") not in (None, ""):
                impact = Decimal(str(data["priceImpactPercent"]))
        except InvalidOperation:
            impact = None
        raw_routes = data.get("dexRouterList")
        routes: list[Any] = raw_routes if isinstance(raw_routes, list) else []
        names = []
        for hop in routes:
            protocol = hop.get("dexProtocol") if isinstance(hop, dict) else None
            if isinstance(protocol, dict) and protocol.get("dexName"):
                names.append(str(protocol["dexName"])[:40])
        min_buy = buy * (10_000 - request.slippage_bps) // 10_000
        return Quote(
            provider=self.name,
            request=request,
            buy_amount=buy,
            min_buy_amount=min_buy,
            gas_units=optional_int(self, data, "estimateGasFee"),
            allowance_target=spender,
            route=" > ".join(names),
            price_impact_pct=impact,
            received_at=time.time(),
        )

    async def build(self, quote: Quote) -> SwapTx:
        request = quote.request
        params = self._params(request)
        params["slippagePercent"] = f"{Decimal(request.slippage_bps) / 100:f}"
        params["userWalletAddress"] = request.taker
        data = await self._get("swap", params)
        router_result = data.get("routerResult")
        if isinstance(router_result, dict):
            self.check_chain(router_result.get("chainIndex"), request.chain_id)
        tx = data.get("tx")
        if not isinstance(tx, dict):
            raise self.fail("malformed reply: no tx")
        return SwapTx(
            provider=self.name,
            chain_id=request.chain_id,
            to=field_address(self, tx, "to"),
            data=field_hex_bytes(self, tx, "data"),
            value=field_int(self, tx, "value", allow_zero=True),
            gas=optional_int(self, tx, "gas"),
            spender=quote.allowance_target,
            min_buy_amount=field_int(self, tx, "minReceiveAmount"),
            quote=quote,
        )
