"""The database extension: SQLAlchemy 2.0 engine and a scoped session per app context."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model; constraint names are stable for migrations."""

    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    """Return the current UTC time (naive, as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Return an engine for ``url`` with the settings the app relies on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """Bind an engine to each app; ``db.session`` is scoped to the app context."""

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(self._new_session)

    def init_app(self, app: Flask) -> None:
        """Create the app's engine and remove the session when the context ends."""
        app.extensions["db_engine"] = make_engine(app.config["DATABASE_URL"])
        app.teardown_appcontext(self._teardown)

    def _new_session(self) -> Session:
        return Session(bind=self.engine, expire_on_commit=False)

    def _teardown(self, _exc: BaseException | None) -> None:
        self.session.remove()

    @property
    def engine(self) -> Engine:
        """Return the current app's engine."""
        return current_app.extensions["db_engine"]


db = Database()
