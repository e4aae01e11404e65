"""`cryptoorchestrator sync ...` on two data dirs against the real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.cli import build_cli
from tests.harness.sync_server import SyncServer, start_sync_server

pytestmark = pytest.mark.usefixtures("secret_service")
PASSPHRASE = "cli passphrase 93c1 long enough"
WATCHED = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SyncServer]:
    running = start_sync_server(f"sqlite+aiosqlite:///{tmp_path / 'server.sqlite3'}")
    yield running
    running.stop()


def _cli(data: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), ["--data-dir", str(data), *args], env=env)
    return result.exit_code, result.output


def test_init_join_status_now_conflicts(tmp_path: Path, server: SyncServer, data_dir: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    code, out = _cli(a, "sync", "status")
    assert code == 0 and "sync: off" in out
    assert _cli(a, "wallet", "watch", "Cold", WATCHED)[0] == 0
    env = {"CRYPTOORCHESTRATOR_SYNC_PASSPHRASE": PASSPHRASE}
    code, out = _cli(a, "sync", "init", "--server", server.url, "--new-account", env=env)
    assert code == 0, out
    token = out.splitlines()[1].strip()
    assert token.startswith("cos_") and PASSPHRASE not in out

    wrong = {"CRYPTOORCHESTRATOR_SYNC_PASSPHRASE": "wrong passphrase!", **_token(token)}
    code, out = _cli(b, "sync", "join", "--server", server.url, env=wrong)
    assert code == 2 and "does not open the sync account" in out
    code, out = _cli(b, "sync", "join", "--server", server.url, env={**env, **_token(token)})
    assert code == 0 and "joined" in out, out
    code, out = _cli(b, "wallet", "list")
    assert "Cold" in out and WATCHED in out

    code, out = _cli(b, "sync", "status")
    assert code == 0 and "sync: on" in out and "waiting to send: 0" in out
    assert _cli(b, "sync", "now")[0] == 0
    code, out = _cli(b, "sync", "conflicts")
    assert code == 0 and "no conflicts" in out
    assert _cli(b, "sync", "off")[0] == 0
    code, out = _cli(b, "sync", "now")
    assert code == 2 and "Sync is off" in out


def _token(token: str) -> dict[str, str]:
    return {"CRYPTOORCHESTRATOR_SYNC_TOKEN": token}
