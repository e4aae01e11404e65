"""Hypothesis-driven interleavings on three real devices and the real server: edits, offline
periods (the server down), device restarts. At the end every device shows the same data."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import CoreError
from core.sync.errors import SyncUnavailableError
from core.wallet.secret import Secret
from tests.core.sync.devices import PASSPHRASE, Device, fast_kdf
from tests.harness.sync_server import SyncServer, start_sync_server

pytestmark = pytest.mark.usefixtures("secret_service")

ADDRESSES = (
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
)
dev = st.integers(0, 2)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("watch"), dev, st.integers(0, 2), st.sampled_from(["Ann", "Bob", "Cy"])),
        st.tuples(
            st.just("rename"), dev, st.integers(0, 2), st.sampled_from(["Ann", "Dee", "Eve"])
        ),
        st.tuples(st.just("delete"), dev, st.integers(0, 2)),
        st.tuples(st.just("fiat"), dev, st.sampled_from(["USD", "EUR", "CHF"])),
        st.tuples(st.just("sync"), dev),
        st.tuples(st.just("sync"), dev),
        st.tuples(st.just("restart"), dev),
        st.tuples(st.just("server"), st.booleans()),
    ),
    max_size=14,
)


async def _edit(device: Device, op: tuple[Any, ...]) -> None:
    core = device.core
    wallets = {w.address: w for w in await core.wallets.list()}
    if op[0] == "watch" and ADDRESSES[op[2]] not in wallets:
        await core.wallets.add_watch_only(f"{op[3]}{op[2]}", ADDRESSES[op[2]])
    elif op[0] == "rename" and ADDRESSES[op[2]] in wallets:
        await core.wallets.rename(wallets[ADDRESSES[op[2]]].id, op[3])
    elif op[0] == "delete" and ADDRESSES[op[2]] in wallets:
        w = wallets[ADDRESSES[op[2]]]
        await core.wallets.delete(w.id, confirm_name=w.name)
    elif op[0] == "fiat":
        await core.update_settings(replace(core.settings(), fiat=op[2]))


async def _scenario(root: Path, server: SyncServer, steps: list[tuple[Any, ...]]) -> None:
    devices = [Device(root, n) for n in ("a", "b", "c")]
    for d in devices:
        await d.start()
    try:
        token = Secret(server.create_account())
        await devices[0].core.sync.init(server.url, PASSPHRASE, token, kdf=fast_kdf())
        for d in devices[1:]:
            await d.core.sync.join(server.url, token, PASSPHRASE)
        for step in steps:
            if step[0] == "sync":
                with contextlib.suppress(SyncUnavailableError):
                    await devices[step[1]].core.sync.sync_now()
            elif step[0] == "restart":
                await devices[step[1]].restart()
            elif step[0] == "server":
                if step[1] and server.process is None:
                    server.start()
                elif not step[1] and server.process is not None:
                    server.stop()
            else:
                with contextlib.suppress(CoreError):  # e.g. a name already taken: refused
                    await _edit(devices[step[1]], step)
        if server.process is None:
            server.start()
        # Quiesce: sync round-robin until a full round captures nothing new.
        for _round in range(6):
            reports = [await d.core.sync.sync_now() for d in devices]
            if _round > 0 and all(r.captured == 0 and r.pulled == 0 for r in reports):
                break
        views = [await d.view() for d in devices]
        assert views[0] == views[1] == views[2]
        listed = [sorted((w.address, w.name) for w in await d.core.wallets.list()) for d in devices]
        assert listed[0] == listed[1] == listed[2]
        for d in devices:
            assert (await d.core.sync.status()).pending == 0
    finally:
        for d in devices:
            await d.stop()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("interleave") / "server.sqlite3"
    server = start_sync_server(f"sqlite+aiosqlite:///{path}")
    yield server
    server.stop()


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=ops)
def test_random_interleavings_converge(
    steps: list[tuple[Any, ...]],
    shared_server: SyncServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("devices")
    asyncio.run(_scenario(root, shared_server, steps))
