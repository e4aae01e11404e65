"""Migrations: a fresh file reaches head, an old file upgrades with its rows, ORM == schema."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

import core.storage.db as db_module
from core.errors import StorageError
from core.storage.db import DB_FILE, Database, head_revision
from core.storage.repositories import (
    ActivityRepository,
    ChainStatusRecord,
    ChainStatusRepository,
)
from core.storage.schema import Base

OLD_ROWS = [
    ("2024-05-01 12:00:00.000000", "wallet", "Imported a wallet", ""),
    ("2024-05-02 08:30:00.500000", "swap", "Swapped 1 ETH", "for 3456.78 USDC"),
]


def scripts() -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(db_module.__file__).with_name("migrations")))
    return ScriptDirectory.from_config(cfg)


def test_revisions_grow_from_one_base_and_every_head_is_reached() -> None:
    """Features add migrations on branches of their own; every one stays reachable."""
    script = scripts()
    assert script.get_bases() == ["0001"]
    shared = [r.revision for r in script.iterate_revisions("portfolio_0001", "base")][::-1]
    assert shared[:2] == ["0001", "0002"]
    for head in script.get_heads():
        ancestors = {r.revision for r in script.iterate_revisions(head, "base")}
        assert "0001" in ancestors, f"{head} does not descend from the first revision"
    assert ",".join(sorted(script.get_heads())) == head_revision()


async def test_fresh_database_reaches_head(data_dir: Path) -> None:
    db = await Database.open(data_dir / DB_FILE)
    try:
        assert await db.schema_revision() == head_revision()
        assert await db.integrity_ok()
    finally:
        await db.close()


async def test_database_at_0001_upgrades_with_its_rows(data_dir: Path) -> None:
    path = data_dir / DB_FILE
    old = await Database.open(path, target="0001")
    try:
        assert await old.schema_revision() == "0001"
        async with old.engine.begin() as conn:
            await conn.exec_driver_sql(
                "INSERT INTO activity (created_at, kind, title, detail) VALUES (?, ?, ?, ?)",
                OLD_ROWS,
            )
    finally:
        await old.close()

    db = await Database.open(path)
    try:
        assert await db.schema_revision() == head_revision()
        entries = await ActivityRepository(db).recent()
        assert [(e.kind, e.title, e.detail, e.level) for e in reversed(entries)] == [
            ("wallet", "Imported a wallet", "", "info"),
            ("swap", "Swapped 1 ETH", "for 3456.78 USDC", "info"),
        ]
        assert entries[0].created_at.isoformat() == "2024-05-02T08:30:00.500000+00:00"

        status = ChainStatusRepository(db)
        record = ChainStatusRecord(1, entries[0].created_at, True, 19_000_000, 42.0, None)
        await status.record(record)
        assert await status.latest() == {1: record}
        assert await db.integrity_ok()
    finally:
        await db.close()


def _schema_diffs(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_orm_tables_match_the_migrated_schema(db: Database) -> None:
    async with db.engine.connect() as conn:
        diffs = await conn.run_sync(_schema_diffs)
    assert diffs == []


async def test_garbage_file_is_reported_as_damaged(data_dir: Path) -> None:
    path = data_dir / DB_FILE
    path.write_bytes(random.Random(7).randbytes(16_384))
    with pytest.raises(StorageError) as caught:
        await Database.open(path)
    assert "damaged" in caught.value.user_message
    assert caught.value.hint is not None and "backup" in caught.value.hint
