"""Portfolio: an index for one asset's history across chains and wallets.

Revision ID: portfolio_0002
Revises: portfolio_0001
"""

from alembic import op

revision = "portfolio_0002"
down_revision = "portfolio_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Per-asset history filters holdings by symbol and joins their snapshots in time order.
    op.create_index("ix_holdings_symbol", "snapshot_holdings", ["symbol", "snapshot_id"])


def downgrade() -> None:
    op.drop_index("ix_holdings_symbol", table_name="snapshot_holdings")
