"""Portfolio: user tokens, price overrides, snapshots with holdings, the trade ledger.

Revision ID: portfolio_0001
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "portfolio_0001"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_tokens",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(42), nullable=False),
        sa.Column("symbol", sa.String(32), nullable=False),
        sa.Column("decimals", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ux_user_tokens_chain_address", "user_tokens", ["chain_id", "address"], unique=True
    )
    op.create_table(
        "price_overrides",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(42), nullable=False),
        sa.Column("price", sa.String(80), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ux_price_overrides_chain_token", "price_overrides", ["chain_id", "token"], unique=True
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fiat", sa.String(8), nullable=False),
        sa.Column("total_value", sa.String(80), nullable=False),
        sa.Column("incomplete", sa.String(200), nullable=False, server_default=""),
        sa.Column("demo", sa.Boolean(), nullable=False, server_default="0"),
    )
    op.create_index("ix_snapshots_profile_time", "snapshots", ["profile", "taken_at"])
    op.create_table(
        "snapshot_holdings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "snapshot_id",
            sa.Integer(),
            sa.ForeignKey("snapshots.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(42), nullable=False),
        sa.Column("token", sa.String(42), nullable=False),
        sa.Column("symbol", sa.String(32), nullable=False),
        sa.Column("decimals", sa.Integer(), nullable=False),
        sa.Column("amount", sa.String(80), nullable=False),
        sa.Column("price", sa.String(80), nullable=True),
        sa.Column("value", sa.String(80), nullable=True),
    )
    op.create_index("ix_holdings_snapshot", "snapshot_holdings", ["snapshot_id"])
    op.create_index("ix_holdings_asset", "snapshot_holdings", ["chain_id", "token", "snapshot_id"])
    op.create_table(
        "ledger",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("asset", sa.String(32), nullable=False),
        sa.Column("amount", sa.String(80), nullable=False),
        sa.Column("price", sa.String(80), nullable=True),
        sa.Column("fee", sa.String(80), nullable=False, server_default="0"),
        sa.Column("fiat", sa.String(8), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index(
        "ux_ledger_source_external", "ledger", ["profile", "source", "external_id"], unique=True
    )
    op.create_index("ix_ledger_time", "ledger", ["profile", "occurred_at"])


def downgrade() -> None:
    for table in ("ledger", "snapshot_holdings", "snapshots", "price_overrides", "user_tokens"):
        op.drop_table(table)
