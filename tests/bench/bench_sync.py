"""Sync figures on loopback against the real server (SQLite), as ratios within one run.

- push of 10,000 changes through the engine (captured from 10,000 ledger rows, sealed, sent in
  pages of 500) vs the baseline of one change per request (measured on 1,000, per change)
- pull of the same 10,000 on a second device (opened, merged, written to its ledger) vs pulling
  one change per request (measured on 1,000, per change)
- server throughput: requests/s for authenticated empty pulls and for /health, 16 concurrent
  clients for a few seconds
Prints one JSON line last.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.portfolio.tables import LedgerRow
from core.storage.db import Database
from core.sync.changes import Change, new_change_id, seal_change
from core.sync.client import SyncClient, create_account
from core.sync.crypto import KdfParams, SyncKeys, derive_root_key
from core.sync.engine import SyncEngine
from core.sync.hlc import Clock
from core.sync.records import ledger_source
from core.wallet.secret import Secret
from tests.harness.sync_server import start_sync_server

CHANGES = 10_000
BASELINE = 1_000
CONCURRENCY = 16
THROUGHPUT_S = 4.0


async def _device(directory: Path, name: str, keys: SyncKeys, client: SyncClient) -> SyncEngine:
    db = await Database.open(directory / f"{name}.sqlite3")
    return SyncEngine(db, [ledger_source("default")], keys, client, name)


async def _fill_ledger(engine: SyncEngine) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    async with engine.db.session() as session:
        session.add_all(
            LedgerRow(
                profile="default",
                occurred_at=start + timedelta(minutes=i),
                kind="buy",
                asset="ETH",
                amount=f"{1 + i % 7}.{i % 1000:03d}",
                price="2000.50",
                fee="0.1",
                fiat="USD",
                source="csv:generic",
                external_id=f"row-{i}",
                notes="",
            )
            for i in range(CHANGES)
        )


async def _throughput(http: httpx.AsyncClient, url: str, headers: dict[str, str]) -> float:
    done = 0
    deadline = time.perf_counter() + THROUGHPUT_S

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            response = await http.get(url, headers=headers)
            response.raise_for_status()
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return done / (time.perf_counter() - started)


async def run(directory: Path, server_url: str) -> dict[str, float]:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        _account, token = await create_account(http, server_url)
        root = derive_root_key(Secret("bench passphrase 1"), KdfParams.fresh(iterations=1))
        keys = SyncKeys(root)
        client = SyncClient(http, server_url, token)
        a = await _device(directory, "deva", keys, client)
        b = await _device(directory, "devb", keys, client)
        await _fill_ledger(a)

        started = time.perf_counter()
        captured = await a.capture()
        capture_s = time.perf_counter() - started
        started = time.perf_counter()
        pushed = await a.push()
        push_s = time.perf_counter() - started
        assert captured == pushed == CHANGES

        started = time.perf_counter()
        pulled, applied, _ = await b.pull()
        pull_s = time.perf_counter() - started
        async with b.db.session() as session:
            from sqlalchemy import func, select

            rows = (await session.execute(select(func.count()).select_from(LedgerRow))).scalar()
        assert pulled == applied == rows == CHANGES, (pulled, applied, rows)

        # Baselines: one change per request, on a second account so pages stay comparable.
        _account2, token2 = await create_account(http, server_url)
        single = SyncClient(http, server_url, token2)
        clock = Clock("base1")
        sealed = [
            seal_change(
                keys,
                Change(new_change_id(), "ledger", f"x:{i}", clock.now(), {"amount": str(i)}),
            )
            for i in range(BASELINE)
        ]
        started = time.perf_counter()
        for envelope in sealed:
            await single.push("base1", [envelope])
        single_push_s = time.perf_counter() - started
        started = time.perf_counter()
        after = 0
        for _ in range(BASELINE):
            page = await single.pull(after, 1)
            after = page.next_after
        single_pull_s = time.perf_counter() - started
        assert after == BASELINE

        headers = {"Authorization": f"Bearer {token.reveal()}"}
        last = (await client.account())["last_seq"]
        pulls_per_s = await _throughput(
            http, f"{server_url}/v1/changes?after={last}&limit=1", headers
        )
        health_per_s = await _throughput(http, f"{server_url}/health", {})
        await a.db.close()
        await b.db.close()

    push_per_change = push_s / CHANGES
    pull_per_change = pull_s / CHANGES
    single_push_per_change = single_push_s / BASELINE
    single_pull_per_change = single_pull_s / BASELINE
    return {
        "changes": CHANGES,
        "baseline_changes": BASELINE,
        "capture_s": round(capture_s, 3),
        "push_batched_s": round(push_s, 3),
        "pull_apply_batched_s": round(pull_s, 3),
        "push_changes_per_s": round(CHANGES / push_s, 1),
        "pull_apply_changes_per_s": round(CHANGES / pull_s, 1),
        "push_one_per_request_changes_per_s": round(BASELINE / single_push_s, 1),
        "pull_one_per_request_changes_per_s": round(BASELINE / single_pull_s, 1),
        "push_batched_speedup": round(single_push_per_change / push_per_change, 1),
        "pull_batched_speedup": round(single_pull_per_change / pull_per_change, 1),
        "server_pull_requests_per_s": round(pulls_per_s, 1),
        "server_health_requests_per_s": round(health_per_s, 1),
        "concurrency": CONCURRENCY,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        server = start_sync_server(
            f"sqlite+aiosqlite:///{directory / 'server.sqlite3'}",
            SYNC_RATE_PER_S="1000000",
            SYNC_RATE_BURST="1000000",
        )
        try:
            figures = {"bench": "sync", **asyncio.run(run(directory, server.url))}
        finally:
            server.stop()
    print(
        f"push of {CHANGES} changes in pages: {figures['push_changes_per_s']} changes/s, "
        f"{figures['push_batched_speedup']}x one change per request"
    )
    print(
        f"pull+apply of {CHANGES} changes in pages: {figures['pull_apply_changes_per_s']} "
        f"changes/s, {figures['pull_batched_speedup']}x one change per request"
    )
    print(
        f"server on loopback: {figures['server_pull_requests_per_s']} authenticated pulls/s, "
        f"{figures['server_health_requests_per_s']} health checks/s ({CONCURRENCY} clients)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
