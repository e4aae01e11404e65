"""User actions: one thin function each, run in the background through core.tasks.

Widgets never await. They call one of these with callbacks; the work runs as a USER-priority task;
a failure reaches the error banner through the TaskFailed event (the one place errors are shown),
and ``on_failure`` lets the widget restore its state (re-enable a button, keep the edits).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from core.app import CoreApp
from core.settings import Settings
from core.tasks import Priority
from desktop.qt import QObject, is_alive

T = TypeVar("T")


def _alive(callback: Callable[..., Any] | None) -> bool:
    """False when the callback belongs to a widget Qt has already deleted (its page closed
    while the work ran): the result then has nowhere to go and is dropped."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or is_alive(owner)


class Operations:
    def __init__(self, core: CoreApp) -> None:
        self.core = core

    def run(
        self,
        name: str,
        coro: Coroutine[Any, Any, T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> asyncio.Task[T]:
        task = self.core.tasks.spawn(coro, name=name, priority=Priority.USER)

        def done(finished: asyncio.Task[T]) -> None:
            if finished.cancelled() or not (_alive(on_success) and _alive(on_failure)):
                return
            error = finished.exception()
            if error is None:
                if on_success is not None:
                    on_success(finished.result())
            elif on_failure is not None:
                on_failure(error)

        task.add_done_callback(done)
        return task


def save_settings(
    ops: Operations,
    new: Settings,
    on_saved: Callable[[None], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    ops.run("save settings", ops.core.update_settings(new), on_saved, on_failure)


def check_chains(ops: Operations) -> None:
    ops.run("check chains", ops.core.check_chains_now())


def load_activity(ops: Operations, on_loaded: Callable[[Any], None]) -> None:
    ops.run("load activity", ops.core.recent_activity(), on_loaded)


def load_chain_status(ops: Operations, on_loaded: Callable[[Any], None]) -> None:
    ops.run("load chain status", ops.core.last_chain_status(), on_loaded)


def check_keychain(ops: Operations, on_checked: Callable[[Any], None]) -> None:
    ops.run("check keychain", ops.core.keychain_status(), on_checked)


def load_wallets(ops: Operations, on_loaded: Callable[[Any], None]) -> None:
    ops.run("load wallets", ops.core.wallets.list(), on_loaded)


def choose_data_dir(ops: Operations, path: Path | None) -> None:
    ops.core.choose_data_dir(path)
