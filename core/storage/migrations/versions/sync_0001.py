"""Sync: merged field versions, change log/outbox, conflicts, device meta.

Revision ID: sync_0001
Revises: portfolio_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "sync_0001"
down_revision = "portfolio_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "sync_fields",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("record_id", sa.String(200), primary_key=True),
        sa.Column("field", sa.String(64), primary_key=True),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("hlc", sa.String(64), nullable=False),
        sa.Column("change_id", sa.String(32), nullable=False),
        sa.Column("base", sa.String(64), nullable=True),
    )
    op.create_table(
        "sync_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("change_id", sa.String(32), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("hlc", sa.String(64), nullable=False),
        sa.Column("fields_json", sa.Text(), nullable=False),
        sa.Column("base_json", sa.Text(), nullable=False),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.Column("pushed", sa.Boolean(), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sync_log_record", "sync_log", ["kind", "record_id"])
    op.create_index("ix_sync_log_outbox", "sync_log", ["local", "pushed", "seq"])
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("winner_json", sa.Text(), nullable=False),
        sa.Column("winner_hlc", sa.String(64), nullable=False),
        sa.Column("winner_change_id", sa.String(32), nullable=False),
        sa.Column("loser_json", sa.Text(), nullable=False),
        sa.Column("loser_hlc", sa.String(64), nullable=False),
        sa.Column("loser_change_id", sa.String(32), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False, server_default="0"),
    )
    op.create_index(
        "ux_sync_conflicts_pair",
        "sync_conflicts",
        ["kind", "record_id", "field", "winner_change_id", "loser_change_id"],
        unique=True,
    )


def downgrade() -> None:
    for table in ("sync_conflicts", "sync_log", "sync_fields", "sync_meta"):
        op.drop_table(table)
