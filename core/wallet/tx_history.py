"""The transactions view of the intent journal, read in pages for a table of any length.

One row per intent (a transfer, an approval, a swap), newest first, with its latest live signed
transaction (a speed-up or cancel shares the nonce and supersedes the original). Pages are keyset
pages (``before_id``), not OFFSET: page 200 of 100,000 rows costs the same as page 1.

Rows are read with Core selects into tuples rather than ORM objects: building 500 ORM instances
per page on the loop thread is the one part of paging that the UI would feel.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Index, func, select

from core.storage.db import Database
from core.storage.tables import IntentRow, TransactionRow

__all__ = ["TxHistory", "TxView", "display_state"]

# Reading a page joins transactions by intent; without this index each page scans them all.
Index("ix_transactions_intent", TransactionRow.intent_id)
# Counting and keyset paging within one profile, newest first.
Index("ix_intents_profile_id", IntentRow.profile, IntentRow.id)

#: rows turned into views between two yields to the event loop (a few ms of work)
CHUNK = 100
_DISPLAY = {"pending": "pending", "submitted": "pending", "confirmed": "confirmed"}


def display_state(intent_state: str) -> str:
    """What a person sees: pending (not mined yet), confirmed, or failed."""
    return _DISPLAY.get(intent_state, "failed")


@dataclass(slots=True)
class TxView:
    """One row of the table. Not frozen only because frozen dataclasses construct about twice
    as slowly, which 100k rows feel; nothing mutates a view after it is built."""

    intent_id: int
    created_at: datetime
    kind: str
    intent_state: str  # pending | submitted | confirmed | failed
    chain_id: int
    from_address: str
    to: str
    token: str | None
    amount: int  # base units
    decimals: int
    label: str
    nonce: int | None
    tx_hash: str | None
    replacements: int  # signed transactions after the first (speed-ups, cancels)
    error: str | None

    @property
    def state(self) -> str:
        return display_state(self.intent_state)

    @property
    def replaceable(self) -> bool:
        """Only a broadcast, unmined transaction can be sped up or cancelled."""
        return self.intent_state == "submitted" and self.tx_hash is not None


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_INTENT_COLUMNS = (
    IntentRow.id,
    IntentRow.created_at,
    IntentRow.kind,
    IntentRow.state,
    IntentRow.chain_id,
    IntentRow.from_address,
    IntentRow.request_json,
    IntentRow.error,
)


class TxHistory:
    def __init__(self, db: Database, profile: str = "default") -> None:
        self._db = db
        self.profile = profile

    async def count(self) -> int:
        async with self._db.session() as session:
            value = await session.scalar(
                select(func.count()).select_from(IntentRow).where(IntentRow.profile == self.profile)
            )
        return int(value or 0)

    async def page(self, before_id: int | None = None, limit: int = 500) -> list[TxView]:
        """Up to ``limit`` intents older than ``before_id`` (all when None), newest first."""
        query = select(*_INTENT_COLUMNS).where(IntentRow.profile == self.profile)
        if before_id is not None:
            query = query.where(IntentRow.id < before_id)
        query = query.order_by(IntentRow.id.desc()).limit(limit)
        return await self._views(query)

    async def newer_than(self, after_id: int) -> list[TxView]:
        """Intents created after ``after_id`` (new sends while the table is open), newest first."""
        query = (
            select(*_INTENT_COLUMNS)
            .where(IntentRow.profile == self.profile, IntentRow.id > after_id)
            .order_by(IntentRow.id.desc())
        )
        return await self._views(query)

    async def one(self, intent_id: int) -> TxView | None:
        query = select(*_INTENT_COLUMNS).where(
            IntentRow.profile == self.profile, IntentRow.id == intent_id
        )
        views = await self._views(query)
        return views[0] if views else None

    async def _views(self, query: Any) -> list[TxView]:  # a select of _INTENT_COLUMNS
        # A Core connection, not an ORM session: these are plain column tuples, and the ORM's
        # per-statement machinery would cost the loop thread more than the rows themselves.
        async with self._db.engine.connect() as conn:
            intents = (await conn.execute(query)).all()
            ids = [row[0] for row in intents]
            txs: dict[int, list[tuple[int, str]]] = {}
            if ids:
                tx_rows = await conn.execute(
                    select(TransactionRow.intent_id, TransactionRow.nonce, TransactionRow.tx_hash)
                    .where(
                        TransactionRow.intent_id.in_(ids),
                        TransactionRow.state != "rejected",
                    )
                    .order_by(TransactionRow.id)
                )
                for intent_id, nonce, tx_hash in tx_rows:
                    txs.setdefault(intent_id, []).append((nonce, tx_hash))
        views: list[TxView] = []
        for start in range(0, len(intents), CHUNK):
            if start:
                await asyncio.sleep(0)  # let the UI paint between chunks of a big page
            views.extend(_view(row, txs.get(row[0], [])) for row in intents[start : start + CHUNK])
        return views


def _view(row: Any, txs: list[tuple[int, str]]) -> TxView:
    intent_id, created, kind, state, chain_id, from_address, request_json, error = row
    request = json.loads(request_json)
    nonce, tx_hash = txs[-1] if txs else (None, None)
    return TxView(
        intent_id,
        _utc(created),
        kind,
        state,
        chain_id,
        from_address,
        str(request.get("to") or ""),
        request.get("token"),
        int(request.get("amount") or 0),
        int(request.get("decimals", 18)),
        str(request.get("label") or ""),
        nonce,
        tx_hash,
        max(len(txs) - 1, 0),
        error,
    )
