"""OKX DEX aggregator v6: GET /api/v6/dex/aggregator/{quote,approve-transaction,swap}.

Every request must carry OK-ACCESS-KEY/SIGN/TIMESTAMP/PASSPHRASE; the signature is checked as
base64(HMAC-SHA256(secret, timestamp + "GET" + path?query)) over the query exactly as received,
with 30 s of clock skew allowed. Envelope {"code": "0", "data": [...], "msg": ""} with a string
code; business errors (82000...) under HTTP 200; throttling 429 + 50011.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tests.fakes.dex.base import FakeAggregator, Request
from tests.fakes.dex.world import NATIVE

API_KEY, SECRET, PASSPHRASE = "okx-test-key", "okx-test-secret", "okx-test-pass"


class FakeOkx(FakeAggregator):
    throttled = False
    insufficient_liquidity = False

    @staticmethod
    def _env(code: str, data: list[Any], msg: str = "") -> dict[str, Any]:
        return {"code": code, "data": data, "msg": msg}

    def _auth(self, request: Request) -> tuple[int, Any] | None:
        h = request.headers
        needed = ("ok-access-key", "ok-access-sign", "ok-access-timestamp", "ok-access-passphrase")
        if any(not h.get(k) for k in needed):
            return 401, self._env("50103", [], "Request header OK-ACCESS-KEY can not be empty")
        if h["ok-access-key"] != API_KEY or h["ok-access-passphrase"] != PASSPHRASE:
            return 401, self._env("50111", [], "Invalid OK-ACCESS-KEY")
        try:
            stamp = datetime.fromisoformat(h["ok-access-timestamp"].replace("Z", "+00:00"))
        except ValueError:
            return 401, self._env("50112", [], "Invalid OK-ACCESS-TIMESTAMP")
        if abs((datetime.now(UTC) - stamp).total_seconds()) > 30:
            return 401, self._env("50112", [], "Invalid OK-ACCESS-TIMESTAMP")
        prehash = h["ok-access-timestamp"] + "GET" + request.path
        expected = base64.b64encode(
            hmac.new(SECRET.encode(), prehash.encode(), hashlib.sha256).digest()
        ).decode()
        if not hmac.compare_digest(expected, h["ok-access-sign"]):
            return 401, self._env("50113", [], "Invalid Sign")
        return None

    def handle(self, request: Request) -> tuple[int, Any]:
        refused = self._auth(request)
        if refused is not None:
            return refused
        if self.throttled:
            return 429, {"msg": "Too Many Requests", "code": "50011"}
        path = request.path.split("?")[0].removeprefix("/api/v6/dex/aggregator/")
        q = request.query
        chain = str(self.world.chain_id)
        stated_chain = "1" if self.mischief.wrong_chain else chain
        if q.get("chainIndex") != chain:
            return 200, self._env("82105", [], "Chain not supported")
        if path == "approve-transaction":
            return 200, self._env(
                "0",
                [
                    {
                        "data": "0x095ea7b3",
                        "dexContractAddress": self.spender(),
                        "gasLimit": "50000",
                        "gasPrice": str(10**9),
                    }
                ],
            )
        if path not in ("quote", "swap"):
            return 404, self._env("50014", [], "not found")
        if self.insufficient_liquidity:
            return 200, self._env("82000", [], "Insufficient liquidity")
        sell, buy, amount = q["fromTokenAddress"], q["toTokenAddress"], int(q["amount"])
        out = self.world.quote(sell, buy, amount)
        router_result = {
            "chainIndex": stated_chain,
            "swapMode": q.get("swapMode", "exactIn"),
            "fromTokenAmount": str(amount),
            "toTokenAmount": str(out),
            "tradeFee": "0.41",
            "estimateGasFee": "150000",
            "priceImpactPercent": "-0.05",
            "router": self.world.router,
            "dexRouterList": [
                {
                    "dexProtocol": {"dexName": "Uniswap V3", "percent": "100"},
                    "fromTokenIndex": "0",
                    "toTokenIndex": "1",
                }
            ],
            "fromToken": {
                "tokenContractAddress": sell,
                "tokenSymbol": "?",
                "decimal": str(self.world.decimals(sell)),
                "tokenUnitPrice": None,
                "isHoneyPot": False,
                "taxRate": "0",
            },
            "toToken": {
                "tokenContractAddress": buy,
                "tokenSymbol": "?",
                "decimal": str(self.world.decimals(buy)),
                "tokenUnitPrice": None,
                "isHoneyPot": False,
                "taxRate": "0",
            },
            "quoteCompareList": [],
        }
        if path == "quote":
            return 200, self._env("0", [router_result])
        slippage = Decimal(q["slippagePercent"])  # a percent: "0.5" = 0.5 %
        min_out = int(out * (100 - slippage) / 100)
        taker = q["userWalletAddress"]
        to, data, value, stated_min = self.build_tx(sell, buy, amount, min_out, taker)
        return 200, self._env(
            "0",
            [
                {
                    "routerResult": router_result,
                    "tx": {
                        "from": taker,
                        "to": to,
                        "data": data,
                        "value": str(value),
                        "gas": "230000",
                        "gasPrice": str(10**9),
                        "maxPriorityFeePerGas": str(10**9),
                        "minReceiveAmount": str(stated_min),
                        "slippagePercent": q["slippagePercent"],
                        "signatureData": [],
                    },
                }
            ],
        )


def native_placeholder() -> str:
    return NATIVE.lower()
