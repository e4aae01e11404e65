"""Sync's local tables: merged field versions, the change log (and outbox), conflicts, meta.

Nothing secret is stored here: the key and the account token live in the keychain, and records
are built only from public data (see records.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base

__all__ = ["SyncConflictRow", "SyncFieldRow", "SyncLogRow", "SyncMetaRow"]


class SyncMetaRow(Base):
    """This device's sync facts: device id, server address, cursor, clock, last result."""

    __tablename__ = "sync_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncFieldRow(Base):
    """The merged state: for each record field, the value and the version that wrote it."""

    __tablename__ = "sync_fields"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(String(64))
    change_id: Mapped[str] = mapped_column(String(32))
    base: Mapped[str | None] = mapped_column(String(64), nullable=True)


class SyncLogRow(Base):
    """Every change this device made or received, per record; unpushed local ones are the
    outbox (``pushed`` false), kept across restarts and offline periods."""

    __tablename__ = "sync_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(200))
    hlc: Mapped[str] = mapped_column(String(64))
    fields_json: Mapped[str] = mapped_column(Text)
    base_json: Mapped[str] = mapped_column(Text)
    local: Mapped[bool] = mapped_column(Boolean)
    pushed: Mapped[bool] = mapped_column(Boolean)
    server_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        Index("ix_sync_log_record", "kind", "record_id"),
        Index("ix_sync_log_outbox", "local", "pushed", "seq"),
    )


class SyncConflictRow(Base):
    """A write that lost to a concurrent one: kept so the person can see (and redo) it."""

    __tablename__ = "sync_conflicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(64))
    winner_json: Mapped[str] = mapped_column(Text)
    winner_hlc: Mapped[str] = mapped_column(String(64))
    winner_change_id: Mapped[str] = mapped_column(String(32))
    loser_json: Mapped[str] = mapped_column(Text)
    loser_hlc: Mapped[str] = mapped_column(String(64))
    loser_change_id: Mapped[str] = mapped_column(String(32))
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved: Mapped[bool] = mapped_column(Boolean, server_default="0")
    __table_args__ = (
        Index(
            "ux_sync_conflicts_pair",
            "kind",
            "record_id",
            "field",
            "winner_change_id",
            "loser_change_id",
            unique=True,
        ),
    )
