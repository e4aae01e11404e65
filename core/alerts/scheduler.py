"""Run alert checks on a schedule, through core.tasks, with a clock tests can replace.

Each job has an interval and a priority (price checks NORMAL, swap quotes BACKGROUND at a
conservative interval). A job still running when it comes due again is not started twice: it is
looked at again one interval later. ``wake()`` makes every job due at once (a rule added).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from core.tasks import Priority, TaskManager

__all__ = ["Clock", "Job", "Scheduler", "SystemClock"]


class Clock(Protocol):
    def now(self) -> datetime: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass
class Job:
    name: str
    interval_s: float
    priority: Priority
    run: Callable[[], Awaitable[Any]]
    next_at: datetime | None = None
    task: asyncio.Task[Any] | None = field(default=None, repr=False)
    runs: int = 0


class Scheduler:
    def __init__(self, tasks: TaskManager, clock: Clock) -> None:
        self._tasks = tasks
        self.clock = clock
        self.jobs: dict[str, Job] = {}
        self._wake = asyncio.Event()

    def add(
        self,
        name: str,
        interval_s: float,
        run: Callable[[], Awaitable[Any]],
        *,
        priority: Priority = Priority.BACKGROUND,
        first_in_s: float = 0.0,
    ) -> Job:
        job = Job(name, interval_s, priority, run)
        job.next_at = self.clock.now() + timedelta(seconds=first_in_s)
        self.jobs[name] = job
        return job

    def wake(self) -> None:
        """Make every job due now and interrupt the wait."""
        now = self.clock.now()
        for job in self.jobs.values():
            job.next_at = now
        self._wake.set()

    def tick(self) -> float:
        """Start every due job that is not already running; seconds until the next is due."""
        now = self.clock.now()
        for job in self.jobs.values():
            assert job.next_at is not None
            if job.next_at > now:
                continue
            if job.task is not None and not job.task.done():
                # Still running: try again an interval later (never a busy loop, never twice).
                job.next_at = now + timedelta(seconds=job.interval_s)
                continue
            job.runs += 1
            job.task = self._tasks.spawn(
                _awaited(job.run), name=f"alerts:{job.name}", priority=job.priority
            )
            job.next_at = now + timedelta(seconds=job.interval_s)
        upcoming = [j.next_at for j in self.jobs.values() if j.next_at is not None]
        if not upcoming:
            return 3600.0
        return max(0.0, (min(upcoming) - now).total_seconds())

    async def run_forever(self) -> None:
        while True:
            delay = self.tick()
            self._wake.clear()
            sleeper = asyncio.ensure_future(self.clock.sleep(delay))
            waker = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                sleeper.cancel()
                waker.cancel()


async def _awaited(run: Callable[[], Awaitable[Any]]) -> Any:
    return await run()
