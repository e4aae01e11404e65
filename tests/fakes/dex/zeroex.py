"""0x Swap API v2 (AllowanceHolder): GET /swap/allowance-holder/price and /quote.

Requires `0x-api-key` and `0x-version: v2`; missing key -> 401 {"message", "request_id"}.
Errors are {name, message, data: {zid, ...}}. `liquidityAvailable: false` is a 200 with no amounts.
`issues.allowance` is set only when the taker's allowance is short (read on-chain).
"""

from __future__ import annotations

import secrets
from typing import Any

from tests.fakes.dex.base import FakeAggregator, Request
from tests.fakes.dex.world import NATIVE

API_KEY = "test-0x-key"


class FakeZeroEx(FakeAggregator):
    no_liquidity = False

    def _error(self, status: int, name: str, message: str, **data: Any) -> tuple[int, Any]:
        return status, {
            "name": name,
            "message": message,
            "data": {"zid": "0x" + secrets.token_hex(12), **data},
        }

    def handle(self, request: Request) -> tuple[int, Any]:
        if request.headers.get("0x-api-key") != API_KEY:
            return 401, {
                "message": "No API key provided. Please visit https://0x.org/pricing",
                "request_id": secrets.token_hex(8),
            }
        if request.headers.get("0x-version") != "v2":
            return self._error(400, "INPUT_INVALID", "0x-version header must be v2")
        path = request.path.split("?")[0]
        if path not in ("/swap/allowance-holder/price", "/swap/allowance-holder/quote"):
            return 404, {"message": "not found"}
        q = request.query
        details = [
            {"field": f, "reason": "required"}
            for f in ("chainId", "sellToken", "buyToken", "sellAmount")
            if f not in q
        ]
        if path.endswith("quote") and "taker" not in q:
            details.append({"field": "taker", "reason": "required"})
        if details:
            return self._error(400, "INPUT_INVALID", "Validation Failed", details=details)
        if q["chainId"] != str(self.world.chain_id):
            return self._error(
                400,
                "INPUT_INVALID",
                "chain not supported",
                details=[{"field": "chainId", "reason": "unsupported"}],
            )
        if self.no_liquidity:
            return 200, {"liquidityAvailable": False, "zid": "0x" + secrets.token_hex(12)}
        sell, buy, amount = q["sellToken"], q["buyToken"], int(q["sellAmount"])
        slippage = int(q.get("slippageBps", "100"))
        buy_amount = self.world.quote(sell, buy, amount)
        if buy_amount == 0:
            return self._error(400, "TOKEN_PAIR_NOT_SUPPORTED", "no route for this pair")
        min_buy = buy_amount * (10_000 - slippage) // 10_000
        native_sell = sell.lower() == NATIVE.lower()
        taker = q.get("taker")
        allowance_issue = None
        if taker and not native_sell:
            actual = self.world.allowance(sell, taker)
            if actual < amount:
                allowance_issue = {"actual": str(actual), "spender": self.spender()}
        gas = None if self.mischief.no_gas else "160000"
        reply: dict[str, Any] = {
            "allowanceTarget": None if native_sell else self.spender(),
            "blockNumber": str(int(str(self.world.anvil.rpc("eth_blockNumber")), 16)),
            "buyAmount": str(buy_amount),
            "buyToken": buy,
            "fees": {
                "integratorFee": None,
                "integratorFees": None,
                "zeroExFee": None,
                "gasFee": None,
            },
            "issues": {
                "allowance": allowance_issue,
                "balance": None,
                "simulationIncomplete": False,
                "invalidSourcesPassed": [],
            },
            "liquidityAvailable": True,
            "minBuyAmount": str(min_buy),
            "route": {
                "fills": [
                    {"from": sell, "to": buy, "source": "Uniswap_V3", "proportionBps": "10000"}
                ],
                "tokens": [{"address": sell, "symbol": "?"}, {"address": buy, "symbol": "?"}],
            },
            "sellAmount": str(amount),
            "sellToken": sell,
            "tokenMetadata": {
                "buyToken": {"buyTaxBps": "0", "sellTaxBps": "0"},
                "sellToken": {"buyTaxBps": "0", "sellTaxBps": "0"},
            },
            "totalNetworkFee": str(160000 * 10**9),
            "zid": "0x" + secrets.token_hex(12),
        }
        if path.endswith("price"):
            reply.update(gas=gas, gasPrice=str(10**9))
            return 200, reply
        to, data, value, stated_min = self.build_tx(sell, buy, amount, min_buy, taker or "")
        reply["minBuyAmount"] = str(stated_min)
        reply["transaction"] = {
            "to": to,
            "data": data,
            "gas": gas,
            "gasPrice": str(10**9),
            "value": str(value),
        }
        return 200, reply
