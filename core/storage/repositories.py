"""Repositories: the only code that writes SQL for a table. Services call these, never the ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from core.storage.db import Database
from core.storage.tables import ActivityRow, ChainStatusRow

__all__ = ["ActivityEntry", "ActivityRepository", "ChainStatusRecord", "ChainStatusRepository"]


@dataclass(frozen=True)
class ActivityEntry:
    id: int
    created_at: datetime
    kind: str
    level: str
    title: str
    detail: str


@dataclass(frozen=True)
class ChainStatusRecord:
    chain_id: int
    checked_at: datetime
    online: bool
    block_number: int | None
    latency_ms: float | None
    error: str | None


def _aware(moment: datetime) -> datetime:
    # SQLite stores no zone; everything we write is UTC, so we say so on the way back.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ActivityRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, kind: str, title: str, detail: str = "", level: str = "info") -> int:
        async with self._db.session() as session:
            row = ActivityRow(
                created_at=datetime.now(UTC), kind=kind, level=level, title=title, detail=detail
            )
            session.add(row)
            await session.flush()
            return row.id

    async def recent(self, limit: int = 200) -> list[ActivityEntry]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(ActivityRow).order_by(ActivityRow.id.desc()).limit(limit)
            )
            return [
                ActivityEntry(r.id, _aware(r.created_at), r.kind, r.level, r.title, r.detail)
                for r in rows
            ]


class ChainStatusRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, status: ChainStatusRecord) -> None:
        async with self._db.session() as session:
            session.add(
                ChainStatusRow(
                    chain_id=status.chain_id,
                    checked_at=status.checked_at,
                    online=status.online,
                    block_number=status.block_number,
                    latency_ms=status.latency_ms,
                    error=status.error,
                )
            )

    async def latest(self) -> dict[int, ChainStatusRecord]:
        """The most recent check of every chain that has one."""
        async with self._db.session() as session:
            newest = (
                select(ChainStatusRow.chain_id, func.max(ChainStatusRow.id).label("id"))
                .group_by(ChainStatusRow.chain_id)
                .subquery()
            )
            rows = await session.scalars(
                select(ChainStatusRow).join(newest, ChainStatusRow.id == newest.c.id)
            )
            return {r.chain_id: _record(r) for r in rows}

    async def offline_since(self, chain_id: int) -> datetime | None:
        """When the current run of failed checks began, or None if the chain is online."""
        async with self._db.session() as session:
            last_ok = await session.scalar(
                select(func.max(ChainStatusRow.id)).where(
                    ChainStatusRow.chain_id == chain_id, ChainStatusRow.online.is_(True)
                )
            )
            query = select(ChainStatusRow.checked_at).where(
                ChainStatusRow.chain_id == chain_id, ChainStatusRow.online.is_(False)
            )
            if last_ok is not None:
                query = query.where(ChainStatusRow.id > last_ok)
            first_fail = await session.scalar(query.order_by(ChainStatusRow.id).limit(1))
            return _aware(first_fail) if first_fail else None


def _record(row: ChainStatusRow) -> ChainStatusRecord:
    return ChainStatusRecord(
        row.chain_id,
        _aware(row.checked_at),
        row.online,
        row.block_number,
        row.latency_ms,
        row.error,
    )
