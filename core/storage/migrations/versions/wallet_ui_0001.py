"""Wallet UI: indexes that let the Activity transactions table page through 100k intents.

Revision ID: wallet_ui_0001
Revises: portfolio_0001
"""

from alembic import op

revision = "wallet_ui_0001"
down_revision = "portfolio_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_transactions_intent", "transactions", ["intent_id"])
    op.create_index("ix_intents_profile_id", "intents", ["profile", "id"])


def downgrade() -> None:
    op.drop_index("ix_intents_profile_id", table_name="intents")
    op.drop_index("ix_transactions_intent", table_name="transactions")
