"""Compile test contracts with solc-js (npm `solc`) and deploy them on anvil.

Compiled output is cached on disk by the sha256 of the sources and the compiler version, so
only the first run pays for compilation.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web3 import Web3

from tests.harness.parts import REPO, missing_part

CONTRACTS = Path(REPO) / "tests" / "contracts"
CACHE = Path(REPO) / "tests" / ".solc-cache"
SCRIPT = Path(__file__).with_name("solc_compile.js")
compiler_runs = 0  # how often solc actually ran (tests check the cache works)
# Parsed output by source digest: the API fakes compile-and-call on every request, and re-reading
# the JSON each time made a fake's reply cost tens of milliseconds of CPU.
_parsed: dict[str, dict[str, Compiled]] = {}
_web3: dict[str, Web3] = {}


@dataclass(frozen=True)
class Compiled:
    name: str
    abi: list[dict[str, Any]]
    bytecode: str  # 0x-prefixed creation code
    runtime: str = "0x"  # 0x-prefixed deployed code (for anvil_setCode at a fixed address)


def _solc_version() -> str:
    package = Path(REPO) / "node_modules" / "solc" / "package.json"
    if not package.exists():
        missing_part("npm solc (run `npm install` or `make test`)")
    return str(json.loads(package.read_text())["version"])


def compile_contracts(*files: str) -> dict[str, Compiled]:
    """Compile ``files`` (names under tests/contracts) and return every contract by name."""
    global compiler_runs
    if shutil.which("node") is None:
        missing_part("node (to run solc-js)")
    version = _solc_version()
    sources = {name: (CONTRACTS / name).read_text() for name in sorted(files)}
    digest = hashlib.sha256(json.dumps([version, sources]).encode()).hexdigest()
    if digest in _parsed:
        return dict(_parsed[digest])
    cached = CACHE / f"{digest}.json"
    if cached.exists():
        output = json.loads(cached.read_text())
    else:
        standard_input = {
            "language": "Solidity",
            "sources": {name: {"content": text} for name, text in sources.items()},
            "settings": {
                "optimizer": {"enabled": True, "runs": 200},
                "evmVersion": "cancun",
                "outputSelection": {
                    "*": {"*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}
                },
            },
        }
        result = subprocess.run(
            ["node", str(SCRIPT), REPO, str(CONTRACTS)],
            input=json.dumps(standard_input),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        compiler_runs += 1
        if result.returncode != 0:
            raise RuntimeError(f"solc-js failed: {result.stderr[-2000:]}")
        output = json.loads(result.stdout)
        errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
        if errors:
            raise RuntimeError("solc errors:\n" + "\n".join(e["formattedMessage"] for e in errors))
        CACHE.mkdir(exist_ok=True)
        cached.write_text(json.dumps(output))
    contracts: dict[str, Compiled] = {}
    for per_file in output["contracts"].values():
        for name, body in per_file.items():
            evm = body["evm"]
            contracts[name] = Compiled(
                name,
                body["abi"],
                "0x" + evm["bytecode"]["object"],
                "0x" + evm.get("deployedBytecode", {}).get("object", ""),
            )
    _parsed[digest] = contracts
    return dict(contracts)


def web3_for(url: str) -> Web3:
    if url not in _web3:
        _web3[url] = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 30}))
    return _web3[url]


def deploy(url: str, compiled: Compiled, *args: Any, sender: str) -> str:
    """Deploy from one of anvil's unlocked accounts; returns the contract address."""
    w3 = web3_for(url)
    contract = w3.eth.contract(abi=compiled.abi, bytecode=compiled.bytecode)
    tx_hash = contract.constructor(*args).transact({"from": sender})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
    assert receipt["status"] == 1, f"deploying {compiled.name} failed"
    return str(receipt["contractAddress"])


def transact(
    url: str, compiled: Compiled, address: str, fn: str, *args: Any, sender: str, value: int = 0
) -> Any:
    w3 = web3_for(url)
    contract = w3.eth.contract(address=Web3.to_checksum_address(address), abi=compiled.abi)
    tx_hash = getattr(contract.functions, fn)(*args).transact({"from": sender, "value": value})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
    assert receipt["status"] == 1, f"{compiled.name}.{fn} failed"
    return receipt


def call(url: str, compiled: Compiled, address: str, fn: str, *args: Any) -> Any:
    w3 = web3_for(url)
    contract = w3.eth.contract(address=Web3.to_checksum_address(address), abi=compiled.abi)
    return getattr(contract.functions, fn)(*args).call()
