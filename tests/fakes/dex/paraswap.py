"""ParaSwap / Velora: GET /prices, then POST /transactions/{network} with the priceRoute.

Amounts in base units with srcDecimals/destDecimals; slippage in basis points; errors
{"error": "..."}; 429 on throttling.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.dex.base import FakeAggregator, Request


class FakeParaSwap(FakeAggregator):
    def handle(self, request: Request) -> tuple[int, Any]:
        path = request.path.split("?")[0]
        network = str(self.world.chain_id)
        if path == "/prices":
            q = request.query
            if q.get("network") != network:
                return 400, {"error": "Invalid network"}
            if q.get("side") != "SELL":
                return 400, {"error": "Only SELL is supported here"}
            sell, buy, amount = q["srcToken"], q["destToken"], int(q["amount"])
            if int(q["srcDecimals"]) != self.world.decimals(sell):
                return 400, {"error": "Invalid srcDecimals"}
            out = self.world.quote(sell, buy, amount)
            if out == 0:
                return 400, {"error": "No routes found with enough liquidity"}
            return 200, {
                "priceRoute": {
                    "blockNumber": 1,
                    "network": int(network),
                    "srcToken": sell,
                    "srcDecimals": int(q["srcDecimals"]),
                    "srcAmount": str(amount),
                    "destToken": buy,
                    "destDecimals": int(q["destDecimals"]),
                    "destAmount": str(out),
                    "bestRoute": [],
                    "gasCost": "175000",
                    "gasCostUSD": "0.4",
                    "side": "SELL",
                    "version": "6.2",
                    "contractMethod": "swapExactAmountIn",
                    "tokenTransferProxy": self.spender(),
                    "contractAddress": self.world.router,
                    "srcUSD": "0",
                    "destUSD": "0",
                    "partner": q.get("partner", "anon"),
                }
            }
        if path == f"/transactions/{network}":
            body = request.body if isinstance(request.body, dict) else {}
            route = body.get("priceRoute")
            if not isinstance(route, dict) or route.get("destAmount") is None:
                return 400, {"error": "priceRoute is required"}
            if str(body.get("srcAmount")) != route.get("srcAmount"):
                return 400, {"error": "srcAmount does not match the priceRoute"}
            slippage = int(body.get("slippage", 100))
            out = int(route["destAmount"])
            min_out = out * (10_000 - slippage) // 10_000
            to, data, value, _ = self.build_tx(
                route["srcToken"],
                route["destToken"],
                int(route["srcAmount"]),
                min_out,
                body["userAddress"],
            )
            chain_id = 1 if self.mischief.wrong_chain else int(network)
            return 200, {
                "from": body["userAddress"],
                "to": to,
                "value": str(value),
                "data": data,
                "gasPrice": str(10**9),
                "chainId": chain_id,
            }
        return 404, {"error": "Not found"}
