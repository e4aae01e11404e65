"""Portfolio tables. Amounts and prices are exact decimal strings (never floats)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base

__all__ = ["HoldingRow", "LedgerRow", "PriceOverrideRow", "SnapshotRow", "UserTokenRow"]


class UserTokenRow(Base):
    __tablename__ = "user_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain_id: Mapped[int] = mapped_column(Integer)
    address: Mapped[str] = mapped_column(String(42))
    symbol: Mapped[str] = mapped_column(String(32))
    decimals: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ux_user_tokens_chain_address", "chain_id", "address", unique=True),)


class PriceOverrideRow(Base):
    """A price the person set by hand; it wins over every source until removed."""

    __tablename__ = "price_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain_id: Mapped[int] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(42))  # lower-case address or "native"
    price: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ux_price_overrides_chain_token", "chain_id", "token", unique=True),)


class SnapshotRow(Base):
    __tablename__ = "snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fiat: Mapped[str] = mapped_column(String(8))
    total_value: Mapped[str] = mapped_column(String(80))
    #: chains whose balances could not be read in this refresh (comma-separated ids)
    incomplete: Mapped[str] = mapped_column(String(200), server_default="")
    demo: Mapped[bool] = mapped_column(Boolean, server_default="0")
    __table_args__ = (Index("ix_snapshots_profile_time", "profile", "taken_at"),)


class HoldingRow(Base):
    __tablename__ = "snapshot_holdings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id", ondelete="CASCADE"))
    chain_id: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(String(42))
    token: Mapped[str] = mapped_column(String(42))  # lower-case address or "native"
    symbol: Mapped[str] = mapped_column(String(32))
    decimals: Mapped[int] = mapped_column(Integer)
    amount: Mapped[str] = mapped_column(String(80))  # base units
    price: Mapped[str | None] = mapped_column(String(80), nullable=True)
    value: Mapped[str | None] = mapped_column(String(80), nullable=True)
    __table_args__ = (
        Index("ix_holdings_snapshot", "snapshot_id"),
        Index("ix_holdings_asset", "chain_id", "token", "snapshot_id"),
        Index("ix_holdings_symbol", "symbol", "snapshot_id"),
    )


class LedgerRow(Base):
    """One trade or transfer, from the person's swaps/transfers or an imported CSV row."""

    __tablename__ = "ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))  # buy | sell | deposit | withdrawal
    asset: Mapped[str] = mapped_column(String(32))  # symbol, upper case
    amount: Mapped[str] = mapped_column(String(80))  # decimal units, positive
    price: Mapped[str | None] = mapped_column(String(80), nullable=True)  # fiat per unit
    fee: Mapped[str] = mapped_column(String(80), server_default="0")  # in fiat
    fiat: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    notes: Mapped[str] = mapped_column(Text, server_default="")
    __table_args__ = (
        Index("ux_ledger_source_external", "profile", "source", "external_id", unique=True),
        Index("ix_ledger_time", "profile", "occurred_at"),
    )
