"""Dashboard aggregates, grouped in SQL (one query per chart, whatever the number of calls)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import case, func, or_, select

from qa.auth.models import Team, User
from qa.calls.models import Call
from qa.dashboards.buckets import as_date, bucket, call_time
from qa.dashboards.filters import DashboardFilter
from qa.db import db
from qa.kpis.models import KpiValue
from qa.review.services import reviewed_condition
from qa.scorecards.models import ItemResultRecord, ScorecardRecord

GROUPINGS = ("agent", "team")


class ScorePoint(NamedTuple):
    """The mean scorecard total of one agent or team (or everyone: key None) in one week.

    A named tuple of plain values, which the garbage collector stops tracking: a dashboard
    holds thousands of these, and tracked objects make full collections more frequent.
    """

    week: date
    key: int | None
    label: str
    mean: float
    scorecards: int


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """How often one rubric item failed where it applied."""

    item_key: str
    section: str
    title: str
    failed: int
    applicable: int

    @property
    def rate(self) -> float:
        """Return the failure rate in percent."""
        return 100.0 * self.failed / self.applicable if self.applicable else 0.0


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """Named weekly figures (means, counts) of one week."""

    week: date
    values: dict[str, float | None]


def _sum_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def mean(total: Any, count: Any) -> float | None:
    """Return ``total / count`` rounded to 3 places, or None without any count."""
    return round(float(total) / count, 3) if count else None


def score_trend(user: User, flt: DashboardFilter, by: str = "agent") -> list[ScorePoint]:
    """Return the weekly mean scorecard total per agent or team, then for everyone."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")
    week = bucket(call_time(), "week").label("week")
    key = (User.id if by == "agent" else User.team_id).label("key")
    label = (func.max(User.name) if by == "agent" else func.max(Team.name)).label("label")
    stmt = (
        select(week, key, label, func.sum(ScorecardRecord.total), func.count(ScorecardRecord.id))
        .select_from(Call)
        .join(ScorecardRecord, ScorecardRecord.call_id == Call.id)
        .join(User, User.id == Call.agent_id)
        .outerjoin(Team, Team.id == User.team_id)
        .group_by(week, key)
    )
    points, overall = [], {}
    for w, k, name, total, n in db.session.execute(flt.restrict(user, stmt)):
        day = as_date(w)
        points.append(ScorePoint(day, k, name or "-", mean(total, n) or 0.0, n))
        got = overall.setdefault(day, [0.0, 0])
        got[0], got[1] = got[0] + float(total), got[1] + n
    points.sort(key=lambda p: (p.label, p.week))
    points += [
        ScorePoint(day, None, "", mean(t, n) or 0.0, n) for day, (t, n) in sorted(overall.items())
    ]
    return points


def item_failures(user: User, flt: DashboardFilter, limit: int | None = 15) -> list[ItemFailure]:
    """Return the items that failed most often (rate where applicable), worst first (all: None)."""
    item = ItemResultRecord
    failed = _sum_if(item.result == "fail")
    applicable = _sum_if(item.result != "na")
    stmt = (
        select(item.item_key, item.section, func.max(item.title), failed, applicable)
        .where(item.call_id.in_(flt.call_ids(user)))
        .group_by(item.item_key, item.section)
    )
    rows = [
        ItemFailure(k, s, t, int(f or 0), int(a or 0))
        for k, s, t, f, a in db.session.execute(stmt)
        if a
    ]
    rows.sort(key=lambda r: (-r.rate, -r.failed, r.section, r.item_key))
    return rows[:limit]


def agreement_trend(user: User, flt: DashboardFilter) -> list[WeekFigures]:
    """Return per week the share of items a human left as the engine scored them.

    Only calls a human looked at count: marked reviewed, or with a changed total.
    """
    item = ItemResultRecord
    week = bucket(call_time(), "week").label("week")
    checked = flt.restrict(
        user,
        select(ScorecardRecord.id)
        .select_from(Call)
        .join(ScorecardRecord, ScorecardRecord.call_id == Call.id)
        .where(or_(reviewed_condition(), ScorecardRecord.total != ScorecardRecord.auto_total)),
    )
    stmt = (
        select(week, _sum_if(item.result == item.auto_result), func.count(item.id))
        .select_from(item)
        .join(Call, Call.id == item.call_id)
        .where(item.scorecard_id.in_(checked))
        .group_by(week)
        .order_by(week)
    )
    out = []
    for w, same, n in db.session.execute(stmt):
        share = round(100.0 * float(same) / n, 2) if n else None
        out.append(WeekFigures(as_date(w), {"agreement": share, "items": n}))
    return out


