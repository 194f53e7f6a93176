"""Shared rate-limit counters; a handoff's raw chat id is cleared once it is closed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_counters",
        sa.Column("user_key", sa.String(32), primary_key=True),
        sa.Column("window_start", sa.BigInteger(), primary_key=True),
        sa.Column("hits", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("handoffs") as batch:
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=True)
    op.execute("UPDATE handoffs SET chat_id = NULL WHERE status = 'closed'")


def downgrade() -> None:
    op.execute("DELETE FROM handoffs WHERE chat_id IS NULL")
    with op.batch_alter_table("handoffs") as batch:
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=False)
    op.drop_table("rate_counters")
