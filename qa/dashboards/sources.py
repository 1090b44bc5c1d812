"""SELECTs computing rollup rows from the raw calls, scorecards, item results and KPI values.

Each function takes a condition on ``Call`` choosing the calls whose rows are recomputed
(``true()``: all of them); the team-keyed ones join the agent's current ``User`` row.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from qa.auth.models import User
from qa.calls.models import Call
from qa.dashboards.buckets import bucket, call_time, day_range
from qa.dashboards.models import NO_AGENT, NO_TEAM, NOBODY
from qa.kpis.models import KpiValue
from qa.review.services import reviewed_condition
from qa.scorecards.models import ItemResultRecord, ScorecardRecord

AGENT_DAY_COLUMNS = ("day", "agent_id", "week", "scorecards", "total")
AGENT_WEEK_COLUMNS = ("week", "agent_id", "scorecards", "total")
TEAM_FIGURES = (
    "calls",
    "duration",
    "scorecards",
    "total",
    "talk_ratio_sum",
    "talk_ratio_n",
    "dead_air_sum",
    "dead_air_n",
    "checked_items",
    "agreed_items",
)
TEAM_DAY_COLUMNS = ("day", "team_id", *TEAM_FIGURES)
KPI_DAY_COLUMNS = ("day", "team_id", "kind", "n", "total", "ge9", "le6", "ge4")
ITEM_DAY_COLUMNS = (
    "day",
    "team_id",
    "item_key",
    "section",
    "title",
    "items",
    "failed",
    "applicable",
)
ITEM_WEEK_COLUMNS = ("week", *ITEM_DAY_COLUMNS[1:])


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def call_day() -> ColumnElement[Any]:
    """Return the day a call counts for, as the dashboard buckets it."""
    return bucket(call_time(), "day")


def call_agent() -> ColumnElement[Any]:
    """Return a call's agent id, ``NOBODY`` when it has none."""
    return func.coalesce(Call.agent_id, NOBODY)


def call_team() -> ColumnElement[Any]:
    """Return the current team of a call's agent (needs ``User`` outer-joined on the agent)."""
    return case((Call.agent_id.is_(None), NO_AGENT), else_=func.coalesce(User.team_id, NO_TEAM))


def agents_condition(agent_ids: set[int]) -> ColumnElement[bool]:
    """Return a condition on ``Call`` holding for calls of these agents (``NOBODY``: none)."""
    real = sorted(a for a in agent_ids if a != NOBODY)
    parts = [Call.agent_id.in_(real)] if real else []
    if NOBODY in agent_ids:
        parts.append(Call.agent_id.is_(None))
    return or_(*parts) if parts else false()


def teams_condition(team_ids: set[int]) -> ColumnElement[bool]:
    """Return a condition on ``Call`` holding for calls whose agent is now in these teams."""
    real = sorted(t for t in team_ids if t not in (NO_TEAM, NO_AGENT))
    parts = []
    if real:
        parts.append(Call.agent_id.in_(select(User.id).where(User.team_id.in_(real))))
    if NO_TEAM in team_ids:
        parts.append(Call.agent_id.in_(select(User.id).where(User.team_id.is_(None))))
    if NO_AGENT in team_ids:
        parts.append(Call.agent_id.is_(None))
    return or_(*parts) if parts else false()


def days_condition(keys: dict[date, set[int]], owner: Any, days: int = 1) -> ColumnElement[bool]:
    """Return a condition on ``Call`` for the calls of the given days (or weeks) and owners.

    ``keys`` maps a day (with ``days=7``: a Monday) to agent ids (``owner=agents_condition``)
    or team ids (``owner=teams_condition``).
    """
    parts = []
    for day, ids in sorted(keys.items()):
        low, high = day_range(day, day + timedelta(days=days - 1))
        # coalesce(started_at, created_at) in [low, high), spelled so that each branch can
        # use the (agent_id, started_at) index
        started = and_(owner(ids), Call.started_at >= low, Call.started_at < high)
        received = and_(
            owner(ids), Call.started_at.is_(None), Call.created_at >= low, Call.created_at < high
        )
        parts += [started, received]
    return or_(*parts) if parts else false()


def agent_day_rows(where: ColumnElement[bool]) -> Select[Any]:
    """Return the ``AgentDay`` rows of the calls matching ``where``, in AGENT_DAY_COLUMNS."""
    day, agent = call_day().label("day"), call_agent().label("agent_id")
    week = func.min(bucket(call_time(), "week"))
    return (
        select(day, agent, week, func.count(ScorecardRecord.id), func.sum(ScorecardRecord.total))
        .select_from(Call)
        .join(ScorecardRecord, ScorecardRecord.call_id == Call.id)
        .where(where)
        .group_by(day, agent)
    )


