"""Alerts: rules (syncable, stable uid), per-rule state, and the local fired history.

Revision ID: alerts_0001
Revises: portfolio_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "alerts_0001"
down_revision = "portfolio_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("chain_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(42), nullable=True),
        sa.Column("symbol", sa.String(32), nullable=True),
        sa.Column("threshold", sa.String(80), nullable=True),
        sa.Column("window_s", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(8), nullable=False, server_default="either"),
        sa.Column("cooldown_s", sa.Integer(), nullable=False),
        sa.Column("hysteresis_pct", sa.String(16), nullable=False),
        sa.Column("swap_json", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ux_alert_rules_uid", "alert_rules", ["uid"], unique=True)
    op.create_index("ix_alert_rules_profile", "alert_rules", ["profile"])
    op.create_table(
        "alert_rule_state",
        sa.Column(
            "rule_id",
            sa.Integer(),
            sa.ForeignKey("alert_rules.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("armed", sa.Boolean(), nullable=True),
        sa.Column("last_fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_value", sa.String(80), nullable=True),
        sa.Column("status", sa.String(200), nullable=False, server_default=""),
    )
    op.create_table(
        "alert_history",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column(
            "rule_id",
            sa.Integer(),
            sa.ForeignKey("alert_rules.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("rule_uid", sa.String(36), nullable=False),
        sa.Column("rule_name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("value", sa.String(80), nullable=True),
        sa.Column("threshold", sa.String(80), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("page", sa.String(32), nullable=False),
        sa.Column("notified", sa.Boolean(), nullable=False, server_default="1"),
    )
    op.create_index("ix_alert_history_profile_time", "alert_history", ["profile", "fired_at"])


def downgrade() -> None:
    for table in ("alert_history", "alert_rule_state", "alert_rules"):
        op.drop_table(table)
