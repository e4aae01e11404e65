"""Repositories: activity newest first, the latest check per chain, and 'offline since'."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.storage.db import Database
from core.storage.repositories import (
    ActivityRepository,
    ChainStatusRecord,
    ChainStatusRepository,
)

T0 = datetime(2024, 6, 1, 12, 0, 0, 123456, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def record(repo: ChainStatusRepository, chain_id: int, *checks: tuple[int, bool]) -> None:
    for minute, online in checks:
        await repo.record(
            ChainStatusRecord(
                chain_id,
                at(minute),
                online,
                100 + minute if online else None,
                12.5 if online else None,
                None if online else "cannot connect",
            )
        )


async def test_recent_activity_is_newest_first_and_limited(db: Database) -> None:
    repo = ActivityRepository(db)
    ids = [await repo.add("chain", f"event {n}") for n in range(5)]
    warning = await repo.add("chain", "Base is unreachable", "cannot connect", level="warning")

    recent = await repo.recent(limit=3)

    assert [e.id for e in recent] == [warning, ids[4], ids[3]]
    assert (recent[0].title, recent[0].detail, recent[0].level) == (
        "Base is unreachable",
        "cannot connect",
        "warning",
    )
    assert recent[1].level == "info"
    assert recent[0].created_at.tzinfo is not None
    assert recent[0].created_at >= recent[1].created_at


async def test_latest_is_the_newest_check_of_each_chain(db: Database) -> None:
    repo = ChainStatusRepository(db)
    await record(repo, 1, (0, True), (1, False))
    await record(repo, 8453, (0, False), (1, True), (2, True))

    latest = await repo.latest()

    assert set(latest) == {1, 8453}
    assert latest[1] == ChainStatusRecord(1, at(1), False, None, None, "cannot connect")
    assert latest[8453] == ChainStatusRecord(8453, at(2), True, 102, 12.5, None)


async def test_offline_since_is_the_first_failure_after_the_last_success(db: Database) -> None:
    repo = ChainStatusRepository(db)
    await record(repo, 1, (0, False), (1, True), (2, False), (3, False))  # down again at 2
    await record(repo, 10, (0, False), (1, False))  # never reached
    await record(repo, 56, (0, False), (1, True))  # back online

    assert await repo.offline_since(1) == at(2)
    assert await repo.offline_since(10) == at(0)
    assert await repo.offline_since(56) is None
    assert await repo.offline_since(137) is None  # never checked
