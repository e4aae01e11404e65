"""`cryptoorchestrator doctor`: what this installation looks like and what does not work."""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.chains.health import ChainHealth, probe_url
from core.keychain import KeychainStatus, probe_keychain
from core.settings import Settings
from core.storage.db import DB_FILE, Database, head_revision
from core.version import __version__

__all__ = ["DoctorReport", "run_doctor"]


@dataclass(frozen=True)
class DoctorReport:
    version: str
    data_dir: str
    database: str
    schema_revision: str | None
    schema_head: str
    keychain: KeychainStatus
    chains: list[tuple[str, ChainHealth]]

    @property
    def healthy(self) -> bool:
        return self.keychain.usable and self.schema_revision == self.schema_head

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "data_dir": self.data_dir,
            "database": self.database,
            "schema_revision": self.schema_revision,
            "schema_head": self.schema_head,
            "keychain": asdict(self.keychain),
            "chains": [{"name": name, **asdict(h)} for name, h in self.chains],
        }

    def lines(self) -> list[str]:
        kc = self.keychain
        out = [
            f"CryptoOrchestrator {self.version}",
            f"data dir        {self.data_dir}",
            f"database        {self.database}",
            f"schema          {self.schema_revision} (latest {self.schema_head})",
            f"keychain        {kc.backend}: {'usable' if kc.usable else 'NOT USABLE'}",
        ]
        if not kc.usable:
            out.append(f"                {kc.message}")
        for name, health in self.chains:
            if health.online:
                state = f"online, block {health.block_number}, {health.latency_ms:.0f} ms"
            else:
                state = f"offline: {health.error}"
            out.append(f"chain {health.chain_id:<9} {name}: {state}")
        return out


async def run_doctor(data_dir: Path, db: Database, settings: Settings) -> DoctorReport:
    loop = asyncio.get_running_loop()
    keychain_task = loop.run_in_executor(None, probe_keychain)
    chains = [c for c in settings.chains if c.enabled]
    checks = [probe_url(c.chain_id, c.rpc_urls[0], settings.rpc_timeout_s) for c in chains]
    healths = await asyncio.gather(*checks)
    return DoctorReport(
        version=__version__,
        data_dir=str(data_dir),
        database=str(data_dir / DB_FILE),
        schema_revision=await db.schema_revision(),
        schema_head=head_revision(),
        keychain=await keychain_task,
        chains=[(c.name, h) for c, h in zip(chains, healths, strict=True)],
    )
