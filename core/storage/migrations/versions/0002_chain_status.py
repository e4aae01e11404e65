"""Chain reachability history and a severity level on activity entries.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        batch.add_column(sa.Column("level", sa.String(8), nullable=False, server_default="info"))
    op.create_table(
        "chain_status",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=True),
        sa.Column("error", sa.String(300), nullable=True),
        sa.Column(
            "activity_id",
            sa.Integer(),
            sa.ForeignKey("activity.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index("ix_chain_status_chain_time", "chain_status", ["chain_id", "checked_at"])


def downgrade() -> None:
    op.drop_index("ix_chain_status_chain_time", "chain_status")
    op.drop_table("chain_status")
    with op.batch_alter_table("activity") as batch:
        batch.drop_column("level")
