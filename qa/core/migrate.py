"""Run Alembic migrations against the app's database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(app: Flask) -> Config:
    """Return an Alembic config pointing at the app's database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    return cfg


def upgrade(app: Flask, revision: str = "heads") -> None:
    """Bring the database schema up to ``revision``."""
    command.upgrade(alembic_config(app), revision)


def revision(app: Flask, message: str) -> None:
    """Autogenerate a new migration from the models (for developers)."""
    command.revision(alembic_config(app), message=message, autogenerate=True)


def upgrade_and_seed(app: Flask) -> list[str]:
    """Migrate the schema and install the bundled rubrics that are missing; return their keys."""
    from qa.db import db
    from qa.rubrics.services import install_defaults

    upgrade(app)
    with app.app_context():
        created = install_defaults()
        db.session.commit()
        return [v.rubric.key for v in created]
