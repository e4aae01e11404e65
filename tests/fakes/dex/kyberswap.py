"""KyberSwap aggregator: GET /{chain}/api/v1/routes, then POST /{chain}/api/v1/route/build.

x-client-id is required. routeSummary must come back verbatim (a checksum guards it).
Envelope {code: 0, message: "successfully", data: {...}}; slippageTolerance in bps.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tests.fakes.dex.base import FakeAggregator, Request

SLUG = "anvil"


class FakeKyberSwap(FakeAggregator):
    """KyberSwap's router is also the spender to approve."""

    def _router(self) -> str:
        return self.spender() if self.mischief.wrong_spender else self.world.router

    def spender(self) -> str:
        from tests.fakes.dex.world import ATTACKER

        return ATTACKER if self.mischief.wrong_spender else self.world.router

    def handle(self, request: Request) -> tuple[int, Any]:
        if not request.headers.get("x-client-id"):
            return 400, {"code": 4001, "message": "x-client-id header is required"}
        path = request.path.split("?")[0]
        if path == f"/{SLUG}/api/v1/routes":
            q = request.query
            sell, buy, amount = q["tokenIn"], q["tokenOut"], int(q["amountIn"])
            out = self.world.quote(sell, buy, amount)
            if out == 0:
                return 400, {"code": 4008, "message": "route not found"}
            summary = {
                "tokenIn": sell,
                "amountIn": str(amount),
                "amountInUsd": "0",
                "tokenOut": buy,
                "amountOut": str(out),
                "amountOutUsd": "0",
                "gas": None if self.mischief.no_gas else "190000",
                "gasPrice": str(10**9),
                "gasUsd": "0.5",
                "extraFee": {"feeAmount": "0", "chargeFeeBy": ""},
                "route": [
                    [
                        {
                            "pool": "0xpool",
                            "tokenIn": sell,
                            "tokenOut": buy,
                            "swapAmount": str(amount),
                            "amountOut": str(out),
                            "exchange": "uniswapv3",
                        }
                    ]
                ],
            }
            summary["checksum"] = _checksum(summary)
            return 200, {
                "code": 0,
                "message": "successfully",
                "data": {"routeSummary": summary, "routerAddress": self.spender()},
            }
        if path == f"/{SLUG}/api/v1/route/build":
            body = request.body if isinstance(request.body, dict) else {}
            summary = body.get("routeSummary")
            if not isinstance(summary, dict) or summary.get("checksum") != _checksum(
                {k: v for k, v in summary.items() if k != "checksum"}
            ):
                return 400, {"code": 4002, "message": "routeSummary was modified or is missing"}
            if not body.get("sender") or not body.get("recipient"):
                return 400, {"code": 4000, "message": "sender and recipient are required"}
            slippage = int(body.get("slippageTolerance", 50))
            out = int(summary["amountOut"])
            min_out = out * (10_000 - slippage) // 10_000
            sell, buy, amount = summary["tokenIn"], summary["tokenOut"], int(summary["amountIn"])
            to, data, value, _ = self.build_tx(sell, buy, amount, min_out, body["recipient"])
            return 200, {
                "code": 0,
                "message": "successfully",
                "data": {
                    "amountIn": str(amount),
                    "amountOut": str(out),
                    "gas": "190000",
                    "data": data,
                    "routerAddress": to,
                    "transactionValue": str(value),
                },
            }
        return 404, {"code": 404, "message": "not found"}


def _checksum(summary: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:20]
