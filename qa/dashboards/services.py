"""Dashboard data for a user and a filter, cached briefly; ``invalidate`` drops the cache.

Scores, overrides, KPI imports and new calls invalidate it automatically: a session hook
(installed when the blueprint is registered) calls :func:`invalidate` after any flush that
writes scorecards, item results or KPI values, or adds or deletes calls. The cache lives in
each process; with several web processes the others catch up after DASHBOARD_CACHE_SECONDS.

Because that hook clears the cache on every score, a cold computation must be fast: team and
all-teams views read the per-day rollups (:mod:`qa.dashboards.summaries`, kept current by
:mod:`qa.dashboards.tracking`); single-agent views read the agent's raw rows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from qa.auth.models import User
from qa.calls.models import Call
from qa.dashboards import queries, summaries
from qa.dashboards.filters import DashboardFilter
from qa.dashboards.kpis import kpi_figures
from qa.kpis.models import KpiValue
from qa.scorecards.models import ItemResultRecord, ScorecardRecord

SCORES = (ScorecardRecord, ItemResultRecord, KpiValue)
WATCHED = (Call, *SCORES)

_cache: dict[tuple[Any, ...], tuple[float, Any]] = {}
_lock = threading.Lock()
_installed = {"hook": False}


def invalidate() -> None:
    """Drop every cached aggregate (call after writing scores, overrides or KPI values)."""
    with _lock:
        _cache.clear()


def cached(key: tuple[Any, ...], seconds: float, compute: Callable[[], Any]) -> Any:
    """Return the value cached under ``key`` if fresher than ``seconds``, else compute it."""
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
    if seconds > 0 and hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    if seconds > 0:
        with _lock:
            _cache[key] = (now + seconds, value)
    return value


def _after_flush(session: Session, _context: Any) -> None:
    # a call's status changes all through processing; only new or removed calls count
    added_or_removed = (*session.new, *session.deleted)
    if any(isinstance(obj, WATCHED) for obj in added_or_removed) or any(
        isinstance(obj, SCORES) for obj in session.dirty
    ):
        invalidate()


def install_invalidation() -> None:
    """Invalidate the cache whenever a flush writes calls, scores or KPI values (once)."""
    if not _installed["hook"]:
        event.listen(Session, "after_flush", _after_flush)
        _installed["hook"] = True


@dataclass
class DashboardData:
    """Everything the dashboard charts and panels show."""

    scores_by_agent: list[queries.ScorePoint]
    scores_by_team: list[queries.ScorePoint]
    failures: list[queries.ItemFailure]
    agreement: list[queries.WeekFigures]
    volumes: list[tuple[date, int]]
    handling: list[queries.WeekFigures]
    conversation: list[queries.WeekFigures]
    kpis: dict[str, float | None]
    kpi_weeks: list[tuple[date, dict[str, float | None]]]


@dataclass(frozen=True, slots=True)
class AgentSummary:
    """One agent's mean scorecard total over the whole period."""

    agent_id: int
    name: str
    mean: float
    scorecards: int


def agent_summaries(points: list[queries.ScorePoint]) -> list[AgentSummary]:
    """Return each agent's period mean from the weekly points, lowest mean first."""
    sums: dict[int, list[Any]] = {}
    for p in points:
        if p.key is not None:
            got = sums.setdefault(p.key, [p.label, 0.0, 0])
            got[1], got[2] = got[1] + p.mean * p.scorecards, got[2] + p.scorecards
    rows = [AgentSummary(k, name, round(t / n, 1), n) for k, (name, t, n) in sums.items() if n]
    return sorted(rows, key=lambda r: (r.mean, r.name))


def raw_dashboard(user: User, flt: DashboardFilter) -> DashboardData:
    """Return the dashboard computed from the raw rows (one agent's view; tests compare)."""
    kpi = queries.kpi_trend(user, flt)
    return DashboardData(
        scores_by_agent=queries.score_trend(user, flt, "agent"),
        scores_by_team=queries.score_trend(user, flt, "team") if user.role != "agent" else [],
        failures=queries.item_failures(user, flt),
        agreement=queries.agreement_trend(user, flt),
        volumes=queries.daily_volumes(user, flt),
        handling=queries.handling_trend(user, flt),
        conversation=queries.conversation_trend(user, flt),
        kpis=kpi_figures(kpi.pop(None)),
        kpi_weeks=[(week, kpi_figures(sums)) for week, sums in sorted(kpi.items())],
    )


def rollup_dashboard(user: User, flt: DashboardFilter) -> DashboardData:
    """Return the dashboard of a team or everyone, read from the per-day rollups."""
    weeks = summaries.weekly_sums(user, flt)
    kpi = summaries.kpi_trend(user, flt)
    return DashboardData(
        scores_by_agent=summaries.agent_scores(user, flt),
        scores_by_team=summaries.team_scores(user, flt),
        failures=summaries.item_failures(user, flt),
        agreement=summaries.agreement_trend(weeks),
        volumes=summaries.daily_volumes(user, flt),
        handling=summaries.handling_trend(weeks, kpi),
        conversation=summaries.conversation_trend(weeks),
        kpis=kpi_figures(kpi.pop(None)),
        kpi_weeks=[(week, kpi_figures(sums)) for week, sums in sorted(kpi.items())],
    )


def _compute(user: User, flt: DashboardFilter) -> DashboardData:
    if user.role == "agent" or flt.agent_id is not None:
        return raw_dashboard(user, flt)
    return rollup_dashboard(user, flt)


def dashboard_data(user: User, flt: DashboardFilter, cache_seconds: float = 0) -> DashboardData:
    """Return the dashboard aggregates ``user`` may see under ``flt``."""
    return cached(("dashboard", *flt.key(user)), cache_seconds, lambda: _compute(user, flt))
