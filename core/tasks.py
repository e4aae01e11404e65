"""Tracked background tasks: the only way the core starts concurrent work.

Every task is held strongly until it ends (asyncio keeps only weak references), has a name and a
priority, and its failure is logged and published as :class:`TaskFailed` so the GUI can show it.
Priorities order how many tasks of each class may run at once: user-initiated work is never queued
behind background refreshes.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

from core.errors import CoreError
from core.events import EventBus, TaskFailed

__all__ = ["Priority", "TaskManager"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class Priority(enum.IntEnum):
    """Lower value runs first. USER work is never limited; NORMAL and BACKGROUND work share
    bounded slots. SERVICE is for the app's long-lived loops (chain monitor, schedulers): they
    sleep most of the time and live as long as the app, so they must not hold a bounded slot
    forever (five of them would starve each other and every background refresh)."""

    USER = 0
    NORMAL = 1
    BACKGROUND = 2
    SERVICE = 3


_SLOTS = {Priority.USER: None, Priority.NORMAL: 8, Priority.BACKGROUND: 4, Priority.SERVICE: None}


class TaskManager:
    def __init__(self, bus: EventBus) -> None:
        self._bus = bus
        self._tasks: dict[asyncio.Task[Any], Priority] = {}
        self._semaphores: dict[Priority, asyncio.Semaphore] = {}
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Schedule on ``loop`` (the core's) even when called from outside a running coroutine,
        e.g. from a Qt slot; by default the running loop is used."""
        self._loop = loop

    def _slot(self, priority: Priority) -> asyncio.Semaphore | None:
        limit = _SLOTS[priority]
        if limit is None:
            return None
        if priority not in self._semaphores:
            self._semaphores[priority] = asyncio.Semaphore(limit)
        return self._semaphores[priority]

    def spawn(
        self,
        coro: Coroutine[Any, Any, T],
        *,
        name: str,
        priority: Priority = Priority.NORMAL,
    ) -> asyncio.Task[T]:
        """Run ``coro`` in the background; keep it alive; surface its failure."""
        if self._closed:
            coro.close()
            raise CoreError("The application is shutting down; no new work can start.")
        loop = self._loop or asyncio.get_running_loop()
        task = loop.create_task(self._run(coro, priority), name=name)
        self._tasks[task] = priority
        task.add_done_callback(self._done)
        return task

    async def _run(self, coro: Coroutine[Any, Any, T], priority: Priority) -> T:
        slot = self._slot(priority)
        if slot is None:
            return await coro
        async with slot:
            return await coro

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.pop(task, None)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        name = task.get_name()
        if isinstance(exc, CoreError):
            log.warning("task %s failed: %s", name, exc.user_message)
            event = TaskFailed(name, exc.title, exc.user_message)
        else:
            log.error("task %s crashed", name, exc_info=exc)
            event = TaskFailed(
                name, "Unexpected error", f"{name} stopped unexpectedly ({type(exc).__name__})."
            )
        self._bus.publish(event)

    @property
    def running(self) -> int:
        return len(self._tasks)

    def names(self) -> list[str]:
        return sorted(t.get_name() for t in self._tasks)

    async def close(self, grace_s: float = 5.0) -> None:
        """Stop background loops at once; give a person's work ``grace_s`` to finish (a save
        half-way through should complete, not be torn), then cancel what is left."""
        self._closed = True
        for task, priority in list(self._tasks.items()):
            if priority is Priority.BACKGROUND:
                task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=grace_s)
        leftovers = list(self._tasks)
        for task in leftovers:
            task.cancel()
        if leftovers:
            await asyncio.wait(leftovers, timeout=grace_s)