def agent_week_rows(where: ColumnElement[bool]) -> Select[Any]:
    """Return the ``AgentWeek`` rows of the calls matching ``where``, in AGENT_WEEK_COLUMNS."""
    week, agent = bucket(call_time(), "week").label("week"), call_agent().label("agent_id")
    return (
        select(week, agent, func.count(ScorecardRecord.id), func.sum(ScorecardRecord.total))
        .select_from(Call)
        .join(ScorecardRecord, ScorecardRecord.call_id == Call.id)
        .where(where)
        .group_by(week, agent)
    )


def team_day_rows(where: ColumnElement[bool]) -> Select[Any]:
    """Return the ``TeamDay`` rows of the calls matching ``where``, in TEAM_DAY_COLUMNS.

    Three kinds of rows (calls, scorecards, items of human-checked scorecards) are unioned,
    each filling its own columns, and summed per day and team.
    """
    day, team, one = call_day().label("day"), call_team().label("team_id"), literal_column("1")
    metrics = ScorecardRecord.data
    ratio = metrics[("metrics", "talk_ratio_agent")].as_float()
    dead_air = metrics[("metrics", "dead_air_total")].as_float()
    no_float, no_int = cast(null(), Float), cast(null(), Integer)  # typed for PostgreSQL
    calls = (
        select(
            day,
            team,
            one.label("call"),
            Call.duration.label("duration"),
            no_float.label("total"),
            no_float.label("ratio"),
            no_float.label("dead_air"),
            no_int.label("agreed"),
        )  # fmt: skip
        .select_from(Call)
        .outerjoin(User, User.id == Call.agent_id)
        .where(where)
    )
    cards = (
        select(day, team, null(), null(), ScorecardRecord.total, ratio, dead_air, null())
        .select_from(Call)
        .outerjoin(User, User.id == Call.agent_id)
        .join(ScorecardRecord, ScorecardRecord.call_id == Call.id)
        .where(where)
    )
    item = ItemResultRecord
    agreed = case((item.result == item.auto_result, 1), else_=0)
    checked = (
        select(day, team, null(), null(), null(), null(), null(), agreed)
        .select_from(Call)
        .outerjoin(User, User.id == Call.agent_id)
        .join(ScorecardRecord, ScorecardRecord.call_id == Call.id)
        .join(item, item.scorecard_id == ScorecardRecord.id)
        .where(where)
        .where(or_(reviewed_condition(), ScorecardRecord.total != ScorecardRecord.auto_total))
    )
    u = union_all(calls, cards, checked).subquery()
    return select(
        u.c.day,
        u.c.team_id,
        func.count(u.c.call),
        func.coalesce(func.sum(u.c.duration), 0.0),
        func.count(u.c.total),
        func.coalesce(func.sum(u.c.total), 0.0),
        func.coalesce(func.sum(u.c.ratio), 0.0),
        func.count(u.c.ratio),
        func.coalesce(func.sum(u.c.dead_air), 0.0),
        func.count(u.c.dead_air),
        func.count(u.c.agreed),
        func.coalesce(func.sum(u.c.agreed), 0),
    ).group_by(u.c.day, u.c.team_id)


def kpi_day_rows(where: ColumnElement[bool]) -> Select[Any]:
    """Return the ``KpiDay`` rows of the calls matching ``where``, in KPI_DAY_COLUMNS."""
    day, team, v = call_day().label("day"), call_team().label("team_id"), KpiValue.value
    return (
        select(
            day,
            team,
            KpiValue.kind,
            func.count(KpiValue.id),
            func.sum(v),
            _count_if(v >= 9),
            _count_if(v <= 6),
            _count_if(v >= 4),
        )  # fmt: skip
        .select_from(Call)
        .outerjoin(User, User.id == Call.agent_id)
        .join(KpiValue, KpiValue.call_id == Call.id)
        .where(where)
        .group_by(day, team, KpiValue.kind)
    )


def item_day_rows(where: ColumnElement[bool], unit: str = "day") -> Select[Any]:
    """Return the ``ItemDay`` rows (``ItemWeek`` with ``unit="week"``) of calls ``where`` holds."""
    item = ItemResultRecord
    day, team = bucket(call_time(), unit).label(unit), call_team().label("team_id")
    return (
        select(
            day,
            team,
            item.item_key,
            item.section,
            item.title,
            func.count(item.id),
            _count_if(item.result == "fail"),
            _count_if(item.result != "na"),
        )  # fmt: skip
        .select_from(item)
        .join(Call, Call.id == item.call_id)
        .outerjoin(User, User.id == Call.agent_id)
        .where(where)
        .group_by(day, team, item.item_key, item.section, item.title)
    )


def item_week_rows(where: ColumnElement[bool]) -> Select[Any]:
    """Return the ``ItemWeek`` rows of the calls matching ``where``, in ITEM_WEEK_COLUMNS."""
    return item_day_rows(where, "week")
