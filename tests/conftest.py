"""Shared fixtures: real parts (anvil, Secret Service, Xvfb) and a private data dir per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never try a real screen unless a test starts one explicitly (Xvfb tests use subprocesses).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
