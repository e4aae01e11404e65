"""Wallets (public part only), the intent journal and signed transactions.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wallets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("address", sa.String(42), nullable=False),
        sa.Column("keychain_ref", sa.String(100), nullable=True),
        sa.Column("derivation_path", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ux_wallets_profile_address", "wallets", ["profile", "address"], unique=True)
    op.create_index("ux_wallets_profile_name", "wallets", ["profile", "name"], unique=True)
    op.create_table(
        "intents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("request_json", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("from_address", sa.String(42), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ux_intents_profile_key", "intents", ["profile", "idempotency_key"], unique=True
    )
    op.create_index("ix_intents_state", "intents", ["state"])
    op.create_table(
        "transactions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "intent_id",
            sa.Integer(),
            sa.ForeignKey("intents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("from_address", sa.String(42), nullable=False),
        sa.Column("nonce", sa.Integer(), nullable=False),
        sa.Column("tx_hash", sa.String(66), nullable=False),
        sa.Column("raw_tx", sa.Text(), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("max_fee_per_gas", sa.String(78), nullable=True),
        sa.Column("max_priority_fee_per_gas", sa.String(78), nullable=True),
        sa.Column("gas_price", sa.String(78), nullable=True),
        sa.Column("gas_limit", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=True),
        sa.Column("gas_used", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ux_transactions_chain_hash", "transactions", ["chain_id", "tx_hash"], unique=True
    )
    op.create_index(
        "ix_transactions_account_nonce", "transactions", ["chain_id", "from_address", "nonce"]
    )


def downgrade() -> None:
    op.drop_table("transactions")
    op.drop_table("intents")
    op.drop_table("wallets")
