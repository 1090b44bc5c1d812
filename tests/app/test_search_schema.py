"""The migration creates the search structures, and the models agree with it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from qa.db import db
from qa.models import metadata
from qa.search.schema import FTS_TABLE, PG_FTS_INDEX, include_name

MINE = (
    "review_claims",
    "ix_calls_agent_started",
    "ix_calls_duration",
    "ix_scorecards_call_total",
    "ix_scorecards_critical_call",
    "ix_scorecards_review_call",
)


def test_migration_and_models_agree_on_the_workspace_tables(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, metadata)
    assert [d for d in diff if any(name in repr(d) for name in MINE + ("transcripts",))] == []


def test_full_text_structures_exist(app):
    inspector = inspect(db.engine)
    if db.engine.dialect.name == "sqlite":
        assert FTS_TABLE in inspector.get_table_names()
    else:
        assert PG_FTS_INDEX in {i["name"] for i in inspector.get_indexes("transcripts")}


def test_autogenerate_is_told_to_leave_full_text_structures_alone():
    assert not include_name(FTS_TABLE, "table", {})
    assert not include_name(f"{FTS_TABLE}_data", "table", {})
    assert not include_name(PG_FTS_INDEX, "index", {})
    assert not include_name("ix_calls_started_desc", "index", {})
    assert include_name("calls", "table", {}) and include_name("ix_calls_duration", "index", {})
