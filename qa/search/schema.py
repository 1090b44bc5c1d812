"""Full-text structures outside the ORM metadata: SQLite FTS5 table, PostgreSQL GIN indexes."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

FTS_TABLE = "transcripts_fts"
PG_FTS_INDEX = "ix_transcripts_text_fts"
PG_TRGM_INDEX = "ix_transcripts_text_trgm"
# the list's default order (newest first, unknown times last); SQLite's plain index serves it
PG_STARTED_INDEX = "ix_calls_started_desc"
PG_INDEXES = (PG_FTS_INDEX, PG_TRGM_INDEX, PG_STARTED_INDEX)
# the configuration of the tsvector index; queries must use the same literal to use it
PG_TS_CONFIG = "simple"

SQLITE_CREATE = (
    # the trigram tokenizer matches substrings, so Chinese (no spaces) is searchable too;
    # the FTS rowid is the call id (transcripts.call_id is unique): matches need no join
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "text, content='transcripts', content_rowid='call_id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON transcripts BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.call_id, new.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON transcripts BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) "
    "VALUES ('delete', old.call_id, old.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF text, call_id ON transcripts BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) "
    "VALUES ('delete', old.call_id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.call_id, new.text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


def create_search_structures(conn: Connection) -> None:
    """Create the full-text table or indexes for the connection's database."""
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_CREATE:
            conn.execute(text(statement))
        return
    if conn.dialect.name != "postgresql":
        return
    conn.execute(
        text(
            f"CREATE INDEX {PG_FTS_INDEX} ON transcripts "
            f"USING gin (to_tsvector('{PG_TS_CONFIG}', text))"
        )
    )
    conn.execute(
        text(f"CREATE INDEX {PG_STARTED_INDEX} ON calls (started_at DESC NULLS LAST, id DESC)")
    )
    if _create_trgm_extension(conn):
        conn.execute(
            text(f"CREATE INDEX {PG_TRGM_INDEX} ON transcripts USING gin (text gin_trgm_ops)")
        )


def _create_trgm_extension(conn: Connection) -> bool:
    """Enable pg_trgm when the server has it; without it substring search scans the table."""
    available = conn.execute(
        text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).first()
    if available is None:
        return False
    savepoint = conn.begin_nested()
    try:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception:  # noqa: BLE001 - no privilege to create it: search still works
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def drop_search_structures(conn: Connection) -> None:
    """Drop what :func:`create_search_structures` made."""
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            conn.execute(text(statement))
    elif conn.dialect.name == "postgresql":
        for name in PG_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """Tell Alembic autogenerate to leave the full-text structures alone."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    return not (type_ == "index" and name in PG_INDEXES)
