"""Portable date bucketing: the same day or ISO-week buckets on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, func
from sqlalchemy.sql.elements import ColumnElement

from qa.calls.models import Call
from qa.db import db

UNITS = ("day", "week")


def call_time() -> ColumnElement[Any]:
    """Return when a call happened: its start time, else when it was received."""
    return func.coalesce(Call.started_at, Call.created_at)


def bucket(column: ColumnElement[Any], unit: str) -> ColumnElement[Any]:
    """Return ``column`` truncated to its day or to the Monday of its ISO week, in SQL."""
    if unit not in UNITS:
        raise ValueError(f"unknown bucket unit {unit!r}; use one of {', '.join(UNITS)}")
    if db.engine.dialect.name == "sqlite":
        if unit == "day":
            return func.date(column)
        return func.date(column, "weekday 0", "-6 days")
    return cast(func.date_trunc(unit, column), Date)


def as_date(value: Any) -> date:
    """Return a bucket value (a date, a datetime or an ISO string from SQLite) as a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def week_start(day: date) -> date:
    """Return the Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """Return the half-open datetime range covering the days ``start`` to ``end`` inclusive."""
    return datetime.combine(start, datetime.min.time()), datetime.combine(
        end + timedelta(days=1), datetime.min.time()
    )
