"""Fixtures for sync tests: a PostgreSQL cluster, a fresh database per test, the running server.

Imported by the conftest of each directory that needs them (tests/server, tests/core/sync).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness.postgres import PostgresCluster, start_postgres
from tests.harness.sync_server import SyncServer, start_sync_server

__all__ = ["postgres_cluster", "sync_database_url", "sync_server"]


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    cluster = start_postgres()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def sync_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty server database: a SQLite file, or a new database in the cluster."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'server.sqlite3'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database(f"sync_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def sync_server(sync_database_url: str) -> Iterator[SyncServer]:
    server = start_sync_server(sync_database_url)
    try:
        yield server
    finally:
        server.stop()
