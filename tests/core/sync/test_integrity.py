"""Tampered, truncated, replayed and wrong-key blobs are refused with a clear error; nothing
local is lost, nothing of the bad page is applied, and a repaired server syncs again."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.sync.changes import Change, seal_change
from core.sync.crypto import KdfParams, SyncKeys, derive_root_key
from core.sync.errors import SyncIntegrityError
from core.sync.hlc import Clock
from core.wallet.secret import Secret
from tests.core.sync.devices import PASSPHRASE, Device, fast_kdf
from tests.harness.sync_server import SyncServer, start_sync_server

pytestmark = pytest.mark.usefixtures("secret_service")
WATCHED = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
OWN = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[SyncServer]:
    server = start_sync_server(f"sqlite+aiosqlite:///{tmp_path / 'server.sqlite3'}")
    yield server
    server.stop()


def _db(server: SyncServer) -> sqlite3.Connection:
    return sqlite3.connect(server.database_url.split("///", 1)[1])


def _flip(conn: sqlite3.Connection) -> Callable[[], None]:
    seq, blob = conn.execute("SELECT seq, blob FROM changes ORDER BY seq LIMIT 1").fetchone()
    conn.execute("UPDATE changes SET blob = ? WHERE seq = ?", (blob[:-3] + b"xyz", seq))
    return lambda: conn.execute("UPDATE changes SET blob = ? WHERE seq = ?", (blob, seq))


def _truncate(conn: sqlite3.Connection) -> Callable[[], None]:
    seq, blob = conn.execute("SELECT seq, blob FROM changes ORDER BY seq LIMIT 1").fetchone()
    conn.execute("UPDATE changes SET blob = ? WHERE seq = ?", (blob[: len(blob) // 2], seq))
    return lambda: conn.execute("UPDATE changes SET blob = ? WHERE seq = ?", (blob, seq))


def _append(conn: sqlite3.Connection, row: tuple[object, ...]) -> Callable[[], None]:
    account, last = conn.execute("SELECT id, last_seq FROM accounts").fetchone()
    conn.execute(
        "INSERT INTO changes (account_id, seq, change_id, device, record_tag, version, blob, "
        "size, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2024-01-01 00:00:00')",
        (account, last + 1, *row),
    )
    conn.execute("UPDATE accounts SET last_seq = ?", (last + 1,))

    def undo() -> None:
        conn.execute("DELETE FROM changes WHERE seq = ?", (last + 1,))
        conn.execute("UPDATE accounts SET last_seq = ?", (last,))

    return undo


def _replay(conn: sqlite3.Connection) -> Callable[[], None]:
    """A real blob served again under a new change id (a replay onto another identity)."""
    device, tag, version, blob = conn.execute(
        "SELECT device, record_tag, version, blob FROM changes ORDER BY seq LIMIT 1"
    ).fetchone()
    return _append(conn, (uuid.uuid4().hex, device, tag, version, blob, len(blob)))


def _wrong_key(conn: sqlite3.Connection) -> Callable[[], None]:
    """A well-formed change sealed with another passphrase's key."""
    other = SyncKeys(derive_root_key(Secret("somebody else's passphrase"), fast_kdf()))
    change = Change(uuid.uuid4().hex, "wallet", "0xdead", Clock("evil1").now(), {"name": "x"})
    e = seal_change(other, change)
    return _append(conn, (e.change_id, e.device, e.record_tag, e.version, e.blob, len(e.blob)))


@pytest.mark.parametrize("attack", [_flip, _truncate, _replay, _wrong_key])
async def test_bad_blobs_are_refused_and_nothing_local_is_lost(
    tmp_path: Path,
    sqlite_server: SyncServer,
    attack: Callable[[sqlite3.Connection], Callable[[], None]],
) -> None:
    a, c = Device(tmp_path, "a"), Device(tmp_path, "c")
    await a.start()
    await c.start()
    try:
        token = Secret(sqlite_server.create_account())
        await a.core.wallets.add_watch_only("From A", WATCHED)
        await a.core.sync.init(sqlite_server.url, PASSPHRASE, token, kdf=fast_kdf())
        await c.core.wallets.add_watch_only("C's own", OWN)
        conn = _db(sqlite_server)
        undo = attack(conn)
        conn.commit()
        with pytest.raises(SyncIntegrityError) as info:
            await c.core.sync.join(sqlite_server.url, token, PASSPHRASE)
        message = info.value.user_message
        assert "not applied" in message and "server #" in message
        # Nothing of the bad page reached C; C's own data is intact; the cursor did not move.
        assert [w.name for w in await c.core.wallets.list()] == ["C's own"]
        status = await c.core.sync.status()
        assert status.cursor == 0 and status.last_error == message
        # The server repaired (or the bad row removed): C catches up and nothing was lost.
        undo()
        conn.commit()
        conn.close()
        await c.core.sync.sync_now()
        await a.core.sync.sync_now()
        assert sorted(w.name for w in await c.core.wallets.list()) == ["C's own", "From A"]
        assert await a.view() == await c.view()
    finally:
        await a.stop()
        await c.stop()


def test_kdf_params_from_server_are_checked() -> None:
    with pytest.raises(SyncIntegrityError):
        KdfParams.from_dict({"alg": "scrypt", "salt": "", "iterations": 1})
    with pytest.raises(SyncIntegrityError):
        KdfParams.from_dict(
            {"alg": "argon2id", "salt": "c2FsdA==", "iterations": 1, "memory_kib": 8, "lanes": 1}
        )
