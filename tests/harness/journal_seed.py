"""Fill the intent journal with many realistic rows at once (for paging tests and benchmarks).

Rows go in through SQLAlchemy bulk inserts into the real tables: one intent and one signed
transaction each, with the request JSON the sender writes. States cycle through what a long
history holds: mostly confirmed, some failed, the newest few pending.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from core.storage.db import Database
from core.storage.tables import IntentRow, TransactionRow

SENDER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
RECIPIENT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"


def _state(i: int, n: int) -> tuple[str, str]:
    if i >= n - 3:
        return "submitted", "broadcast"
    if i % 17 == 0:
        return "failed", "failed"
    return "confirmed", "confirmed"


async def seed_journal(
    db: Database, profile: str, n: int, chain_id: int = 31337, first_id: int = 1
) -> None:
    """Intents ``first_id`` .. ``first_id + n - 1`` (ids are given so pages are predictable)."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch = 10_000
    for first in range(0, n, batch):
        intents, txs = [], []
        for i in range(first, min(first + batch, n)):
            intent_state, tx_state = _state(i, n)
            when = start + timedelta(minutes=i)
            request = {
                "chain_id": chain_id,
                "from": SENDER,
                "to": RECIPIENT,
                "token": None,
                "amount": str((i % 1000 + 1) * 10**15),
                "decimals": 18,
                "speed": "normal",
            }
            intents.append(
                {
                    "id": first_id + i,
                    "idempotency_key": f"seed-{first_id + i}",
                    "profile": profile,
                    "kind": "native_transfer",
                    "request_hash": f"{i:064x}",
                    "request_json": json.dumps(request, sort_keys=True),
                    "state": intent_state,
                    "chain_id": chain_id,
                    "from_address": SENDER,
                    "error": "The transaction was mined but reverted."
                    if intent_state == "failed"
                    else None,
                    "created_at": when,
                    "updated_at": when,
                }
            )
            txs.append(
                {
                    "intent_id": first_id + i,
                    "chain_id": chain_id,
                    "from_address": SENDER,
                    "nonce": first_id + i,
                    "tx_hash": f"0x{first_id + i:064x}",
                    "raw_tx": "0x02",
                    "purpose": "original",
                    "state": tx_state,
                    "max_fee_per_gas": "2000000000",
                    "max_priority_fee_per_gas": "1000000",
                    "gas_price": None,
                    "gas_limit": 21000,
                    "block_number": i + 1 if tx_state == "confirmed" else None,
                    "gas_used": 21000 if tx_state == "confirmed" else None,
                    "created_at": when,
                    "updated_at": when,
                }
            )
        async with db.session() as session:
            await session.execute(insert(IntentRow.__table__), intents)
            await session.execute(insert(TransactionRow.__table__), txs)
