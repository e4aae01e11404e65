"""Tracked tasks: kept alive, failures surfaced without secrets, bounded background work."""

from __future__ import annotations

import asyncio
import gc
import inspect
import warnings

import pytest

from core.errors import ConfigError, CoreError
from core.events import EventBus, TaskFailed
from core.tasks import Priority, TaskManager


@pytest.fixture
def bus_and_failures() -> tuple[EventBus, list[TaskFailed]]:
    bus = EventBus()
    failures: list[TaskFailed] = []
    bus.subscribe(TaskFailed, failures.append)
    return bus, failures


async def settle() -> None:
    """Let every ready callback run (done callbacks, tasks that can make progress)."""
    for _ in range(10):
        await asyncio.sleep(0)


async def test_spawned_task_runs_unreferenced_and_returns_its_result() -> None:
    manager = TaskManager(EventBus())
    done = asyncio.Event()

    async def work() -> int:
        await asyncio.sleep(0)
        done.set()
        return 42

    manager.spawn(work(), name="unreferenced")  # result dropped on purpose
    assert manager.names() == ["unreferenced"]
    gc.collect()  # asyncio holds tasks weakly; the manager must not
    await asyncio.wait_for(done.wait(), 5)

    assert await manager.spawn(work(), name="answer") == 42
    await settle()
    assert manager.running == 0


async def test_core_error_is_published_with_its_user_message(bus_and_failures) -> None:
    bus, failures = bus_and_failures
    manager = TaskManager(bus)

    async def work() -> None:
        raise ConfigError("Chain 5 is not configured or is switched off.")

    task = manager.spawn(work(), name="refresh-balances")
    await asyncio.wait([task])
    await settle()

    assert failures == [
        TaskFailed(
            "refresh-balances", "Invalid setting", "Chain 5 is not configured or is switched off."
        )
    ]


async def test_unexpected_error_is_named_but_its_text_never_shown(bus_and_failures) -> None:
    bus, failures = bus_and_failures
    manager = TaskManager(bus)
    secret = "sk-live-0123456789abcdef"

    async def work() -> None:
        raise ValueError(f"request body had api_key={secret}")

    task = manager.spawn(work(), name="price-refresh")
    await asyncio.wait([task])
    await settle()

    [event] = failures
    assert event.task_name == "price-refresh"
    assert "price-refresh" in event.user_message
    assert "ValueError" in event.user_message
    assert secret not in repr(event)


async def test_cancelled_task_publishes_nothing(bus_and_failures) -> None:
    bus, failures = bus_and_failures
    manager = TaskManager(bus)
    task = manager.spawn(asyncio.Event().wait(), name="waiter")
    await settle()
    task.cancel()
    await asyncio.wait([task])
    await settle()
    assert failures == [] and manager.running == 0


@pytest.mark.parametrize(
    ("priority", "limit"),
    [
        (Priority.BACKGROUND, 4),
        (Priority.NORMAL, 8),
        (Priority.USER, None),
        (Priority.SERVICE, None),  # the app's long-lived loops never starve one another
    ],
)
async def test_concurrency_per_priority(priority: Priority, limit: int | None) -> None:
    manager = TaskManager(EventBus())
    gate = asyncio.Event()
    count = 20
    running = 0
    most = 0

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await gate.wait()
        running -= 1

    tasks = [manager.spawn(work(), name=f"job-{i}", priority=priority) for i in range(count)]
    await settle()  # every task that is allowed to start has started by now
    assert running == (limit or count)

    gate.set()
    await asyncio.gather(*tasks)
    assert most == (limit or count)
    assert running == 0


async def test_close_cancels_work_and_refuses_new_work() -> None:
    manager = TaskManager(EventBus())
    cleaned_up: list[str] = []

    async def loop_forever(name: str) -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cleaned_up.append(name)

    async def quick_save() -> str:
        await asyncio.sleep(0)
        return "saved"

    background = manager.spawn(loop_forever("bg"), name="bg", priority=Priority.BACKGROUND)
    stuck = manager.spawn(loop_forever("user"), name="user", priority=Priority.USER)
    save = manager.spawn(quick_save(), name="save", priority=Priority.USER)
    await settle()

    await manager.close(grace_s=0.2)

    assert background.cancelled() and stuck.cancelled()
    assert save.result() == "saved"  # a person's short work is allowed to finish
    assert sorted(cleaned_up) == ["bg", "user"]
    assert manager.running == 0

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        refused = quick_save()
        with pytest.raises(CoreError, match="shutting down"):
            manager.spawn(refused, name="late")
        assert inspect.getcoroutinestate(refused) == inspect.CORO_CLOSED
        del refused
        gc.collect()
    assert not [w for w in caught if "never awaited" in str(w.message)]
