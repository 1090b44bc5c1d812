"""Build a team's weekly report from the dashboard aggregates of two weeks."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from qa.auth.models import Team, User
from qa.calls.models import Call
from qa.dashboards import queries
from qa.dashboards.buckets import week_start
from qa.dashboards.filters import DashboardFilter
from qa.dashboards.kpis import kpi_figures
from qa.db import db
from qa.reports.models import CallRef, Movement, WeeklyReport
from qa.scorecards.models import ItemResultRecord, ScorecardRecord

CALLS_PER_MOVEMENT = 3
LISTED_CALLS = 5
ITEMS_WITH_CALLS = 5


class ReportError(ValueError):
    """A report cannot be built as asked; the message says why."""


def _week_filter(team_id: int, week: date) -> DashboardFilter:
    return DashboardFilter(week, week + timedelta(days=6), team_id=team_id)


def _scorecards(
    user: User, flt: DashboardFilter
) -> list[tuple[int, int | None, str, float, float, bool]]:
    stmt = (
        select(
            Call.id,
            Call.agent_id,
            User.name,
            ScorecardRecord.total,
            ScorecardRecord.auto_total,
            ScorecardRecord.passed,
        )
        .select_from(Call)
        .join(ScorecardRecord, ScorecardRecord.call_id == Call.id)
        .outerjoin(User, User.id == Call.agent_id)
    )
    return [tuple(r) for r in db.session.execute(flt.restrict(user, stmt))]


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _worst(cards: list[tuple], limit: int) -> list[CallRef]:
    seen, out = set(), []
    for call_id, _agent, name, total, auto, _passed in sorted(cards, key=lambda c: c[3]):
        if call_id not in seen:
            seen.add(call_id)
            out.append(CallRef(call_id, name or "-", total, auto))
        if len(out) == limit:
            break
    return out


def _headline(
    user: User, team_id: int, week: date, cards: dict[date, list[tuple]]
) -> list[Movement]:
    both = DashboardFilter(week - timedelta(days=7), week + timedelta(days=6), team_id=team_id)
    handling = {f.week: f.values for f in queries.handling_trend(user, both)}
    kpi = queries.kpi_trend(user, both)
    last = week - timedelta(days=7)
    kpis = {w: kpi_figures(kpi.get(w, {})) for w in (week, last)}

    def pair(values: dict[date, dict], key: str) -> tuple[float | None, float | None]:
        return (values.get(week) or {}).get(key), (values.get(last) or {}).get(key)

    def stat(fn):  # type: ignore[no-untyped-def]
        return fn(cards[week]), fn(cards[last])

    def pass_rate(rows: list[tuple]) -> float | None:
        return _mean([100.0 if r[5] else 0.0 for r in rows])

    worst = _worst(cards[week], CALLS_PER_MOVEMENT)
    rows = [
        ("calls", _("Calls"), pair(handling, "calls"), [], True),
        ("score", _("Mean QA score"), stat(lambda r: _mean([c[3] for c in r])), worst, True),
        ("pass_rate", _("Pass rate (%)"), stat(pass_rate), worst, True),
        ("duration", _("Mean call length (s)"), pair(handling, "duration"), [], False),
        ("aht", _("AHT (s)"), pair(kpis, "aht"), [], False),
        ("fcr", _("FCR (%)"), pair(kpis, "fcr"), [], True),
        ("csat", _("CSAT (1-5)"), pair(kpis, "csat"), [], True),
        ("nps", _("NPS"), pair(kpis, "nps"), [], True),
    ]
    return [
        Movement("headline", key, label, now, before, calls, better, 0 if key == "calls" else 1)
        for key, label, (now, before), calls, better in rows
    ]


def _agents(cards: dict[date, list[tuple]], week: date) -> list[Movement]:
    by_agent: dict[int, dict[date, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, str] = {}
    for day, rows in cards.items():
        for row in rows:
            if row[1] is not None:
                by_agent[row[1]][day].append(row)
                names[row[1]] = row[2] or "-"
    out = []
    for agent_id, weeks in by_agent.items():
        now = _mean([c[3] for c in weeks[week]])
        before = _mean([c[3] for c in weeks[week - timedelta(days=7)]])
        worst = _worst(weeks[week], CALLS_PER_MOVEMENT)
        out.append(Movement("agent", str(agent_id), names[agent_id], now, before, worst))
    out.sort(key=lambda m: (m.delta is None, m.delta if m.delta is not None else 0, m.label))
    return out


def _failed_calls(
    user: User, flt: DashboardFilter, item_keys: list[str]
) -> dict[str, list[CallRef]]:
    if not item_keys:
        return {}
    stmt = (
        select(ItemResultRecord.item_key, Call.id, User.name)
        .select_from(Call)
        .join(ItemResultRecord, ItemResultRecord.call_id == Call.id)
        .outerjoin(User, User.id == Call.agent_id)
        .where(ItemResultRecord.item_key.in_(item_keys), ItemResultRecord.result == "fail")
        .order_by(Call.id.desc())
    )
    out: dict[str, list[CallRef]] = defaultdict(list)
    for key, call_id, name in db.session.execute(flt.restrict(user, stmt)):
        if len(out[key]) < CALLS_PER_MOVEMENT and all(c.call_id != call_id for c in out[key]):
            out[key].append(CallRef(call_id, name or "-"))
    return out


def _items(user: User, team_id: int, week: date) -> list[Movement]:
    now = {
        (r.section, r.item_key): r
        for r in queries.item_failures(user, _week_filter(team_id, week), None)
    }
    before = {
        (r.section, r.item_key): r
        for r in queries.item_failures(user, _week_filter(team_id, week - timedelta(days=7)), None)
    }
    out, item_keys = [], {}
    for key in sorted(set(now) | set(before)):
        row = now.get(key) or before[key]
        movement = Movement(
            "item",
            f"{key[0]}.{key[1]}",
            f"{row.section} · {row.title}",
            round(now[key].rate, 2) if key in now else None,
            round(before[key].rate, 2) if key in before else None,
            higher_is_better=False,
        )
        item_keys[id(movement)] = key[1]
        out.append(movement)
    out.sort(key=lambda m: (-(abs(m.delta) if m.delta is not None else -1), m.key))
    movers = [m for m in out[:ITEMS_WITH_CALLS] if (m.this_week or 0) > 0]
    flt = _week_filter(team_id, week)
    failed = _failed_calls(user, flt, sorted({item_keys[id(m)] for m in movers}))
    for m in movers:
        m.calls = failed.get(item_keys[id(m)], [])
    return out


def weekly_report(user: User, team_id: int, day: date) -> WeeklyReport:
    """Return the report of ``team_id`` for the ISO week holding ``day``, against the week before."""
    team = db.session.get(Team, team_id)
    if team is None:
        raise ReportError(_("There is no such team."))
    week = week_start(day)
    cards: dict[date, list[tuple]] = {
        w: _scorecards(user, _week_filter(team_id, w)) for w in (week, week - timedelta(days=7))
    }
    changed: dict[int, tuple] = {}
    for row in sorted(cards[week], key=lambda r: -abs(r[3] - r[4])):
        if abs(row[3] - row[4]) > 1e-9:
            changed.setdefault(row[0], row)
    return WeeklyReport(
        team_id=team.id,
        team_name=team.name,
        week=week,
        headline=_headline(user, team_id, week, cards),
        agents=_agents(cards, week),
        items=_items(user, team_id, week),
        worst_calls=_worst(cards[week], LISTED_CALLS),
        changed_calls=[
            CallRef(r[0], r[2] or "-", r[3], r[4]) for r in list(changed.values())[:LISTED_CALLS]
        ],
    )
