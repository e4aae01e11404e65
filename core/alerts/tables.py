"""Alert tables. Rules (with a stable ``uid`` so they can sync) and their state, and the fired
history, which stays on this machine. Prices and thresholds are exact decimal strings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base

__all__ = ["AlertHistoryRow", "AlertRuleRow", "AlertStateRow"]


class AlertRuleRow(Base):
    __tablename__ = "alert_rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(36))
    profile: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(24))
    enabled: Mapped[bool] = mapped_column(Boolean, server_default="1")
    chain_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    token: Mapped[str | None] = mapped_column(String(42), nullable=True)
    symbol: Mapped[str | None] = mapped_column(String(32), nullable=True)
    threshold: Mapped[str | None] = mapped_column(String(80), nullable=True)
    window_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    direction: Mapped[str] = mapped_column(String(8), server_default="either")
    cooldown_s: Mapped[int] = mapped_column(Integer)
    hysteresis_pct: Mapped[str] = mapped_column(String(16))
    #: the swap a quote rule asks about (chain, sell, buy, amount, taker); no secrets
    swap_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        Index("ux_alert_rules_uid", "uid", unique=True),
        Index("ix_alert_rules_profile", "profile"),
    )


class AlertStateRow(Base):
    """Per-rule memory (armed, last fired): kept so a restart honours cooldowns."""

    __tablename__ = "alert_rule_state"
    rule_id: Mapped[int] = mapped_column(
        ForeignKey("alert_rules.id", ondelete="CASCADE"), primary_key=True
    )
    armed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    last_fired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_value: Mapped[str | None] = mapped_column(String(80), nullable=True)
    status: Mapped[str] = mapped_column(String(200), server_default="")


class AlertHistoryRow(Base):
    """A fired alert and what triggered it. Local only: history never syncs."""

    __tablename__ = "alert_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert_rules.id", ondelete="SET NULL"), nullable=True
    )
    rule_uid: Mapped[str] = mapped_column(String(36))
    rule_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(24))
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    value: Mapped[str | None] = mapped_column(String(80), nullable=True)
    threshold: Mapped[str | None] = mapped_column(String(80), nullable=True)
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[str] = mapped_column(String(32))
    #: False when alerts were paused: recorded, but no notification was shown
    notified: Mapped[bool] = mapped_column(Boolean, server_default="1")
    __table_args__ = (Index("ix_alert_history_profile_time", "profile", "fired_at"),)
