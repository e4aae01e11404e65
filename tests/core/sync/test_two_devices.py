"""Two and three real devices against the real server (SQLite and PostgreSQL) on loopback."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path

import httpx
import pytest

from core.portfolio.tokens import TokenInfo
from core.sync.changes import Envelope, open_envelope
from core.sync.crypto import KdfParams, SyncKeys, derive_root_key
from core.sync.errors import SyncUnavailableError, WrongPassphraseError
from core.wallet.secret import Secret
from tests.core.sync.devices import PASSPHRASE, Device, fast_kdf
from tests.harness.sync_server import SyncServer

pytestmark = pytest.mark.usefixtures("secret_service")

# Anvil's well-known test key 9 and the BIP-39 test mnemonic: planted, must never leave the device.
PLANTED_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"
PLANTED_MNEMONIC = "test test test test test test test test test test test junk"
WATCHED = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
MARKER = "PlaintextMarker-5b1e9c"


async def _two(tmp_path: Path, server: SyncServer) -> tuple[Device, Device, Secret]:
    a, b = Device(tmp_path, "a"), Device(tmp_path, "b")
    await a.start()
    await b.start()
    token = Secret(server.create_account())
    return a, b, token


def _server_dump(server: SyncServer, tmp_path: Path) -> bytes:
    """Every byte the server stores (all tables), as one blob to search."""
    url = server.database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1]
        with sqlite3.connect(path) as conn:
            return "\n".join(conn.iterdump()).encode() + Path(path).read_bytes()
    from tests.harness.postgres import PostgresCluster  # noqa: F401 - type only

    database = url.rsplit("/", 1)[1]
    port = int(url.split("@127.0.0.1:")[1].split("/")[0])
    import subprocess

    dump = subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            *_pg_dump(),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            database,
        ],
        capture_output=True,
        check=True,
    )
    return dump.stdout


def _pg_dump() -> list[str]:
    from tests.harness.postgres import find_pg_bin

    return [f"{find_pg_bin()}/pg_dump"]


def _secrets_forms(*values: str) -> list[bytes]:
    forms: list[bytes] = []
    for value in values:
        raw = value.encode()
        forms += [raw, base64.b64encode(raw), raw.hex().encode()]
    return forms


async def test_two_devices_sync_and_nothing_secret_leaves(
    tmp_path: Path, sync_server: SyncServer
) -> None:
    a, b, token = await _two(tmp_path, sync_server)
    try:
        await a.core.wallets.add_watch_only(f"Savings {MARKER}", WATCHED)
        await a.core.wallets.import_private_key("Hot key", Secret(PLANTED_KEY))
        await a.core.wallets.import_mnemonic("Seed", Secret(PLANTED_MNEMONIC))
        await a.core.portfolio.add_token(TokenInfo(1, TOKEN, "TST", 6))
        settings = a.core.settings()
        from dataclasses import replace

        await a.core.update_settings(replace(settings, fiat="EUR"))
        csv = "timestamp,type,asset,amount,price,id\n2024-01-02T00:00:00Z,buy,ETH,1.5,2000,t1\n"
        await a.core.portfolio.import_csv(csv, "generic")

        report = await a.core.sync.init(sync_server.url, PASSPHRASE, token, kdf=fast_kdf())
        assert report.pushed >= 6
        await b.core.sync.join(sync_server.url, token, PASSPHRASE)

        names = {w.name: w for w in await b.core.wallets.list()}
        assert set(names) == {f"Savings {MARKER}", "Hot key", "Seed"}
        # Keys stayed on A: B holds the same addresses as watch-only.
        assert all(w.kind == "watch" for w in names.values())
        a_addresses = {w.address for w in await a.core.wallets.list()}
        assert {w.address for w in names.values()} == a_addresses
        assert b.core.settings().fiat == "EUR"
        assert [t.symbol for t in await b.core.portfolio.tokens(1) if t.address == TOKEN] == ["TST"]
        assert [e.asset for e in await b.core.portfolio.ledger()] == ["ETH"]
        assert await a.view() == await b.view()

        # What the server holds: no plaintext marker, no planted secret, no token, in any form.
        root = await a.core.wallets.keystore.load_text(
            f"sync-{(await a.core.sync.status()).device}-key"
        )
        assert root is not None
        stored = _server_dump(sync_server, tmp_path)
        for form in _secrets_forms(
            MARKER, PLANTED_KEY[2:], PLANTED_MNEMONIC, PASSPHRASE.reveal(), root.reveal()
        ):
            assert form not in stored
        assert token.reveal().encode() not in stored

        # What was pushed, opened with the real key: public data only.
        async with httpx.AsyncClient() as http:
            page = (
                await http.get(
                    f"{sync_server.url}/v1/changes",
                    params={"limit": 1000},
                    headers={"Authorization": f"Bearer {token.reveal()}"},
                )
            ).json()
        keys = SyncKeys(root)
        plain = " ".join(
            json.dumps(open_envelope(keys, Envelope.from_wire(c)).fields) for c in page["changes"]
        )
        assert MARKER in plain  # the label does sync (sealed)
        for secret in (PLANTED_KEY[2:], PLANTED_MNEMONIC, PASSPHRASE.reveal(), "keychain"):
            assert secret not in plain
        # Nor in either device's sync tables.
        for device in (a, b):
            db_bytes = (device.data_dir / "cryptoorchestrator.sqlite3").read_bytes()
            wal = device.data_dir / "cryptoorchestrator.sqlite3-wal"
            db_bytes += wal.read_bytes() if wal.exists() else b""
            for form in _secrets_forms(PLANTED_KEY[2:], PLANTED_MNEMONIC, PASSPHRASE.reveal()):
                assert form not in db_bytes
    finally:
        await a.stop()
        await b.stop()


async def test_concurrent_edits_converge_and_conflicts_are_visible(
    tmp_path: Path, sync_server: SyncServer
) -> None:
    a, b, token = await _two(tmp_path, sync_server)
    c = Device(tmp_path, "c")
    await c.start()
    try:
        wallet = await a.core.wallets.add_watch_only("Shared", WATCHED)
        await a.core.sync.init(sync_server.url, PASSPHRASE, token, kdf=fast_kdf())
        await b.core.sync.join(sync_server.url, token, PASSPHRASE)
        await c.core.sync.join(sync_server.url, token, PASSPHRASE)
        b_wallet = (await b.core.wallets.list())[0]
        # Offline on both: each renames the same wallet.
        await a.core.wallets.rename(wallet.id, "Named on A")
        await b.core.wallets.rename(b_wallet.id, "Named on B")
        await a.core.sync.sync_now()
        await b.core.sync.sync_now()
        await a.core.sync.sync_now()
        await c.core.sync.sync_now()
        final = {(await d.core.wallets.list())[0].name for d in (a, b, c)}
        assert len(final) == 1 and final <= {"Named on A", "Named on B"}
        lost = ({"Named on A", "Named on B"} - final).pop()
        for device in (a, b):
            conflicts = await device.core.sync.conflicts()
            assert [(x.field, x.lost) for x in conflicts] == [("name", lost)]
        status = await a.core.sync.status()
        assert status.conflicts == 1 and status.pending == 0
        assert await a.core.sync.resolve([x.id for x in await a.core.sync.conflicts()]) == 1
        assert (await a.core.sync.status()).conflicts == 0

        # A delete on C reaches everyone.
        c_wallet = (await c.core.wallets.list())[0]
        await c.core.wallets.delete(c_wallet.id, confirm_name=c_wallet.name)
        for device in (c, a, b):
            await device.core.sync.sync_now()
        assert [await d.core.wallets.list() for d in (a, b, c)] == [[], [], []]
        assert await a.view() == await b.view() == await c.view()
    finally:
        for device in (a, b, c):
            await device.stop()


async def test_offline_edits_queue_and_push_later_idempotently(
    tmp_path: Path, sync_server: SyncServer
) -> None:
    a, b, token = await _two(tmp_path, sync_server)
    try:
        await a.core.sync.init(sync_server.url, PASSPHRASE, token, kdf=fast_kdf())
        await b.core.sync.join(sync_server.url, token, PASSPHRASE)
        sync_server.stop()
        await a.core.wallets.add_watch_only("Offline edit", WATCHED)
        with pytest.raises(SyncUnavailableError):
            await a.core.sync.sync_now()
        status = await a.core.sync.status()
        assert status.pending == 1 and status.last_error
        # Restart the device while offline: the outbox survives.
        await a.restart()
        assert (await a.core.sync.status()).pending == 1
        sync_server.start()
        first = await a.core.sync.sync_now()
        assert first.pushed == 1
        # Pushing the same change again (a crash before it was marked sent) is harmless.
        engine = await a.core.sync._get_engine()
        batch = await engine.store.history("wallet", WATCHED.lower())
        from core.sync.changes import seal_change

        again = await engine.client.push(engine.device, [seal_change(engine.keys, batch[0])])
        assert again["accepted"] == 0 and again["duplicates"] == 1
        await b.core.sync.sync_now()
        assert [w.name for w in await b.core.wallets.list()] == ["Offline edit"]
        assert await a.view() == await b.view()
    finally:
        await a.stop()
        await b.stop()


async def test_wrong_passphrase_and_another_accounts_token_are_refused(
    tmp_path: Path, sync_server: SyncServer
) -> None:
    a, b, token = await _two(tmp_path, sync_server)
    try:
        await a.core.wallets.add_watch_only("Mine", WATCHED)
        await a.core.sync.init(sync_server.url, PASSPHRASE, token, kdf=fast_kdf())
        with pytest.raises(WrongPassphraseError):
            await b.core.sync.join(sync_server.url, token, Secret("not the passphrase"))
        assert not (await b.core.sync.status()).enabled
        # Another account (its own passphrase) sees nothing of the first one's data.
        other = Secret(sync_server.create_account())
        report = await b.core.sync.init(
            sync_server.url, Secret("other passphrase 123"), other, kdf=fast_kdf()
        )
        assert await b.core.wallets.list() == []
        # Its account holds exactly what B sent (its settings), nothing of A's.
        assert (await b.core.sync.account_usage())["changes"] == report.pushed
        assert report.pulled == report.pushed
    finally:
        await a.stop()
        await b.stop()


def test_argon2id_product_cost_is_not_trivial() -> None:
    params = KdfParams.fresh()
    assert params.memory_kib >= 64 * 1024 and params.iterations >= 3
    assert derive_root_key(PASSPHRASE, params) != derive_root_key(
        PASSPHRASE, KdfParams.fresh(iterations=1, memory_kib=8 * 1024)
    )


async def test_an_edit_made_while_a_page_is_in_flight_is_not_lost(
    tmp_path: Path, sync_server: SyncServer
) -> None:
    a, b, token = await _two(tmp_path, sync_server)
    try:
        wallet = await a.core.wallets.add_watch_only("Before", WATCHED)
        await a.core.sync.init(sync_server.url, PASSPHRASE, token, kdf=fast_kdf())
        await b.core.sync.join(sync_server.url, token, PASSPHRASE)
        theirs = (await b.core.wallets.list())[0]
        await b.core.wallets.rename(theirs.id, "Renamed on B")
        await b.core.sync.sync_now()
        # A's cycle, step by step: capture and push, then the person renames the wallet before
        # the pull writes B's rename over the row.
        engine = await a.core.sync._get_engine()
        assert await engine.capture() == 0
        await engine.push()
        await a.core.wallets.rename(wallet.id, "Renamed on A meanwhile")
        await engine.pull()
        names = {w.name for w in await a.core.wallets.list()}
        lost = [c.lost for c in await a.core.sync.conflicts()]
        # Whichever won, the other edit is visible: as the name or as a recorded conflict.
        assert "Renamed on A meanwhile" in names | set(lost)
        assert "Renamed on B" in names | set(lost)
        assert (await a.core.sync.status()).pending == 1  # the late edit waits to be sent
        await a.core.sync.sync_now()
        await b.core.sync.sync_now()
        assert await a.view() == await b.view()
    finally:
        await a.stop()
        await b.stop()
