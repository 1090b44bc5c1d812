"""Dashboard aggregates read from the rollups (the same results as :mod:`queries`).

A view adds up one row per team (per agent for the per-agent score lines) and day, or, for
the two big ones (agent scores, item failures), per ISO week plus single days at the edges
of the range, so its cost no longer grows with the number of calls, scorecards and item
results. Views of a single agent read the raw rows instead: one agent's calls are few.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from qa.auth.models import Team, User
from qa.core.policy import visible_agent_ids
from qa.dashboards import queries
from qa.dashboards.buckets import as_date, bucket
from qa.dashboards.filters import DashboardFilter
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
from qa.dashboards.queries import ItemFailure, ScorePoint, WeekFigures
from qa.dashboards.sources import TEAM_FIGURES
from qa.db import db

Sums = dict[str, float]


def team_scope(user: User, flt: DashboardFilter, model: Any) -> list[Any] | None:
    """Return conditions limiting a team-keyed rollup to ``flt``'s team and ``user``'s reach.

    None means nothing is visible (a manager without a team, or asking for another team).
    Single-agent filters are not served from team rollups. Dates are left to the caller.
    """
    teams = {flt.team_id} if flt.team_id is not None else set()
    if user.role == "manager":
        teams.add(user.team_id)
    if None in teams or len(teams) > 1:
        return None
    return [model.team_id == teams.pop()] if teams else []


def _days(model: Any, start: date, end: date) -> list[Any]:
    return [model.day >= start, model.day <= end]


def split_weeks(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """Return the whole ISO weeks within ``start``-``end`` and the day spans outside them.

    The weeks are given as the Mondays of the first and last one, or None when none fits.
    """
    first = start + timedelta(days=-start.weekday() % 7)
    last = end - timedelta(days=(end.weekday() + 1) % 7) - timedelta(days=6)
    if last < first:
        return None, [(start, end)]
    edges = [(start, first - timedelta(days=1))] if start < first else []
    if last + timedelta(days=6) < end:
        edges.append((last + timedelta(days=7), end))
    return (first, last), edges


def _points(rows: Any) -> list[ScorePoint]:
    """Return score points from (week, key, label, total, n) rows, then everyone's per week."""
    points, overall = [], {}
    for week, key, label, total, n in rows:
        points.append(ScorePoint(week, key, label or "-", queries.mean(total, n) or 0.0, n))
        whole = overall.setdefault(week, [0.0, 0])
        whole[0] += total
        whole[1] += n
    points.sort(key=lambda p: (p.label, p.week))
    points += [
        ScorePoint(week, None, "", queries.mean(t, n) or 0.0, n)
        for week, (t, n) in sorted(overall.items())
    ]
    return points


def agent_scores(user: User, flt: DashboardFilter) -> list[ScorePoint]:
    """Return the weekly mean scorecard total per agent, then for everyone.

    Whole weeks come from ``AgentWeek``; days at the edges of the range from ``AgentDay``.
    """
    weeks, edges = split_weeks(flt.start, flt.end)
    sums: dict[tuple[date, int], list[float]] = {}

    def scope(model: Any) -> list[Any]:
        conditions = [model.agent_id != NOBODY, visible_agent_ids(user, model.agent_id)]
        if flt.team_id is not None:
            team = select(User.id).where(User.team_id == flt.team_id)
            conditions.append(model.agent_id.in_(team))
        return conditions

    def add(stmt: Any) -> None:
        for w, agent, total, n in db.session.execute(stmt):
            got = sums.setdefault((as_date(w), agent), [0.0, 0])
            got[0] += float(total)
            got[1] += int(n)

    if weeks is not None:
        a = AgentWeek
        add(
            select(a.week, a.agent_id, a.total, a.scorecards).where(
                a.week >= weeks[0], a.week <= weeks[1], *scope(a)
            )
        )
    for low, high in edges:
        a = AgentDay
        add(
            select(a.week, a.agent_id, func.sum(a.total), func.sum(a.scorecards))
            .where(*_days(a, low, high), *scope(a))
            .group_by(a.week, a.agent_id)
        )
    ids = sorted({agent for _week, agent in sums})
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
    return _points(
        (week, agent, names[agent], total, int(n))
        for (week, agent), (total, n) in sums.items()
        if agent in names
    )


def team_scores(user: User, flt: DashboardFilter) -> list[ScorePoint]:
    """Return the weekly mean scorecard total per team (None: agents without one), then all."""
    conditions = team_scope(user, flt, TeamDay)
    if conditions is None:
        return []
    week = bucket(TeamDay.day, "week").label("week")
    stmt = (
        select(week, TeamDay.team_id, func.sum(TeamDay.total), func.sum(TeamDay.scorecards))
        .where(*conditions, *_days(TeamDay, flt.start, flt.end), TeamDay.team_id != NO_AGENT)
        .group_by(week, TeamDay.team_id)
    )
    names = dict(db.session.execute(select(Team.id, Team.name)).all())
    return _points(
        (as_date(w), None if team == NO_TEAM else team, names.get(team), float(total), int(n))
        for w, team, total, n in db.session.execute(stmt)
        if n
    )


