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
