"""Disputes, calibration sessions and coaching notes.

Revision ID: fba67c254630
Revises: (chained after the other feature migrations)
Create Date: 2026-11-23 18:21:25.927896
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "fba67c254630"
down_revision = "a7c41e9d2f06"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calibration_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["users.id"], name=op.f("fk_calibration_sessions_lead_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["rubric_version_id"],
            ["rubric_versions.id"],
            name=op.f("fk_calibration_sessions_rubric_version_id_rubric_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_sessions")),
    )
    with op.batch_alter_table("calibration_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_sessions_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_calibration_sessions_lead_id"), ["lead_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_calibration_sessions_rubric_version_id"),
            ["rubric_version_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_calibration_sessions_status"), ["status"], unique=False
        )

    op.create_table(
        "coaching_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("agent_reply", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["users.id"], name=op.f("fk_coaching_notes_agent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_coaching_notes_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_coaching_notes_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_notes")),
    )
    with op.batch_alter_table("coaching_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coaching_notes_acknowledged_at"), ["acknowledged_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coaching_notes_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_coaching_notes_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coaching_notes_call_id"), ["call_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_coaching_notes_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "calibration_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("rater_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_calibration_answers_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rater_id"], ["users.id"], name=op.f("fk_calibration_answers_rater_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["calibration_sessions.id"],
            name=op.f("fk_calibration_answers_session_id_calibration_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_answers")),
        sa.UniqueConstraint(
            "session_id",
            "call_id",
            "item_key",
            "rater_id",
            name=op.f("uq_calibration_answers_session_id"),
        ),
    )
    with op.batch_alter_table("calibration_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_answers_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "calibration_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_calibration_calls_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["calibration_sessions.id"],
            name=op.f("fk_calibration_calls_session_id_calibration_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_calls")),
        sa.UniqueConstraint("session_id", "call_id", name=op.f("uq_calibration_calls_session_id")),
    )
    with op.batch_alter_table("calibration_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calibration_calls_call_id"), ["call_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_calibration_calls_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "calibration_raters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["calibration_sessions.id"],
            name=op.f("fk_calibration_raters_session_id_calibration_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_calibration_raters_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_raters")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_calibration_raters_session_id")),
    )
    with op.batch_alter_table("calibration_raters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_raters_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_calibration_raters_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_result_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("against_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("result_at_open", sa.String(length=8), nullable=False),
        sa.Column("corrected_result", sa.String(length=8), nullable=True),
        sa.Column("resolution_reason", sa.Text(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["against_id"], ["users.id"], name=op.f("fk_disputes_against_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["users.id"], name=op.f("fk_disputes_agent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_disputes_call_id_calls"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_result_id"],
            ["item_results.id"],
            name=op.f("fk_disputes_item_result_id_item_results"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["users.id"], name=op.f("fk_disputes_resolved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
    )
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disputes_against_id"), ["against_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disputes_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disputes_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disputes_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_disputes_item_result_id"), ["item_result_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_disputes_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_disputes_open_item",
            ["item_result_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_disputes_open_item",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_disputes_status"))
        batch_op.drop_index(batch_op.f("ix_disputes_item_result_id"))
        batch_op.drop_index(batch_op.f("ix_disputes_created_at"))
        batch_op.drop_index(batch_op.f("ix_disputes_call_id"))
        batch_op.drop_index(batch_op.f("ix_disputes_agent_id"))
        batch_op.drop_index(batch_op.f("ix_disputes_against_id"))

    op.drop_table("disputes")
    with op.batch_alter_table("calibration_raters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_raters_user_id"))
        batch_op.drop_index(batch_op.f("ix_calibration_raters_session_id"))

    op.drop_table("calibration_raters")
    with op.batch_alter_table("calibration_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_calls_session_id"))
        batch_op.drop_index(batch_op.f("ix_calibration_calls_call_id"))

    op.drop_table("calibration_calls")
    with op.batch_alter_table("calibration_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_answers_session_id"))

    op.drop_table("calibration_answers")
    with op.batch_alter_table("coaching_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_notes_created_at"))
        batch_op.drop_index(batch_op.f("ix_coaching_notes_call_id"))
        batch_op.drop_index(batch_op.f("ix_coaching_notes_author_id"))
        batch_op.drop_index(batch_op.f("ix_coaching_notes_agent_id"))
        batch_op.drop_index(batch_op.f("ix_coaching_notes_acknowledged_at"))

    op.drop_table("coaching_notes")
    with op.batch_alter_table("calibration_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_sessions_status"))
        batch_op.drop_index(batch_op.f("ix_calibration_sessions_rubric_version_id"))
        batch_op.drop_index(batch_op.f("ix_calibration_sessions_lead_id"))
        batch_op.drop_index(batch_op.f("ix_calibration_sessions_created_at"))

    op.drop_table("calibration_sessions")
