"""Local servers that speak DefiLlama's coins API and CoinGecko's v3 price API.

DefiLlama: GET /prices/current/{chain:address,...} -> {"coins": {id: {decimals, symbol, price,
timestamp, confidence}}}; unknown coins are absent. CoinGecko: GET /simple/price?ids&vs_currencies
-> {id: {"usd": p}}; GET /simple/token_price/{platform}?contract_addresses&vs_currencies -> keyed
by lower-case address; 429 with {"status": {"error_code": 429, "error_message": ...}}.
Prices are set by tests; ``down`` makes a server refuse with HTTP 503, ``throttled`` with 429.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


class _Fake:
    def __init__(self) -> None:
        self.down = False
        self.throttled = False
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(self.path)
                if fake.down:
                    self._send(503, {"message": "unavailable"})
                    return
                status, body = fake.handle(urlparse(self.path))
                self._send(status, body)

            def _send(self, status: int, body: Any) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def handle(self, url: Any) -> tuple[int, Any]:
        raise NotImplementedError

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class FakeDefiLlama(_Fake):
    def __init__(self) -> None:
        super().__init__()
        self.prices: dict[str, float] = {}  # "ethereum:0xabc..." (lower-case) -> USD

    def handle(self, url: Any) -> tuple[int, Any]:
        prefix = "/prices/current/"
        if not url.path.startswith(prefix):
            return 404, {"message": "not found"}
        coins = {}
        for coin in url.path[len(prefix) :].split(","):
            key = coin.lower()
            if key in self.prices:
                coins[coin] = {
                    "decimals": 18,
                    "symbol": "?",
                    "price": self.prices[key],
                    "timestamp": int(time.time()),
                    "confidence": 0.99,
                }
        return 200, {"coins": coins}


class FakeCoinGecko(_Fake):
    def __init__(self) -> None:
        super().__init__()
        self.coins: dict[str, float] = {}  # coingecko id -> USD
        self.tokens: dict[tuple[str, str], float] = {}  # (platform, lower address) -> USD

    def handle(self, url: Any) -> tuple[int, Any]:
        if self.throttled:
            return 429, {
                "status": {"error_code": 429, "error_message": "You've exceeded the Rate Limit."}
            }
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if query.get("vs_currencies") != "usd":
            return 400, {"error": "invalid vs_currency"}
        if url.path == "/simple/price":
            ids = query.get("ids", "").split(",")
            return 200, {i: {"usd": self.coins[i]} for i in ids if i in self.coins}
        prefix = "/simple/token_price/"
        if url.path.startswith(prefix):
            platform = url.path[len(prefix) :]
            addresses = [a.lower() for a in query.get("contract_addresses", "").split(",")]
            return 200, {
                a: {"usd": self.tokens[(platform, a)]}
                for a in addresses
                if (platform, a) in self.tokens
            }
        return 404, {"error": "Not found"}
