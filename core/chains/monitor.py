"""Periodic reachability checks of every enabled chain, recorded and published."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from core.chains.clients import ChainClients
from core.chains.health import ChainHealth, check_chain, probe_url
from core.events import ChainStatusChanged, EventBus
from core.settings import Settings
from core.storage.repositories import (
    ActivityRepository,
    ChainStatusRecord,
    ChainStatusRepository,
)

__all__ = ["ChainMonitor"]

log = logging.getLogger(__name__)


class ChainMonitor:
    def __init__(
        self,
        clients: ChainClients,
        repository: ChainStatusRepository,
        activity: ActivityRepository,
        bus: EventBus,
        settings: Callable[[], Settings],
    ) -> None:
        self._clients = clients
        self._repository = repository
        self._activity = activity
        self._bus = bus
        self._settings = settings
        self.latest: dict[int, ChainHealth] = {}
        self._wake = asyncio.Event()

    async def check_all(self) -> dict[int, ChainHealth]:
        settings = self._settings()
        chains = [c for c in settings.chains if c.enabled]
        results = await asyncio.gather(
            *(self._check_one(c.chain_id, c.name, settings.rpc_timeout_s) for c in chains)
        )
        return {r.chain_id: r for r in results}

    async def _check_one(self, chain_id: int, name: str, timeout_s: float) -> ChainHealth:
        health: ChainHealth | None = None
        # Try each configured RPC in order; the first that answers for the right chain wins.
        for index, url in enumerate(self._clients.urls(chain_id)):
            if index == 0:  # the primary keeps its shared client
                health = await check_chain(self._clients.get(chain_id), chain_id, url, timeout_s)
            else:
                health = await probe_url(chain_id, url, timeout_s)
            if health.online:
                break
        if health is None:
            health = ChainHealth(chain_id, "", False, error="no RPC address configured")
        previous = self.latest.get(chain_id)
        self.latest[chain_id] = health
        await self._repository.record(
            ChainStatusRecord(
                chain_id,
                datetime.now(UTC),
                health.online,
                health.block_number,
                health.latency_ms,
                health.error,
            )
        )
        went_offline_at_start = previous is None and not health.online
        if went_offline_at_start or (previous is not None and previous.online != health.online):
            await self._log_transition(name, health)
        if previous is None or previous.online != health.online or health.online:
            self._bus.publish(
                ChainStatusChanged(
                    chain_id,
                    name,
                    health.online,
                    health.block_number,
                    health.latency_ms,
                    health.error,
                )
            )
        return health

    async def _log_transition(self, name: str, health: ChainHealth) -> None:
        if health.online:
            await self._activity.add(
                "chain", f"{name} is reachable", f"block {health.block_number}"
            )
        else:
            await self._activity.add(
                "chain", f"{name} is unreachable", health.error or "", level="warning"
            )

    def poke(self) -> None:
        """Check again now (after a settings change or when the person asks)."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            await self.check_all()
            self._wake.clear()
            try:
                async with asyncio.timeout(self._settings().status_poll_s):
                    await self._wake.wait()
            except TimeoutError:
                pass
