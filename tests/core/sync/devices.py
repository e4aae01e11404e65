"""Devices for sync tests: each a real CoreApp with its own data dir, same keychain."""

from __future__ import annotations

from pathlib import Path

from core.app import CoreApp
from core.sync.crypto import KdfParams
from core.wallet.secret import Secret

PASSPHRASE = Secret("sync passphrase for tests 7f3a")
#: cheap Argon2id cost for tests (the product default is 64 MiB, t=3)
TEST_KDF_MEMORY_KIB = 8 * 1024


def fast_kdf() -> KdfParams:
    return KdfParams.fresh(iterations=1, memory_kib=TEST_KDF_MEMORY_KIB)


class Device:
    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        self.data_dir = root / name
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.app: CoreApp | None = None

    async def start(self) -> CoreApp:
        self.app = CoreApp(self.data_dir, background=False)
        await self.app.start()
        return self.app

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    async def restart(self) -> CoreApp:
        await self.stop()
        return await self.start()

    @property
    def core(self) -> CoreApp:
        assert self.app is not None
        return self.app

    async def view(self) -> dict[str, dict[str, object]]:
        """Everything this device would sync, as its sources read it (the person's view)."""
        from core.sync.engine import _normal

        out: dict[str, dict[str, object]] = {}
        sources = [s for s in self.core.sync._sources()]
        async with self.core.db.session() as session:
            for source in sources:
                rows = await source.read(session)
                out[source.kind] = {rid: _normal(f) for rid, f in rows.items()}
        return out
