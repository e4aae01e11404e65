"""User actions of Settings > Sync: one thin function each, run through core.tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.sync.client import create_account
from core.sync.engine import SyncReport
from core.wallet.secret import Secret
from desktop.operations import Operations

__all__ = ["join", "load", "resolve", "set_up", "sync_now", "turn_off"]

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


def load(ops: Operations, on_loaded: Done) -> None:
    sync = ops.core.sync

    async def work() -> dict[str, Any]:
        return {"status": await sync.status(), "conflicts": await sync.conflicts()}

    ops.run("load sync status", work(), on_loaded)


def set_up(
    ops: Operations,
    server: str,
    token: Secret | None,
    passphrase: Secret,
    on_done: Callable[[tuple[SyncReport, Secret | None]], None],
    on_failure: Failed,
) -> None:
    """First device. Without a token, creates an account and hands its token back once."""
    core = ops.core

    async def work() -> tuple[SyncReport, Secret | None]:
        created: Secret | None = None
        use = token
        if use is None:
            _account, use = await create_account(core.http, server)
            created = use
        return await core.sync.init(server, passphrase, use), created

    ops.run("set up sync", work(), on_done, on_failure)


def join(
    ops: Operations,
    server: str,
    token: Secret,
    passphrase: Secret,
    on_done: Done,
    on_failure: Failed,
) -> None:
    ops.run("join sync", ops.core.sync.join(server, token, passphrase), on_done, on_failure)


def sync_now(ops: Operations, on_done: Done, on_failure: Failed) -> None:
    ops.run("sync now", ops.core.sync.sync_now(), on_done, on_failure)


def turn_off(ops: Operations, on_done: Done) -> None:
    ops.run("turn sync off", ops.core.sync.disable(), on_done)


def resolve(ops: Operations, conflict_ids: list[int], on_done: Done) -> None:
    ops.run("mark conflicts seen", ops.core.sync.resolve(conflict_ids), on_done)