def daily_volumes(user: User, flt: DashboardFilter) -> list[tuple[date, int]]:
    """Return the number of calls per day."""
    day = bucket(call_time(), "day").label("day")
    stmt = select(day, func.count(Call.id)).group_by(day).order_by(day)
    return [(as_date(d), n) for d, n in db.session.execute(flt.restrict(user, stmt))]


def handling_trend(user: User, flt: DashboardFilter) -> list[WeekFigures]:
    """Return per week the calls, their mean recorded length and the mean imported AHT."""
    week = bucket(call_time(), "week").label("week")
    calls = select(week, func.count(Call.id), func.sum(Call.duration)).group_by(week)
    aht = (
        select(week, func.count(KpiValue.id), func.sum(KpiValue.value))
        .select_from(Call)
        .join(KpiValue, KpiValue.call_id == Call.id)
        .where(KpiValue.kind == "aht")
        .group_by(week)
    )
    imported = {as_date(w): (n, s) for w, n, s in db.session.execute(flt.restrict(user, aht))}
    out = []
    for w, n, total in db.session.execute(flt.restrict(user, calls)):
        n_aht, s_aht = imported.get(as_date(w), (0, 0.0))
        values = {"calls": n, "duration": mean(total or 0.0, n), "aht": mean(s_aht, n_aht)}
        out.append(WeekFigures(as_date(w), values))
    return sorted(out, key=lambda f: f.week)


def conversation_trend(user: User, flt: DashboardFilter) -> list[WeekFigures]:
    """Return per week the agent's mean share of talk time and the mean dead air per call."""
    week = bucket(call_time(), "week").label("week")
    metrics = ScorecardRecord.data
    ratio = metrics[("metrics", "talk_ratio_agent")].as_float()
    dead_air = metrics[("metrics", "dead_air_total")].as_float()
    stmt = (
        select(week, func.avg(ratio), func.avg(dead_air), func.count(ScorecardRecord.id))
        .select_from(Call)
        .join(ScorecardRecord, ScorecardRecord.call_id == Call.id)
        .group_by(week)
        .order_by(week)
    )
    out = []
    for w, r, d, n in db.session.execute(flt.restrict(user, stmt)):
        values = {
            "talk_ratio": None if r is None else round(100.0 * float(r), 2),
            "dead_air": None if d is None else round(float(d), 2),
            "scorecards": n,
        }
        out.append(WeekFigures(as_date(w), values))
    return out


def kpi_trend(user: User, flt: DashboardFilter) -> dict[date | None, dict[str, dict[str, float]]]:
    """Return raw KPI sums per week and kind (and overall under ``None``) for the KPI panel."""
    week = bucket(call_time(), "week").label("week")
    v = KpiValue.value
    stmt = (
        select(
            week,
            KpiValue.kind,
            func.count(KpiValue.id),
            func.sum(v),
            _sum_if(v >= 9),
            _sum_if(v <= 6),
            _sum_if(v >= 4),
        )
        .select_from(Call)
        .join(KpiValue, KpiValue.call_id == Call.id)
        .group_by(week, KpiValue.kind)
    )
    out: dict[date | None, dict[str, dict[str, float]]] = {None: {}}
    for w, kind, n, total, high9, low6, high4 in db.session.execute(flt.restrict(user, stmt)):
        sums = {"n": n, "sum": float(total), "ge9": high9, "le6": low6, "ge4": high4}
        out.setdefault(as_date(w), {})[kind] = sums
        whole = out[None].setdefault(kind, dict.fromkeys(sums, 0.0))
        for name, value in sums.items():
            whole[name] += float(value)
    return out
