"""Local storage: SQLAlchemy 2 typed ORM on aiosqlite, SQLite in WAL mode, Alembic migrations."""

from core.storage.db import Database
from core.storage.repositories import ActivityRepository, ChainStatusRepository

__all__ = ["ActivityRepository", "ChainStatusRepository", "Database"]
