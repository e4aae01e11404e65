"""Shared fixtures: real parts (anvil, Secret Service, Xvfb) and a private data dir per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never try a real screen unless a test starts one explicitly (Xvfb tests use subprocesses).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.fakes.dex.base import FakeAggregator
from tests.fakes.dex.kyberswap import FakeKyberSwap
from tests.fakes.dex.okx import FakeOkx
from tests.fakes.dex.paraswap import FakeParaSwap
from tests.fakes.dex.rubic import FakeRubic
from tests.fakes.dex.world import DexWorld, deploy_world
from tests.fakes.dex.zeroex import FakeZeroEx
from tests.harness.anvil import AnvilNode, start_anvil
from tests.harness.parts import missing_part


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data dir, and a private config dir so no test sees the developer's choices."""
    directory = tmp_path / "data"
    directory.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("CRYPTOORCHESTRATOR_DATA_DIR", raising=False)
    return directory


@pytest.fixture(scope="session")
def anvil() -> Iterator[AnvilNode]:
    node = start_anvil()
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture(scope="session")
def secret_service() -> str:
    """A real, unlocked Secret Service on the session bus; returns the keyring backend name."""
    from core.keychain import probe_keychain

    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        missing_part("a D-Bus session (run the suite through `make test`)")
    status = probe_keychain()
    if not status.usable or "SecretService" not in status.backend:
        missing_part(f"a usable Secret Service keychain ({status.backend}: {status.message})")
    return status.backend


@pytest.fixture(scope="session")
def test_token(anvil: AnvilNode) -> str:
    """A 6-decimal ERC-20 (compiled with npm solc) with 1,000,000 minted to anvil accounts 2-5."""
    from tests.harness.solidity import compile_contracts, deploy, transact

    compiled = compile_contracts("TestToken.sol")["TestToken"]
    deployer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    address = deploy(anvil.url, compiled, "Test USD", "TUSD", 6, sender=deployer)
    for holder in (
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
        "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    ):
        transact(anvil.url, compiled, address, "mint", holder, 1_000_000 * 10**6, sender=deployer)
    return address


MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11"


@pytest.fixture(scope="session")
def multicall3(anvil: AnvilNode) -> str:
    """Multicall3 placed at its canonical address on anvil, as on every real chain."""
    from tests.harness.solidity import compile_contracts

    compiled = compile_contracts("Multicall3.sol")["Multicall3"]
    anvil.rpc("anvil_setCode", [MULTICALL3, compiled.runtime])
    return MULTICALL3


# The DEX router world and the five provider fakes serve both the core and the GUI swap tests.
@pytest.fixture(scope="session")
def dex_world(anvil: AnvilNode) -> DexWorld:
    return deploy_world(anvil)


@pytest.fixture
def fakes(dex_world: DexWorld) -> Iterator[dict[str, FakeAggregator]]:
    running: dict[str, FakeAggregator] = {
        "0x": FakeZeroEx(dex_world),
        "okx": FakeOkx(dex_world),
        "rubic": FakeRubic(dex_world),
        "kyberswap": FakeKyberSwap(dex_world),
        "paraswap": FakeParaSwap(dex_world),
    }
    running["rubic"].throttle = False  # type: ignore[attr-defined]
    yield running
    for fake in running.values():
        fake.close()
