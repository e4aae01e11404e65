"""The server's tables: accounts, sealed changes, device cursors. No plaintext anywhere.

``seq`` numbers an account's changes densely in commit order (assigned under the account row's
lock), so a device that has read up to ``seq`` N has read every change up to N, whichever instance
served it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["AccountRow", "Base", "ChangeRow", "DeviceRow"]


class Base(DeclarativeBase):
    pass


class AccountRow(Base):
    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: SHA-256 of the bearer token; tokens are 256-bit random, so no slow hash is needed
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    #: opaque to the server: the clients' key-derivation salt, cost and key check
    meta: Mapped[str | None] = mapped_column(Text, nullable=True)


class ChangeRow(Base):
    __tablename__ = "changes"
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    change_id: Mapped[str] = mapped_column(String(32))
    device: Mapped[str] = mapped_column(String(32))
    record_tag: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ux_changes_account_change", "account_id", "change_id", unique=True),)


class DeviceRow(Base):
    __tablename__ = "devices"
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    device: Mapped[str] = mapped_column(String(32), primary_key=True)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
