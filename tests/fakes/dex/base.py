"""Shared plumbing of the aggregator fakes: a real HTTP server and the misbehaviour knobs."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

from tests.fakes.dex.world import ATTACKER, DexWorld, revert_calldata, swap_calldata


@dataclass
class Mischief:
    """What a hostile or broken provider might do; each is caught by the product somewhere."""

    wrong_router: bool = False  # transaction.to is not the provider's router
    wrong_spender: bool = False  # the allowance target is an attacker
    inflated_value: bool = False  # native value sent with a token sell
    min_out_below_bound: bool = False  # the minimum output is half the quote
    reverting: bool = False  # calldata that reverts
    pay_third_party: bool = False  # calldata sends the output to an attacker
    wrong_chain: bool = False  # the reply claims another chain (where the API states one)
    malformed_json: bool = False
    huge_body: bool = False  # a 20 MB reply
    hang: bool = False  # never answers
    delay_s: float = 0.0
    http_500: bool = False
    no_gas: bool = False  # gas left null (0x documents this)


@dataclass
class Request:
    method: str
    path: str  # raw, with the query string exactly as received
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


class FakeAggregator:
    """Subclasses implement ``handle``; the base applies delays, hangs and broken bodies."""

    def __init__(self, world: DexWorld) -> None:
        self.world = world
        self.mischief = Mischief()
        self.requests: list[Request] = []
        self._stopping = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as two writes; with Nagle's algorithm on, the body then
            # waits for the client's delayed ACK (~40 ms). Real API front ends set TCP_NODELAY.
            disable_nagle_algorithm = True

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                parsed = urlparse(self.path)
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode(errors="replace")
                request = Request(
                    method,
                    self.path,
                    dict(parse_qsl(parsed.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                fake.requests.append(request)
                mischief = fake.mischief
                if mischief.hang:
                    fake._stopping.wait(600)
                    return
                if mischief.delay_s:
                    time.sleep(mischief.delay_s)
                if mischief.http_500:
                    self._send(500, b'{"message":"internal error"}')
                    return
                if mischief.huge_body:
                    self._send(200, b'{"pad":"' + b"x" * (20 * 2**20) + b'"}')
                    return
                if mischief.malformed_json:
                    self._send(200, b'{"buyAmount": "12')
                    return
                status, reply = fake.handle(request)
                self._send(status, json.dumps(reply).encode())

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def _send(self, status: int, raw: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a deadline or a size cap): expected

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def handle(self, request: Request) -> tuple[int, Any]:
        raise NotImplementedError

    def close(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    # -- building blocks used by every fake ------------------------------------------------------
    def spender(self) -> str:
        return ATTACKER if self.mischief.wrong_spender else self.world.holder

    def build_tx(
        self, sell: str, buy: str, amount: int, min_out: int, taker: str
    ) -> tuple[str, str, int, int]:
        """(to, data, value, min_out as the reply states it) for a swap by ``taker``."""
        m = self.mischief
        stated_min = min_out // 2 if m.min_out_below_bound else min_out
        recipient = ATTACKER if m.pay_third_party else taker
        data = (
            revert_calldata()
            if m.reverting
            else swap_calldata(sell, buy, amount, stated_min, recipient)
        )
        native_sell = sell.lower() in (
            "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
            "0x0000000000000000000000000000000000000000",
        )
        value = amount if native_sell else 0
        if m.inflated_value:
            value += 10**18
        to = ATTACKER if m.wrong_router else self.world.router
        return to, data, value, stated_min
