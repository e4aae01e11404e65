"""Server configuration from the environment (12-factor: the same image runs everywhere)."""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["ServerConfig"]


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else int(raw)


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else float(raw)


@dataclass(frozen=True)
class ServerConfig:
    #: SQLAlchemy async URL: sqlite+aiosqlite:///path (default) or postgresql+asyncpg://...
    database_url: str = "sqlite+aiosqlite:///./sync-server.sqlite3"
    #: "open": anyone may create an account; "key": only with the registration key; "closed"
    registration: str = "open"
    registration_key: str | None = None
    #: largest request body accepted, in bytes
    max_body_bytes: int = 8 * 1024 * 1024
    #: largest single sealed change, in bytes (after base64 decoding)
    max_blob_bytes: int = 512 * 1024
    max_changes_per_push: int = 1000
    max_page: int = 1000
    #: requests per second per account (token bucket, per server instance) and its burst
    rate_per_s: float = 50.0
    rate_burst: int = 200
    #: account creations per minute per client address (per instance)
    registrations_per_min: float = 10.0
    db_pool_size: int = 20

    @classmethod
    def from_env(cls) -> ServerConfig:
        base = cls()
        return cls(
            database_url=os.environ.get("SYNC_DATABASE_URL", base.database_url),
            registration=os.environ.get("SYNC_REGISTRATION", base.registration),
            registration_key=os.environ.get("SYNC_REGISTRATION_KEY") or None,
            max_body_bytes=_int("SYNC_MAX_BODY_BYTES", base.max_body_bytes),
            max_blob_bytes=_int("SYNC_MAX_BLOB_BYTES", base.max_blob_bytes),
            max_changes_per_push=_int("SYNC_MAX_CHANGES_PER_PUSH", base.max_changes_per_push),
            max_page=_int("SYNC_MAX_PAGE", base.max_page),
            rate_per_s=_float("SYNC_RATE_PER_S", base.rate_per_s),
            rate_burst=_int("SYNC_RATE_BURST", base.rate_burst),
            registrations_per_min=_float("SYNC_REGISTRATIONS_PER_MIN", base.registrations_per_min),
            db_pool_size=_int("SYNC_DB_POOL_SIZE", base.db_pool_size),
        )
