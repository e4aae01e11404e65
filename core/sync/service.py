"""Sync as the app sees it: set up (init/join), status, sync now, conflicts, the background loop.

Opt-in: nothing leaves the device until ``init`` or ``join``. The passphrase is used once, in an
executor, to derive the root key (Argon2id); the key and the account token go to the keychain
under this device's id, the passphrase itself is never stored. Background cycles run through
core.tasks and back off exponentially (with jitter, honouring Retry-After) while the server is
unreachable; edits made meanwhile wait in the outbox.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from core.errors import CoreError
from core.events import CoreEvent, EventBus
from core.storage.db import Database
from core.sync.client import SyncClient, create_account
from core.sync.crypto import (
    KdfParams,
    SyncKeys,
    derive_root_key,
    make_key_check,
    verify_key_check,
)
from core.sync.engine import SyncEngine, SyncReport
from core.sync.errors import SyncConfigError, SyncError, SyncUnavailableError
from core.sync.records import RecordSource
from core.sync.store import ConflictView, SyncStore
from core.tasks import Priority, TaskManager
from core.wallet.keystore import Keystore
from core.wallet.secret import Secret

__all__ = ["SyncService", "SyncStatus", "SyncStatusChanged"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatusChanged(CoreEvent):
    enabled: bool
    ok: bool
    message: str


@dataclass(frozen=True)
class SyncStatus:
    enabled: bool
    server_url: str | None
    device: str
    last_sync_at: datetime | None
    last_error: str | None
    pending: int
    conflicts: int
    cursor: int

    def lines(self) -> list[str]:
        if not self.enabled:
            return ["sync: off (run `sync init` on the first device, `sync join` on the others)"]
        when = f"{self.last_sync_at:%Y-%m-%d %H:%M:%S} UTC" if self.last_sync_at else "never"
        return [
            f"sync: on, server {self.server_url}, this device {self.device}",
            f"last sync: {when}" + (f" (failed: {self.last_error})" if self.last_error else ""),
            f"waiting to send: {self.pending} changes; received up to #{self.cursor}",
            f"unresolved conflicts: {self.conflicts}",
        ]


class SyncService:
    def __init__(
        self,
        db: Database,
        keystore: Keystore,
        http: httpx.AsyncClient,
        bus: EventBus,
        sources: Callable[[], list[RecordSource]],
        *,
        interval_s: float = 60.0,
        max_backoff_s: float = 600.0,
    ) -> None:
        self.store = SyncStore(db)
        self._db = db
        self._keystore = keystore
        self._http = http
        self._bus = bus
        self._sources = sources
        self.interval_s = interval_s
        self.max_backoff_s = max_backoff_s
        self._lock = asyncio.Lock()
        self._engine: SyncEngine | None = None
        self._tasks: TaskManager | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._running = False
        self._failures = 0

    # -- identity and secrets -----------------------------------------------------------------
    async def device_id(self) -> str:
        meta = await self.store.meta()
        if "device" in meta:
            return meta["device"]
        device = secrets.token_hex(8)
        await self.store.update_meta(device=device)
        return device

    @staticmethod
    def _key_ref(device: str) -> str:
        return f"sync-{device}-key"

    @staticmethod
    def _token_ref(device: str) -> str:
        return f"sync-{device}-token"

    async def _derive(self, passphrase: Secret, params: KdfParams) -> Secret:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, derive_root_key, passphrase, params)

    # -- set up ----------------------------------------------------------------------------------
    async def init(
        self,
        server_url: str,
        passphrase: Secret,
        token: Secret | None = None,
        *,
        registration_key: str | None = None,
        kdf: KdfParams | None = None,
    ) -> SyncReport:
        """First device: create (or take) an account, store the key check, send everything."""
        device = await self.device_id()
        if token is None:
            _account, token = await create_account(self._http, server_url, registration_key)
        client = SyncClient(self._http, server_url, token)
        info = await client.account()
        if info.get("meta"):
            raise SyncError(
                "This sync account is already set up by another device; use join instead."
            )
        params = kdf or KdfParams.fresh()
        root = await self._derive(passphrase, params)
        keys = SyncKeys(root)
        await client.set_meta({"v": 1, "kdf": params.as_dict(), "check": make_key_check(keys)})
        await self._enable(device, server_url, root, token, initial=False)
        return await self.sync_now()

    async def join(self, server_url: str, token: Secret, passphrase: Secret) -> SyncReport:
        """Another device: check the passphrase against the account before changing anything."""
        device = await self.device_id()
        client = SyncClient(self._http, server_url, token)
        meta = (await client.account()).get("meta")
        if not meta:
            raise SyncConfigError("This sync account is not set up yet; run init on one device.")
        params = KdfParams.from_dict(dict(meta.get("kdf") or {}))
        root = await self._derive(passphrase, params)
        verify_key_check(SyncKeys(root), str(meta.get("check", "")))
        await self._enable(device, server_url, root, token, initial=True)
        return await self.sync_now()

    async def _enable(
        self, device: str, server_url: str, root: Secret, token: Secret, *, initial: bool
    ) -> None:
        await self._keystore.store_text(self._key_ref(device), root)
        await self._keystore.store_text(self._token_ref(device), token)
        await self.store.update_meta(
            server_url=server_url.strip().rstrip("/"),
            enabled="1",
            initial="1" if initial else None,
            cursor="0",
            last_error=None,
        )
        self._engine = None
        self._bus.publish(SyncStatusChanged(True, True, "sync set up"))

    async def disable(self) -> None:
        """Stop syncing and forget the key and token on this device; local data stays."""
        device = await self.device_id()
        await self._keystore.delete(self._key_ref(device))
        await self._keystore.delete(self._token_ref(device))
        await self.store.update_meta(enabled=None, initial=None)
        self._engine = None
        self._bus.publish(SyncStatusChanged(False, True, "sync turned off"))

    async def _get_engine(self) -> SyncEngine:
        meta = await self.store.meta()
        if meta.get("enabled") != "1":
            raise SyncConfigError("Sync is off on this device.")
        if self._engine is None:
            device = meta["device"]
            root = await self._keystore.load_text(self._key_ref(device))
            token = await self._keystore.load_text(self._token_ref(device))
            if root is None or token is None:
                raise SyncConfigError(
                    "The sync key or token is missing from the keychain; join the account again."
                )
            client = SyncClient(self._http, meta["server_url"], token)
            self._engine = SyncEngine(
                self._db, self._sources(), SyncKeys(root), client, device, meta.get("clock")
            )
        return self._engine

    # -- running -----------------------------------------------------------------------------------
    async def sync_now(self) -> SyncReport:
        async with self._lock:
            engine = await self._get_engine()
            initial = (await self.store.meta()).get("initial") == "1"
            try:
                report = await engine.sync_once(initial=initial)
            except SyncError as exc:
                await self.store.update_meta(last_error=exc.user_message)
                self._bus.publish(SyncStatusChanged(True, False, exc.user_message))
                raise
            await self.store.update_meta(
                initial=None, last_error=None, last_sync_at=datetime.now(UTC).isoformat()
            )
            self._bus.publish(
                SyncStatusChanged(
                    True, True, f"sent {report.pushed}, received {report.pulled} changes"
                )
            )
            return report

    def start(self, tasks: TaskManager) -> None:
        """Sync in the background from now on. Each cycle is a short task of its own (started
        through core.tasks), scheduled by a timer, so no task holds a slot while waiting."""
        self._tasks = tasks
        self._loop = asyncio.get_running_loop()
        self._schedule(1.0)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._tasks = None

    def poke(self) -> None:
        """Sync soon (after an edit, or when the person asks)."""
        if self._tasks is not None and not self._running:
            self._schedule(0.0)

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._loop is not None and self._tasks is not None:
            self._timer = self._loop.call_later(delay, self._fire)

    def _fire(self) -> None:
        self._timer = None
        if self._tasks is None:
            return
        try:
            self._tasks.spawn(self._cycle(), name="sync", priority=Priority.NORMAL)
        except CoreError:
            self._tasks = None  # the app is shutting down

    async def _cycle(self) -> None:
        """One background cycle. A failure is recorded and retried later, never raised."""
        error: CoreError | None = None
        self._running = True
        try:
            if (await self.store.meta()).get("enabled") == "1":
                await self.sync_now()
            self._failures = 0
        except CoreError as exc:  # server down, keychain locked, disk full: retry with backoff
            self._failures += 1
            error = exc
            log.info("sync failed (%d in a row): %s", self._failures, exc.user_message)
        finally:
            self._running = False
        self._schedule(self.next_delay(self._failures, error))

    def next_delay(self, failures: int, error: CoreError | None) -> float:
        if failures == 0:
            return self.interval_s
        delay = min(self.max_backoff_s, 2.0 * float(2 ** min(failures, 20)))
        delay *= random.uniform(0.75, 1.25)  # jitter: devices must not retry in lockstep
        if isinstance(error, SyncUnavailableError) and error.retry_after_s:
            delay = max(delay, error.retry_after_s)
        return delay

    # -- what the person sees ---------------------------------------------------------------
    async def status(self) -> SyncStatus:
        meta = await self.store.meta()
        device = meta.get("device") or await self.device_id()
        last = meta.get("last_sync_at")
        return SyncStatus(
            enabled=meta.get("enabled") == "1",
            server_url=meta.get("server_url"),
            device=device,
            last_sync_at=datetime.fromisoformat(last) if last else None,
            last_error=meta.get("last_error"),
            pending=await self.store.pending(),
            conflicts=await self.store.unresolved(),
            cursor=int(meta.get("cursor", "0")),
        )

    async def conflicts(self, include_resolved: bool = False) -> list[ConflictView]:
        return await self.store.conflicts(include_resolved)

    async def resolve(self, conflict_ids: list[int]) -> int:
        """Mark conflicts as seen. To keep a lost value, edit the record again: that edit wins."""
        return await self.store.resolve(conflict_ids)

    async def account_usage(self) -> dict[str, Any]:
        engine = await self._get_engine()
        return await engine.client.account()
