"""A JSON-RPC proxy in front of anvil that counts the calls that pass through it.

Tests point the product at the proxy's URL and then assert how many round trips (and of which
methods) a feature needed. It can also play dead, for "RPC down" tests, or far away (added
latency), for benchmarks.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CountingProxy:
    def __init__(self, upstream: str, latency_s: float = 0.0) -> None:
        self.upstream = upstream
        #: added to every round trip, to play a remote RPC rather than one on loopback
        self.latency_s = latency_s
        self.requests = 0  # HTTP round trips
        self.methods: Counter[str] = Counter()
        self.dead = False
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                if proxy.dead:
                    self.send_response(503)
                    self.end_headers()
                    return
                proxy.requests += 1
                if proxy.latency_s:
                    time.sleep(proxy.latency_s)
                payload = json.loads(body)
                for item in payload if isinstance(payload, list) else [payload]:
                    proxy.methods[item.get("method", "?")] += 1
                request = urllib.request.Request(
                    proxy.upstream, body, {"Content-Type": "application/json"}
                )
                with urllib.request.urlopen(request, timeout=30) as upstream_reply:
                    reply = upstream_reply.read()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def reset(self) -> None:
        self.requests = 0
        self.methods.clear()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
