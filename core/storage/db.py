"""The database: one SQLite file in the data dir, opened once, migrated at start.

SQLite runs in WAL mode with ``synchronous=FULL``: a commit that returned is on disk, so killing
the process (or the machine) at any moment loses nothing that was committed. Migrations run inside
one transaction, so a crash during an upgrade leaves the previous schema intact.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from core.errors import StorageError
from core.storage.tables import AppMetaRow
from core.version import __version__

__all__ = ["DB_FILE", "Database", "head_revision"]

log = logging.getLogger(__name__)
DB_FILE = "cryptoorchestrator.sqlite3"
_MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision of every migration branch, comma-joined (usually just one).

    Features may add migrations on branches of their own while they are developed in
    parallel; the app upgrades to all heads, so that never blocks a start.
    """
    heads = ScriptDirectory.from_config(_alembic_config()).get_heads()
    return ",".join(sorted(heads))


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _translate(exc: BaseException, path: Path) -> StorageError:
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError(f"The disk holding {path.parent} is full; nothing was saved.")
    if "locked" in text:
        return StorageError("The database is busy in another CryptoOrchestrator window.")
    if "not a database" in text or "malformed" in text:
        return StorageError(
            f"{path.name} is damaged and cannot be opened.",
            hint="restore it from a backup or move it aside to start fresh",
        )
    return StorageError(f"The local database failed ({type(exc).__name__}).")


class Database:
    """Owns the engine and session factory. Use :meth:`open` to create one."""

    def __init__(self, path: Path, engine: AsyncEngine) -> None:
        self.path = path
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)

    @classmethod
    async def open(cls, path: Path, *, target: str = "heads") -> Database:
        """Open (creating if needed) and migrate to ``target``."""
        engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
        event.listen(engine.sync_engine, "connect", _on_connect)
        db = cls(path, engine)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(_upgrade, target)
            if target == "heads":
                await db._record_creation()
        except (SQLAlchemyError, sqlite3.Error) as exc:
            await engine.dispose()
            raise _translate(exc, path) from exc
        return db

    async def _record_creation(self) -> None:
        async with self.session() as session:
            if await session.get(AppMetaRow, "created_at") is None:
                now = datetime.now(UTC).isoformat()
                session.add(AppMetaRow(key="created_at", value=now))
                session.add(AppMetaRow(key="created_by", value=__version__))

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: committed on success, rolled back on any error."""
        try:
            async with self.sessions.begin() as session:
                yield session
        except (OperationalError, sqlite3.Error) as exc:
            raise _translate(exc, self.path) from exc

    async def schema_revision(self) -> str | None:
        async with self.engine.connect() as conn:
            heads = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads())
        return ",".join(sorted(heads)) if heads else None

    async def integrity_ok(self) -> bool:
        async with self.engine.connect() as conn:
            result = await conn.exec_driver_sql("PRAGMA integrity_check")
            return bool(result.scalar_one() == "ok")

    async def close(self) -> None:
        await self.engine.dispose()


def _upgrade(connection: Connection, target: str) -> None:
    command.upgrade(_alembic_config(connection), target)
