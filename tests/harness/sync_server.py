"""The real sync server (``python -m server serve``) in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field

import httpx

from tests.harness.parts import REPO, free_port

__all__ = ["SyncServer", "start_sync_server"]


@dataclass
class SyncServer:
    database_url: str
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log_path: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = self.port or free_port()
        env = {**os.environ, **self.env, "SYNC_DATABASE_URL": self.database_url, **self.extra}
        self.log_path = self.log_path or f"/tmp/co-sync-server-{self.port}.log"
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed at stop
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--port", str(self.port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                with open(self.log_path) as handle:
                    raise RuntimeError(f"sync server exited: {handle.read()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("sync server did not become healthy within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def create_account(self) -> str:
        response = httpx.post(f"{self.url}/v1/accounts", timeout=10)
        response.raise_for_status()
        return str(response.json()["token"])


def start_sync_server(database_url: str, **env: str) -> SyncServer:
    server = SyncServer(database_url, env)
    server.start()
    return server
