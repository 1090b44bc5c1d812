"""review claims and search indexes

Revision ID: 5b7e2c9d41a8
Revises: (chained after the other feature migrations)
Create Date: 2026-11-23 18:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from qa.search.schema import create_search_structures, drop_search_structures

revision = "5b7e2c9d41a8"
down_revision = "3c5e7a1d9b20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_review_claims_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_review_claims_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_claims")),
        sa.UniqueConstraint("call_id", name=op.f("uq_review_claims_call_id")),
    )
    with op.batch_alter_table("review_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_claims_expires_at"), ["expires_at"])
        batch_op.create_index(batch_op.f("ix_review_claims_user_id"), ["user_id"])
    # plain CREATE INDEX (no batch): a batch rebuild of ``transcripts`` would drop its triggers
    op.create_index("ix_calls_agent_started", "calls", ["agent_id", "started_at"])
    op.create_index("ix_calls_duration", "calls", ["duration"])
    op.create_index("ix_scorecards_call_total", "scorecards", ["call_id", "total"])
    op.create_index("ix_scorecards_critical_call", "scorecards", ["critical_failed", "call_id"])
    op.create_index("ix_scorecards_review_call", "scorecards", ["needs_review", "call_id"])
    create_search_structures(op.get_bind())


def downgrade() -> None:
    drop_search_structures(op.get_bind())
    op.drop_index("ix_scorecards_review_call", table_name="scorecards")
    op.drop_index("ix_scorecards_critical_call", table_name="scorecards")
    op.drop_index("ix_scorecards_call_total", table_name="scorecards")
    op.drop_index("ix_calls_duration", table_name="calls")
    op.drop_index("ix_calls_agent_started", table_name="calls")
    with op.batch_alter_table("review_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_claims_user_id"))
        batch_op.drop_index(batch_op.f("ix_review_claims_expires_at"))
    op.drop_table("review_claims")
