"""Storage and cache figures, as ratios within one run (never absolute timed assertions).

- commit cost: N activity rows committed one transaction each vs in one transaction
  (what batching buys with synchronous=FULL)
- cache: a read served by the in-memory tier vs the same read from diskcache alone
Prints one JSON line last.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.cache import Cache
from core.storage.db import Database
from core.storage.repositories import ActivityRepository
from core.storage.tables import ActivityRow

ROWS = 300
READS = 20_000


async def commits(directory: Path) -> dict[str, float]:
    db = await Database.open(directory / "bench.sqlite3")
    repo = ActivityRepository(db)
    started = time.perf_counter()
    for i in range(ROWS):
        await repo.add("bench", f"row {i}")
    one_each = time.perf_counter() - started
    started = time.perf_counter()
    async with db.session() as session:
        now = datetime.now(UTC)
        session.add_all(
            ActivityRow(created_at=now, kind="bench", level="info", title=f"b {i}", detail="")
            for i in range(ROWS)
        )
    batched = time.perf_counter() - started
    await db.close()
    return {
        "rows": ROWS,
        "commit_each_s": round(one_each, 4),
        "one_transaction_s": round(batched, 4),
        "commit_each_over_batched": round(one_each / batched, 2),
        "commits_per_s": round(ROWS / one_each, 1),
    }


def cache_reads(directory: Path) -> dict[str, float]:
    cache = Cache(directory / "cache")
    keys = [f"price:{i}" for i in range(200)]
    for key in keys:
        cache.set(key, {"usd": "1.0"}, ttl=3600, tag="prices")
    started = time.perf_counter()
    for i in range(READS):
        cache.get(keys[i % len(keys)])
    memory = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(READS):
        cache.clear_memory()  # force the disk tier every time
        cache.get(keys[i % len(keys)])
    disk = time.perf_counter() - started
    cache.close()
    return {
        "reads": READS,
        "memory_read_us": round(memory / READS * 1e6, 2),
        "disk_read_us": round(disk / READS * 1e6, 2),
        "disk_over_memory": round(disk / memory, 1),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        figures = {"bench": "storage", **asyncio.run(commits(directory)), **cache_reads(directory)}
    print(f"batched commits are {figures['commit_each_over_batched']}x cheaper than one each")
    print(f"memory tier is {figures['disk_over_memory']}x faster than diskcache alone")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
