"""The alert scheduler under a fake clock: intervals, priorities, no overlapping runs, wake-up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.alerts.scheduler import Scheduler
from core.events import EventBus
from core.tasks import Priority, TaskManager


class FakeClock:
    """Time moves only when the scheduler sleeps; each sleep lets spawned jobs run."""

    def __init__(self) -> None:
        self.t = datetime(2026, 1, 1, tzinfo=UTC)
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        for _ in range(5):
            await asyncio.sleep(0)  # let the jobs started by the last tick run
        self.t += timedelta(seconds=seconds)

    def elapsed(self) -> float:
        return (self.t - datetime(2026, 1, 1, tzinfo=UTC)).total_seconds()


async def run_for(scheduler: Scheduler, clock: FakeClock, seconds: float) -> None:
    loop = asyncio.ensure_future(scheduler.run_forever())
    while clock.elapsed() < seconds:
        await asyncio.sleep(0)
    loop.cancel()
    await asyncio.gather(loop, return_exceptions=True)


async def test_jobs_run_at_their_intervals_with_their_priorities() -> None:
    clock = FakeClock()
    tasks = TaskManager(EventBus())
    scheduler = Scheduler(tasks, clock)
    runs: dict[str, list[float]] = {"prices": [], "swaps": []}
    priorities: dict[str, Priority] = {}

    def job(name: str):  # type: ignore[no-untyped-def]
        async def run() -> None:
            runs[name].append(clock.elapsed())
            current = asyncio.current_task()
            assert current is not None
            priorities[name] = tasks._tasks[current]

        return run

    scheduler.add("prices", 60, job("prices"), priority=Priority.NORMAL)
    scheduler.add("swaps", 900, job("swaps"), priority=Priority.BACKGROUND, first_in_s=30)
    await run_for(scheduler, clock, 1800)  # stops as the clock reaches 1800, before that tick
    assert runs["prices"] == [60.0 * i for i in range(30)]
    assert runs["swaps"] == [30.0, 930.0]
    assert priorities == {"prices": Priority.NORMAL, "swaps": Priority.BACKGROUND}
    await tasks.close()


async def test_a_slow_job_is_never_started_twice() -> None:
    clock = FakeClock()
    tasks = TaskManager(EventBus())
    scheduler = Scheduler(tasks, clock)
    release = asyncio.Event()
    started: list[float] = []

    async def slow() -> None:
        started.append(clock.elapsed())
        await release.wait()

    scheduler.add("slow", 10, slow)
    await run_for(scheduler, clock, 100)
    assert started == [0.0]  # due ten times while it hung, started once
    release.set()
    await run_for(scheduler, clock, 130)
    assert started == [0.0, 100.0, 110.0, 120.0]  # back on its interval once it returned
    await tasks.close()


async def test_wake_runs_every_job_now() -> None:
    clock = FakeClock()
    tasks = TaskManager(EventBus())
    scheduler = Scheduler(tasks, clock)
    runs: list[float] = []

    async def job() -> None:
        runs.append(clock.elapsed())

    scheduler.add("hourly", 3600, job, first_in_s=3600)
    assert scheduler.tick() == 3600.0
    scheduler.wake()
    assert scheduler.tick() == 3600.0
    await asyncio.sleep(0)
    assert runs == [0.0]
    await tasks.close()
