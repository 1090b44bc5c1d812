"""Recompute dashboard rollup rows from the raw rows: a few days at a time, or all of them.

:func:`refresh` recomputes the (day, agent) and (day, team) groups a transaction touched, and
the (week, agent) and (week, team) groups holding them, by deleting their rows and inserting
them again from the raw rows. On PostgreSQL it first takes a transaction-scoped advisory lock
per (week, agent) and then per (week, team), each in key order, with the agents' user rows
share-locked in between (a team change holds its user row, so the team read is current), and
only then reads the raw rows: under READ COMMITTED that read sees every transaction that held
the lock before, so two writers of one group never both miss each other's rows. SQLite runs
one writer at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, text, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from qa.auth.models import User
from qa.calls.models import Call
from qa.dashboards import sources
from qa.dashboards.buckets import as_date, week_start
from qa.dashboards.models import (
    NO_AGENT,
    NO_TEAM,
    NOBODY,
    AgentDay,
    AgentWeek,
    ItemDay,
    ItemWeek,
    KpiDay,
    TeamDay,
)

Key = tuple[date, int]
TABLES = (AgentDay, AgentWeek, TeamDay, KpiDay, ItemDay, ItemWeek)
_AGENT_LOCK, _TEAM_LOCK = 1, 2


def _by_day(keys: Iterable[Key]) -> dict[date, set[int]]:
    grouped: dict[date, set[int]] = defaultdict(set)
    for day, owner in keys:
        grouped[day].add(owner)
    return grouped


def _weeks(keys: Iterable[Key]) -> set[Key]:
    return {(week_start(day), owner) for day, owner in keys}


def _rows_of(model: Any, keys: dict[date, set[int]]) -> ColumnElement[bool]:
    when = model.week if "week" in model.__table__.primary_key.columns else model.day
    owner = model.agent_id if "agent_id" in model.__table__.columns else model.team_id
    parts = [and_(when == day, owner.in_(sorted(ids))) for day, ids in keys.items()]
    return or_(*parts)


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _lock(session: Session, kind: int, keys: Iterable[Key]) -> None:
    """Take an advisory lock per (week, owner) group, in key order (PostgreSQL only)."""
    for day, owner in sorted(keys):
        number = (kind << 56) | (day.toordinal() << 32) | (owner & 0xFFFFFFFF)
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": number})


def call_keys(session: Session, call_ids: Iterable[int]) -> set[Key]:
    """Return the (day, agent) groups the given calls count in now."""
    ids = sorted(set(call_ids))
    keys: set[Key] = set()
    for start in range(0, len(ids), 500):
        stmt = select(sources.call_day(), sources.call_agent()).where(
            Call.id.in_(ids[start : start + 500])
        )
        keys.update((as_date(day), agent) for day, agent in session.execute(stmt))
    return keys


def agent_days(session: Session, agent_id: int) -> set[date]:
    """Return the days on which ``agent_id`` has calls."""
    stmt = select(sources.call_day()).where(Call.agent_id == agent_id).distinct()
    return {as_date(day) for day in session.scalars(stmt)}


def _teams(session: Session, agent_ids: set[int]) -> dict[int, int]:
    """Return each agent's current team id, holding a share lock on their user rows."""
    real = sorted(a for a in agent_ids if a != NOBODY)
    teams = dict.fromkeys(agent_ids, NO_TEAM)
    teams[NOBODY] = NO_AGENT
    if real:
        stmt = select(User.id, User.team_id).where(User.id.in_(real)).order_by(User.id)
        for user_id, team_id in session.execute(stmt.with_for_update(read=True)):
            teams[user_id] = team_id if team_id is not None else NO_TEAM
    return teams


def _replace(session: Session, model: Any, keys: set[Key], columns: Any, source: Any) -> None:
    """Delete ``model``'s rows of ``keys`` and insert them again from the raw rows.

    ``source(condition)`` selects the rows; weekly tables take (Monday, owner) keys.
    """
    weekly = "week" in model.__table__.primary_key.columns
    owner = sources.agents_condition if "agent_id" in columns else sources.teams_condition
    grouped = _by_day(keys)
    for chunk in _chunks(sorted(grouped)):
        part = {day: grouped[day] for day in chunk}
        where = sources.days_condition(part, owner, 7 if weekly else 1)
        session.execute(delete(model).where(_rows_of(model, part)))
        session.execute(insert(model).from_select(columns, source(where)))


def _chunks(days: list[date], size: int = 60) -> Iterable[list[date]]:
    for start in range(0, len(days), size):
        yield days[start : start + size]


def refresh(session: Session, agent_keys: set[Key], moves: dict[int, set[int]]) -> None:
    """Recompute the rollups of ``agent_keys`` and of the agents in ``moves`` (team changes).

    ``moves`` maps an agent whose team changed to the teams it was in before.
    """
    postgres = _postgres(session)
    if postgres:
        # waits out a running rebuild before any statement takes its snapshot
        names = ", ".join(model.__tablename__ for model in TABLES)
        session.execute(text(f"LOCK TABLE {names} IN ROW EXCLUSIVE MODE"))
        _lock(session, _AGENT_LOCK, _weeks(agent_keys))
    teams = _teams(session, {agent for _day, agent in agent_keys} | set(moves))
    team_keys = {(day, teams[agent]) for day, agent in agent_keys}
    for agent, old_teams in moves.items():
        for day in agent_days(session, agent):
            team_keys.update((day, team) for team in old_teams | {teams[agent]})
    if postgres:
        _lock(session, _TEAM_LOCK, _weeks(team_keys))
    for model, columns, source in _AGENT_PLANS:
        keys = _weeks(agent_keys) if model is AgentWeek else agent_keys
        _replace(session, model, keys, columns, source)
    for model, columns, source in _TEAM_PLANS:
        keys = _weeks(team_keys) if model is ItemWeek else team_keys
        _replace(session, model, keys, columns, source)


_AGENT_PLANS = (
    (AgentDay, sources.AGENT_DAY_COLUMNS, sources.agent_day_rows),
    (AgentWeek, sources.AGENT_WEEK_COLUMNS, sources.agent_week_rows),
)
_TEAM_PLANS = (
    (TeamDay, sources.TEAM_DAY_COLUMNS, sources.team_day_rows),
    (KpiDay, sources.KPI_DAY_COLUMNS, sources.kpi_day_rows),
    (ItemDay, sources.ITEM_DAY_COLUMNS, sources.item_day_rows),
    (ItemWeek, sources.ITEM_WEEK_COLUMNS, sources.item_week_rows),
)


def rebuild(session: Session) -> dict[str, int]:
    """Recompute every rollup row from the raw rows; return the row count of each table."""
    if _postgres(session):
        names = ", ".join(model.__tablename__ for model in TABLES)
        session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    counts = {}
    for model, columns, source in (*_AGENT_PLANS, *_TEAM_PLANS):
        session.execute(delete(model))
        session.execute(insert(model).from_select(columns, source(true())))
        counts[model.__tablename__] = session.scalar(select(func.count()).select_from(model))
    return counts
