"""Fixtures shared by the core tests: an opened database, small real filesystems."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from core.storage.db import DB_FILE, Database
from tests.harness.parts import missing_part


@pytest.fixture
async def db(data_dir: Path) -> AsyncIterator[Database]:
    database = await Database.open(data_dir / DB_FILE)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def mount_tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount a real tmpfs with the given options (e.g. ``size=64k`` or ``ro``); needs root."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"tmpfs-{len(mounted)}"
        point.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            missing_part(f"a tmpfs mount (needs root): {result.stderr.strip()}")
        mounted.append(point)
        return point

    try:
        yield mount
    finally:
        for point in reversed(mounted):
            subprocess.run(["umount", str(point)], check=True)
