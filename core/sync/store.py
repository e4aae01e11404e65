"""Sync's local persistence: merged state, change log/outbox, conflicts, meta (SQLite)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.storage.db import Database
from core.sync.changes import Change
from core.sync.hlc import HLC
from core.sync.merge import Conflict, FieldVersion, RecordState
from core.sync.tables import SyncConflictRow, SyncFieldRow, SyncLogRow, SyncMetaRow

__all__ = ["ConflictView", "SyncStore", "dumps"]


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class ConflictView:
    id: int
    kind: str
    record_id: str
    field: str
    kept: Any
    kept_device: str
    lost: Any
    lost_device: str
    detected_at: datetime
    resolved: bool


class SyncStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- meta --------------------------------------------------------------------------------
    async def meta(self) -> dict[str, str]:
        async with self.db.session() as s:
            rows = await s.execute(select(SyncMetaRow))
            return {r.key: r.value for r in rows.scalars()}

    @staticmethod
    async def set_meta(session: AsyncSession, **values: str | None) -> None:
        for key, value in values.items():
            row = await session.get(SyncMetaRow, key)
            if value is None:
                if row is not None:
                    await session.delete(row)
            elif row is None:
                session.add(SyncMetaRow(key=key, value=value))
            else:
                row.value = value

    async def update_meta(self, **values: str | None) -> None:
        async with self.db.session() as s:
            await self.set_meta(s, **values)

    # -- merged state ---------------------------------------------------------------------------
    @staticmethod
    async def states(
        session: AsyncSession, kind: str, record_ids: Iterable[str] | None = None
    ) -> dict[str, RecordState]:
        query = select(SyncFieldRow).where(SyncFieldRow.kind == kind)
        if record_ids is not None:
            ids = list(record_ids)
            if not ids:
                return {}
            query = query.where(SyncFieldRow.record_id.in_(ids))
        out: dict[str, RecordState] = {}
        for row in (await session.execute(query)).scalars():
            out.setdefault(row.record_id, {})[row.field] = FieldVersion(
                json.loads(row.value_json), row.hlc, row.change_id, row.base
            )
        return out

    @staticmethod
    async def save_states(
        session: AsyncSession,
        kind: str,
        changed: dict[str, tuple[RecordState, RecordState]],
    ) -> None:
        rows = [
            {
                "kind": kind,
                "record_id": record_id,
                "field": name,
                "value_json": dumps(version.value),
                "hlc": version.hlc,
                "change_id": version.change_id,
                "base": version.base,
            }
            for record_id, (old, new) in changed.items()
            for name, version in new.items()
            if old.get(name) != version
        ]
        if not rows:
            return
        statement = insert(SyncFieldRow)
        statement = statement.on_conflict_do_update(
            index_elements=["kind", "record_id", "field"],
            set_={
                "value_json": statement.excluded.value_json,
                "hlc": statement.excluded.hlc,
                "change_id": statement.excluded.change_id,
                "base": statement.excluded.base,
            },
        )
        await session.execute(statement, rows)

    # -- change log -------------------------------------------------------------------------------
    @staticmethod
    async def known(session: AsyncSession, change_ids: list[str]) -> set[str]:
        if not change_ids:
            return set()
        rows = await session.execute(
            select(SyncLogRow.change_id).where(SyncLogRow.change_id.in_(change_ids))
        )
        return set(rows.scalars())

    @staticmethod
    async def log(
        session: AsyncSession,
        changes: list[Change],
        *,
        local: bool,
        server_seqs: list[int] | None = None,
    ) -> None:
        if not changes:
            return
        now = datetime.now(UTC)
        seqs = server_seqs or [None] * len(changes)  # type: ignore[list-item]
        await session.execute(
            insert(SyncLogRow),
            [
                {
                    "change_id": c.change_id,
                    "kind": c.kind,
                    "record_id": c.record_id,
                    "hlc": c.version,
                    "fields_json": dumps(c.fields),
                    "base_json": dumps(c.base),
                    "local": local,
                    "pushed": not local,
                    "server_seq": seq,
                    "created_at": now,
                }
                for c, seq in zip(changes, seqs, strict=True)
            ],
        )

    async def outbox(self, limit: int) -> list[Change]:
        async with self.db.session() as s:
            rows = await s.execute(
                select(SyncLogRow)
                .where(SyncLogRow.local.is_(True), SyncLogRow.pushed.is_(False))
                .order_by(SyncLogRow.seq)
                .limit(limit)
            )
            return [
                Change(
                    r.change_id,
                    r.kind,
                    r.record_id,
                    HLC.decode(r.hlc),
                    json.loads(r.fields_json),
                    json.loads(r.base_json),
                )
                for r in rows.scalars()
            ]

    async def mark_pushed(self, change_ids: list[str]) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(SyncLogRow).where(SyncLogRow.change_id.in_(change_ids)).values(pushed=True)
            )

    async def pending(self) -> int:
        async with self.db.session() as s:
            count = await s.execute(
                select(func.count())
                .select_from(SyncLogRow)
                .where(SyncLogRow.local.is_(True), SyncLogRow.pushed.is_(False))
            )
            return int(count.scalar_one())

    async def history(self, kind: str, record_id: str) -> list[Change]:
        """The change log of one record, oldest first."""
        async with self.db.session() as s:
            rows = await s.execute(
                select(SyncLogRow)
                .where(SyncLogRow.kind == kind, SyncLogRow.record_id == record_id)
                .order_by(SyncLogRow.hlc)
            )
            return [
                Change(
                    r.change_id,
                    r.kind,
                    r.record_id,
                    HLC.decode(r.hlc),
                    json.loads(r.fields_json),
                    json.loads(r.base_json),
                )
                for r in rows.scalars()
            ]

    # -- conflicts ------------------------------------------------------------------------------
    @staticmethod
    async def add_conflicts(session: AsyncSession, conflicts: list[Conflict]) -> int:
        if not conflicts:
            return 0
        now = datetime.now(UTC)
        added = 0
        for c in conflicts:
            # One row at a time: a conflict seen again (a page pulled twice) is not added twice.
            statement = (
                insert(SyncConflictRow)
                .values(
                    kind=c.kind,
                    record_id=c.record_id,
                    field=c.field,
                    winner_json=dumps(c.winner.value),
                    winner_hlc=c.winner.hlc,
                    winner_change_id=c.winner.change_id,
                    loser_json=dumps(c.loser.value),
                    loser_hlc=c.loser.hlc,
                    loser_change_id=c.loser.change_id,
                    detected_at=now,
                    resolved=False,
                )
                .on_conflict_do_nothing(
                    index_elements=[
                        "kind",
                        "record_id",
                        "field",
                        "winner_change_id",
                        "loser_change_id",
                    ]
                )
            )
            result = await session.execute(statement)
            added += int(getattr(result, "rowcount", 0) or 0)
        return added

    async def conflicts(self, include_resolved: bool = False) -> list[ConflictView]:
        async with self.db.session() as s:
            query = select(SyncConflictRow).order_by(SyncConflictRow.id.desc())
            if not include_resolved:
                query = query.where(SyncConflictRow.resolved.is_(False))
            return [
                ConflictView(
                    r.id,
                    r.kind,
                    r.record_id,
                    r.field,
                    json.loads(r.winner_json),
                    HLC.decode(r.winner_hlc).device,
                    json.loads(r.loser_json),
                    HLC.decode(r.loser_hlc).device,
                    r.detected_at,
                    r.resolved,
                )
                for r in (await s.execute(query)).scalars()
            ]

    async def resolve(self, conflict_ids: list[int]) -> int:
        async with self.db.session() as s:
            result = await s.execute(
                update(SyncConflictRow)
                .where(SyncConflictRow.id.in_(conflict_ids))
                .values(resolved=True)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    async def unresolved(self) -> int:
        async with self.db.session() as s:
            count = await s.execute(
                select(func.count())
                .select_from(SyncConflictRow)
                .where(SyncConflictRow.resolved.is_(False))
            )
            return int(count.scalar_one())
