"""The ORM tables. Every schema change here comes with a numbered migration in migrations/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["ActivityRow", "AppMetaRow", "Base", "ChainStatusRow"]


class Base(DeclarativeBase):
    pass


class AppMetaRow(Base):
    """Facts about this database file itself (when and by which version it was created)."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ActivityRow(Base):
    """What happened, in the person's words: shown on the Activity page and kept offline."""

    __tablename__ = "activity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(8), server_default="info")
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, server_default="")


class ChainStatusRow(Base):
    """Each reachability check of a chain's RPC, so 'offline since ...' is known after a restart."""

    __tablename__ = "chain_status"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain_id: Mapped[int] = mapped_column(Integer)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    online: Mapped[bool] = mapped_column(Boolean)
    block_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latency_ms: Mapped[float | None] = mapped_column(Float, nullable=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), nullable=True
    )

    __table_args__ = (Index("ix_chain_status_chain_time", "chain_id", "checked_at"),)


class WalletRow(Base):
    """A wallet's public face. Its secret, if any, is only in the keychain (``keychain_ref``)."""

    __tablename__ = "wallets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # mnemonic | private_key | watch
    address: Mapped[str] = mapped_column(String(42))
    keychain_ref: Mapped[str | None] = mapped_column(String(100), nullable=True)
    derivation_path: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ux_wallets_profile_address", "profile", "address", unique=True),
        Index("ux_wallets_profile_name", "profile", "name", unique=True),
    )


class IntentRow(Base):
    """The journal: written and committed BEFORE anything is signed, one row per idempotency key.

    ``request_json`` is the non-secret request (addresses, amounts, chain); ``request_hash`` lets
    a repeat with the same key be told apart from a conflicting one.
    """

    __tablename__ = "intents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    profile: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    request_hash: Mapped[str] = mapped_column(String(64))
    request_json: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # pending | submitted | confirmed | failed
    chain_id: Mapped[int] = mapped_column(Integer)
    from_address: Mapped[str] = mapped_column(String(42))
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ux_intents_profile_key", "profile", "idempotency_key", unique=True),
        Index("ix_intents_state", "state"),
    )


class TransactionRow(Base):
    """A signed transaction of an intent. Replacements (speed-up, cancel) share the nonce.

    ``raw_tx`` is the signed transaction, persisted before broadcast so a restart re-sends the
    very same bytes instead of signing again. It holds no secret: it is public once broadcast.
    """

    __tablename__ = "transactions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("intents.id", ondelete="CASCADE"))
    chain_id: Mapped[int] = mapped_column(Integer)
    from_address: Mapped[str] = mapped_column(String(42))
    nonce: Mapped[int] = mapped_column(Integer)
    tx_hash: Mapped[str] = mapped_column(String(66))
    raw_tx: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(16))  # original | speed_up | cancel
    state: Mapped[str] = mapped_column(String(16))  # signed|broadcast|confirmed|failed|replaced
    max_fee_per_gas: Mapped[str | None] = mapped_column(String(78), nullable=True)
    max_priority_fee_per_gas: Mapped[str | None] = mapped_column(String(78), nullable=True)
    gas_price: Mapped[str | None] = mapped_column(String(78), nullable=True)
    gas_limit: Mapped[int] = mapped_column(Integer)
    block_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gas_used: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ux_transactions_chain_hash", "chain_id", "tx_hash", unique=True),
        Index("ix_transactions_account_nonce", "chain_id", "from_address", "nonce"),
    )