def weekly_sums(user: User, flt: DashboardFilter) -> dict[date, Sums]:
    """Return the summed ``TeamDay`` columns per week, in week order."""
    conditions = team_scope(user, flt, TeamDay)
    if conditions is None:
        return {}
    week = bucket(TeamDay.day, "week").label("week")
    columns = [func.sum(getattr(TeamDay, name)) for name in TEAM_FIGURES]
    stmt = (
        select(week, *columns)
        .where(*conditions, *_days(TeamDay, flt.start, flt.end))
        .group_by(week)
        .order_by(week)
    )
    return {
        as_date(w): dict(zip(TEAM_FIGURES, map(float, sums), strict=True))
        for w, *sums in db.session.execute(stmt)
    }


def handling_trend(weeks: dict[date, Sums], kpi: dict[Any, Any]) -> list[WeekFigures]:
    """Return per week the calls, their mean length and the mean imported AHT."""
    out = []
    for week, sums in weeks.items():
        aht = kpi.get(week, {}).get("aht", {"n": 0, "sum": 0.0})
        n = int(sums["calls"])
        values = {
            "calls": n,
            "duration": queries.mean(sums["duration"], n),
            "aht": queries.mean(aht["sum"], int(aht["n"])),
        }
        out.append(WeekFigures(week, values))
    return out


def conversation_trend(weeks: dict[date, Sums]) -> list[WeekFigures]:
    """Return per week the agents' mean talk share and the mean dead air per scorecard."""
    out = []
    for week, s in weeks.items():
        if not s["scorecards"]:
            continue
        ratio, dead = s["talk_ratio_n"], s["dead_air_n"]
        values = {
            "talk_ratio": round(100.0 * s["talk_ratio_sum"] / ratio, 2) if ratio else None,
            "dead_air": round(s["dead_air_sum"] / dead, 2) if dead else None,
            "scorecards": int(s["scorecards"]),
        }
        out.append(WeekFigures(week, values))
    return out


def agreement_trend(weeks: dict[date, Sums]) -> list[WeekFigures]:
    """Return per week the share of items left as scored on human-checked calls."""
    out = []
    for week, s in weeks.items():
        if s["checked_items"]:
            share = round(100.0 * s["agreed_items"] / s["checked_items"], 2)
            out.append(WeekFigures(week, {"agreement": share, "items": int(s["checked_items"])}))
    return out


def daily_volumes(user: User, flt: DashboardFilter) -> list[tuple[date, int]]:
    """Return the number of calls per day."""
    conditions = team_scope(user, flt, TeamDay)
    if conditions is None:
        return []
    stmt = (
        select(TeamDay.day, func.sum(TeamDay.calls))
        .where(*conditions, *_days(TeamDay, flt.start, flt.end))
        .group_by(TeamDay.day)
        .order_by(TeamDay.day)
    )
    return [(as_date(day), int(n)) for day, n in db.session.execute(stmt) if n]


def kpi_trend(user: User, flt: DashboardFilter) -> dict[date | None, dict[str, dict[str, float]]]:
    """Return KPI sums per week and kind (and overall under ``None``), as ``queries``."""
    out: dict[date | None, dict[str, dict[str, float]]] = {None: {}}
    conditions = team_scope(user, flt, KpiDay)
    if conditions is None:
        return out
    week = bucket(KpiDay.day, "week").label("week")
    names = ("n", "total", "ge9", "le6", "ge4")
    stmt = (
        select(week, KpiDay.kind, *(func.sum(getattr(KpiDay, name)) for name in names))
        .where(*conditions, *_days(KpiDay, flt.start, flt.end))
        .group_by(week, KpiDay.kind)
    )
    for w, kind, n, total, high9, low6, high4 in db.session.execute(stmt):
        sums = {"n": int(n), "sum": float(total), "ge9": high9, "le6": low6, "ge4": high4}
        out.setdefault(as_date(w), {})[kind] = sums
        whole = out[None].setdefault(kind, dict.fromkeys(sums, 0.0))
        for name, value in sums.items():
            whole[name] += float(value)
    return out


def item_failures(user: User, flt: DashboardFilter, limit: int | None = 15) -> list[ItemFailure]:
    """Return the items that failed most often (rate where applicable), worst first.

    Whole weeks come from ``ItemWeek``; days at the edges of the range from ``ItemDay``.
    """
    weeks, edges = split_weeks(flt.start, flt.end)
    spans = [(ItemDay, ItemDay.day, low, high) for low, high in edges]
    if weeks is not None:
        spans.append((ItemWeek, ItemWeek.week, *weeks))
    sums: dict[tuple[str, str], list[Any]] = {}
    for model, when, low, high in spans:
        conditions = team_scope(user, flt, model)
        if conditions is None:
            return []
        stmt = (
            select(
                model.item_key,
                model.section,
                func.max(model.title),
                func.sum(model.failed),
                func.sum(model.applicable),
            )
            .where(when >= low, when <= high, *conditions)
            .group_by(model.item_key, model.section)
        )
        for key, section, title, failed, applicable in db.session.execute(stmt):
            got = sums.setdefault((key, section), [title, 0, 0])
            got[0] = max(got[0], title)
            got[1] += int(failed or 0)
            got[2] += int(applicable or 0)
    rows = [ItemFailure(k, s, t, f, a) for (k, s), (t, f, a) in sums.items() if a]
    rows.sort(key=lambda r: (-r.rate, -r.failed, r.section, r.item_key))
    return rows[:limit]
