"""A real anvil node (npm @foundry-rs/anvil) on a free loopback port."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.harness.parts import REPO, free_port, missing_part

ANVIL_BIN = Path(REPO) / "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
# anvil's well-known public test mnemonic; its keys hold only test funds on local nodes.
TEST_MNEMONIC = "test test test test test test test test test test test junk"
CHAIN_ID = 31337


@dataclass
class AnvilNode:
    url: str
    port: int
    chain_id: int
    process: subprocess.Popen[bytes]

    def rpc(self, method: str, params: list[object] | None = None) -> object:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []})
        request = urllib.request.Request(
            self.url, body.encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            reply = json.loads(response.read())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_anvil(
    chain_id: int = CHAIN_ID, block_time: float | None = None, hardfork: str | None = None
) -> AnvilNode:
    binary = Path(os.environ.get("ANVIL_BIN", ANVIL_BIN))
    if not binary.exists():
        missing_part(f"anvil binary at {binary} (run `npm install` or `make test`)")
    port = free_port()
    args = [str(binary), "--port", str(port), "--chain-id", str(chain_id), "--silent"]
    if block_time:
        args += ["--block-time", str(block_time)]
    if hardfork:  # e.g. "berlin": no EIP-1559 base fee, legacy gas prices only
        args += ["--hardfork", hardfork]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    node = AnvilNode(f"http://127.0.0.1:{port}", port, chain_id, process)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            missing_part(f"anvil exited at start: {err[:300]}")
        try:
            node.rpc("eth_chainId")
            return node
        except OSError:
            time.sleep(0.05)
    node.stop()
    missing_part("anvil did not answer within 20 s")
