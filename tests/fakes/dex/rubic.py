"""Rubic API: POST /api/routes/quoteBest then /api/routes/swap with the quote's id.

srcTokenAmount is in decimal token units ("1.05"); slippage is a fraction (0.01 = 1%); the native
coin is the zero address; blockchains are enum names. Replies carry both decimal and wei amounts.
Errors are {"error": {"code", "reason"}, "id"}; validation errors {"errors": [{code: 1999}]}.
Keyless clients get 10 requests a minute; beyond that HTTP 429 with code 2003 (the 429 body shape
is not documented; this follows the error envelope).
"""

from __future__ import annotations

import secrets
import time
from decimal import Decimal
from typing import Any

from tests.fakes.dex.base import FakeAggregator, Request

ZERO = "0x0000000000000000000000000000000000000000"
BLOCKCHAIN = "ANVIL"


class FakeRubic(FakeAggregator):
    throttle = True
    per_minute = 10

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.quotes: dict[str, dict[str, Any]] = {}
        self._window: list[float] = []

    def _error(self, status: int, code: int, reason: str) -> tuple[int, Any]:
        return status, {"error": {"code": code, "reason": reason}, "id": secrets.token_hex(8)}

    def handle(self, request: Request) -> tuple[int, Any]:
        now = time.monotonic()
        self._window = [t for t in self._window if now - t < 60]
        if self.throttle and "apikey" not in request.headers:
            if len(self._window) >= self.per_minute:
                return self._error(429, 2003, "Too many requests: 10 per minute without a key")
            self._window.append(now)
        path = request.path.split("?")[0]
        body = request.body if isinstance(request.body, dict) else {}
        required = (
            "srcTokenAddress",
            "srcTokenBlockchain",
            "srcTokenAmount",
            "dstTokenAddress",
            "dstTokenBlockchain",
        )
        missing = [f for f in required if f not in body]
        if missing:
            return 400, {"errors": [{"code": 1999, "reason": f"{f} is required"} for f in missing]}
        if body["srcTokenBlockchain"] != BLOCKCHAIN or body["dstTokenBlockchain"] != BLOCKCHAIN:
            return self._error(400, 2002, "Blockchain is temporarily down or not supported")
        if body["srcTokenAddress"].lower() == body["dstTokenAddress"].lower():
            return self._error(400, 1002, "Tokens are equal")
        sell, buy = body["srcTokenAddress"], body["dstTokenAddress"]
        decimals_in = self.world.decimals(sell)
        human = Decimal(str(body["srcTokenAmount"]))
        amount = int(human * 10**decimals_in)
        if Decimal(amount) != human * 10**decimals_in:
            return self._error(400, 2006, "Too many decimals in srcTokenAmount")
        slippage = Decimal(str(body.get("slippage", 0.01)))
        if not 0 < slippage <= Decimal("0.5"):
            return 400, {"errors": [{"code": 1999, "reason": "slippage must be in (0, 0.5]"}]}
        out = self.world.quote(sell, buy, amount)
        if out == 0:
            return self._error(400, 2001, "No routes found")
        min_out = int(out * (1 - slippage))
        decimals_out = self.world.decimals(buy)
        if path == "/api/routes/quoteBest":
            quote_id = secrets.token_hex(16)
            self.quotes[quote_id] = {"sell": sell, "buy": buy, "amount": amount}
            return 200, self._route(
                quote_id,
                sell,
                buy,
                amount,
                out,
                min_out,
                decimals_out,
                transaction={"approvalAddress": self._approval(sell), "to": self.world.router},
            )
        if path == "/api/routes/swap":
            quote_id = body.get("id")
            if not quote_id:
                return self._error(400, 1004, "Missing id")
            if quote_id not in self.quotes:
                return self._error(400, 1003, "Quote not found or expired: re-quote")
            if not body.get("fromAddress") or not body.get("receiver"):
                return self._error(400, 1001, "fromAddress and receiver are required")
            to, data, value, stated = self.build_tx(sell, buy, amount, min_out, body["receiver"])
            return 200, self._route(
                quote_id,
                sell,
                buy,
                amount,
                out,
                stated,
                decimals_out,
                transaction={
                    "approvalAddress": self._approval(sell),
                    "to": to,
                    "data": data,
                    "value": str(value),
                },
            )
        return 404, {"error": {"code": 999404, "reason": "not found"}}

    def _approval(self, sell: str) -> str | None:
        return None if sell.lower() == ZERO else self.spender()

    def _route(
        self,
        quote_id: str,
        sell: str,
        buy: str,
        amount: int,
        out: int,
        min_out: int,
        decimals_out: int,
        transaction: dict[str, Any],
    ) -> dict[str, Any]:
        scale = Decimal(10) ** decimals_out
        return {
            "id": quote_id,
            "providerType": "uni_swap_v3",
            "swapType": "on-chain",
            "useRubicContract": False,
            "tokens": {
                "from": {"address": sell, "blockchain": BLOCKCHAIN, "amount": str(amount)},
                "to": {"address": buy, "blockchain": BLOCKCHAIN},
            },
            "estimate": {
                "destinationTokenAmount": str(Decimal(out) / scale),
                "destinationTokenMinAmount": str(Decimal(min_out) / scale),
                "destinationWeiAmount": str(out),
                "destinationWeiMinAmount": str(min_out),
                "destinationUsdAmount": None,
                "destinationUsdMinAmount": None,
                "durationInMinutes": 1,
                "slippage": 0.005,
                "priceImpact": 0.01,
            },
            "fees": {
                "gasTokenFees": {
                    "gas": {
                        "gasPrice": str(10**9),
                        "gasLimit": "210000",
                        "totalWeiAmount": str(210000 * 10**9),
                    },
                    "nativeToken": {"symbol": "ETH", "decimals": 18},
                },
                "percentFees": {"percent": 0, "token": None},
            },
            "routing": [{"type": "swap", "provider": "UNISWAP_V3", "path": []}],
            "transaction": transaction,
            "warnings": [],
        }
