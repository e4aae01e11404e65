"""The intent journal: every state-changing operation is written down before it has any effect.

``begin`` commits the intent row (key, request hash, state ``pending``) before anything is signed.
A repeat with the same key and the same request finds that row and gets the first outcome; the
same key with a different request is a conflict. Signed transactions are recorded (state
``signed``) before they are broadcast, so a restart sends the very same bytes again rather than
signing anew.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from core.errors import IdempotencyConflictError, WalletError
from core.storage.db import Database
from core.storage.tables import IntentRow, TransactionRow
from core.wallet.fees import FeeQuote
from core.wallet.signer import SignedTx

__all__ = ["Intent", "IntentJournal", "TxRecord", "request_hash"]

UNFINISHED = ("pending", "submitted")
LIVE_TX = ("signed", "broadcast", "confirmed", "failed")  # states that used their nonce or may


def request_hash(kind: str, request: dict[str, Any]) -> str:
    canonical = json.dumps({"kind": kind, **request}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Intent:
    id: int
    key: str
    kind: str
    request: dict[str, Any]
    state: str
    chain_id: int
    from_address: str
    error: str | None
    created_at: datetime


@dataclass(frozen=True)
class TxRecord:
    id: int
    intent_id: int
    chain_id: int
    from_address: str
    nonce: int
    tx_hash: str
    raw_tx: str
    purpose: str
    state: str
    gas_limit: int
    fees: FeeQuote
    block_number: int | None
    gas_used: int | None


def _intent(row: IntentRow) -> Intent:
    return Intent(
        row.id,
        row.idempotency_key,
        row.kind,
        json.loads(row.request_json),
        row.state,
        row.chain_id,
        row.from_address,
        row.error,
        _utc(row.created_at),
    )


def _int(text: str | None) -> int | None:
    return int(text) if text is not None else None


def _tx(row: TransactionRow) -> TxRecord:
    fees = FeeQuote(
        row.gas_price is None,
        _int(row.max_fee_per_gas),
        _int(row.max_priority_fee_per_gas),
        _int(row.gas_price),
    )
    return TxRecord(
        row.id,
        row.intent_id,
        row.chain_id,
        row.from_address,
        row.nonce,
        row.tx_hash,
        row.raw_tx,
        row.purpose,
        row.state,
        row.gas_limit,
        fees,
        row.block_number,
        row.gas_used,
    )


class IntentJournal:
    def __init__(self, db: Database, profile: str = "default") -> None:
        self._db = db
        self.profile = profile

    async def begin(
        self, key: str, kind: str, request: dict[str, Any], chain_id: int, from_address: str
    ) -> tuple[Intent, bool]:
        """Record the intent (committed on return). Returns (intent, created_now)."""
        key = key.strip()
        if not key or len(key) > 200:
            raise WalletError("An idempotency key must be 1 to 200 characters.")
        digest = request_hash(kind, request)
        now = datetime.now(UTC)
        try:
            async with self._db.session() as session:
                row = IntentRow(
                    idempotency_key=key,
                    profile=self.profile,
                    kind=kind,
                    request_hash=digest,
                    request_json=json.dumps(request, sort_keys=True),
                    state="pending",
                    chain_id=chain_id,
                    from_address=from_address,
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
                await session.flush()
                return _intent(row), True
        except IntegrityError:
            pass
        existing = await self.by_key(key)
        if existing is None:  # pragma: no cover - the unique index said it exists
            raise WalletError("The journal is inconsistent; try again.")
        if request_hash(existing.kind, existing.request) != digest:
            raise IdempotencyConflictError(
                f"The key {key!r} was already used for a different request; nothing was sent. "
                "Use a new key for a new operation."
            )
        return existing, False

    async def by_key(self, key: str) -> Intent | None:
        async with self._db.session() as session:
            row = await session.scalar(
                select(IntentRow).where(
                    IntentRow.profile == self.profile, IntentRow.idempotency_key == key
                )
            )
            return _intent(row) if row is not None else None

    async def get(self, intent_id: int) -> Intent:
        async with self._db.session() as session:
            row = await session.get(IntentRow, intent_id)
            if row is None:
                raise WalletError(f"No operation with id {intent_id}.")
            return _intent(row)

    async def set_state(self, intent_id: int, state: str, error: str | None = None) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(IntentRow)
                .where(IntentRow.id == intent_id)
                .values(state=state, error=error, updated_at=datetime.now(UTC))
            )

    async def unfinished(self) -> list[Intent]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(IntentRow)
                .where(IntentRow.profile == self.profile, IntentRow.state.in_(UNFINISHED))
                .order_by(IntentRow.id)
            )
            return [_intent(r) for r in rows]

    async def recent(self, limit: int = 200) -> list[Intent]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(IntentRow)
                .where(IntentRow.profile == self.profile)
                .order_by(IntentRow.id.desc())
                .limit(limit)
            )
            return [_intent(r) for r in rows]

    # -- transactions ------------------------------------------------------------------------------
    async def record_signed(
        self,
        intent: Intent,
        nonce: int,
        signed: SignedTx,
        purpose: str,
        fees: FeeQuote,
        gas_limit: int,
    ) -> TxRecord:
        now = datetime.now(UTC)
        async with self._db.session() as session:
            row = TransactionRow(
                intent_id=intent.id,
                chain_id=intent.chain_id,
                from_address=intent.from_address,
                nonce=nonce,
                tx_hash=signed.tx_hash,
                raw_tx=signed.raw,
                purpose=purpose,
                state="signed",
                max_fee_per_gas=_str(fees.max_fee_per_gas),
                max_priority_fee_per_gas=_str(fees.max_priority_fee_per_gas),
                gas_price=_str(fees.gas_price),
                gas_limit=gas_limit,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            await session.flush()
            return _tx(row)

    async def set_tx_state(
        self,
        tx_id: int,
        state: str,
        block_number: int | None = None,
        gas_used: int | None = None,
    ) -> None:
        values: dict[str, Any] = {"state": state, "updated_at": datetime.now(UTC)}
        if block_number is not None:
            values.update(block_number=block_number, gas_used=gas_used)
        async with self._db.session() as session:
            await session.execute(
                update(TransactionRow).where(TransactionRow.id == tx_id).values(**values)
            )

    async def transactions(self, intent_id: int) -> list[TxRecord]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(TransactionRow)
                .where(TransactionRow.intent_id == intent_id)
                .order_by(TransactionRow.id)
            )
            return [_tx(r) for r in rows]

    async def last_nonce(self, chain_id: int, address: str) -> int | None:
        async with self._db.session() as session:
            value = await session.scalar(
                select(func.max(TransactionRow.nonce)).where(
                    TransactionRow.chain_id == chain_id,
                    TransactionRow.from_address == address,
                    TransactionRow.state.in_(LIVE_TX),
                )
            )
            return int(value) if value is not None else None


def _str(value: int | None) -> str | None:
    return str(value) if value is not None else None
