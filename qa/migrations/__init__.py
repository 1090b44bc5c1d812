"""Alembic migrations for every table."""
