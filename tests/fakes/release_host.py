"""A release host on loopback: serves update manifests over real HTTP, as a web server would.

Each path maps to (status, body); anything else is a 404. Requests are counted per path so a
test can prove the app really fetched the manifest.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ReleaseHost:
    def __init__(self) -> None:
        self.files: dict[str, tuple[int, bytes]] = {}
        self.hits: Counter[str] = Counter()
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host.hits[self.path] += 1
                status, body = host.files.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes, status: int = 200) -> str:
        self.files[path] = (status, body)
        return self.url(path)


@contextmanager
def release_host() -> Iterator[ReleaseHost]:
    host = ReleaseHost()
    thread = threading.Thread(target=host._server.serve_forever, daemon=True)
    thread.start()
    try:
        yield host
    finally:
        host._server.shutdown()
        host._server.server_close()
        thread.join(timeout=5)
