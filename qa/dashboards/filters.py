"""What a dashboard shows: a date range, optionally one team or agent, within the user's reach."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from qa.auth.models import Team, User
from qa.calls.models import Call
from qa.core.policy import REVIEWERS, visible_agents, visible_calls
from qa.dashboards.buckets import call_time, day_range, week_start
from qa.db import db

DEFAULT_WEEKS = 12
MAX_DAYS = 800


class FilterError(ValueError):
    """A dashboard filter value is invalid; the message says which."""


@dataclass(frozen=True)
class DashboardFilter:
    """Days ``start`` to ``end`` inclusive, optionally narrowed to a team or an agent."""

    start: date
    end: date
    team_id: int | None = None
    agent_id: int | None = None

    def restrict(self, user: User, stmt: Select[Any]) -> Select[Any]:
        """Return ``stmt`` (selecting from ``Call``) limited to this filter and ``user``'s reach."""
        low, high = day_range(self.start, self.end)
        moment = call_time()
        stmt = visible_calls(user, stmt).where(moment >= low, moment < high)
        if self.team_id is not None:
            stmt = stmt.where(
                Call.agent_id.in_(select(User.id).where(User.team_id == self.team_id))
            )
        if self.agent_id is not None:
            stmt = stmt.where(Call.agent_id == self.agent_id)
        return stmt

    def call_ids(self, user: User) -> Select[Any]:
        """Return the ids of the calls in this filter and ``user``'s reach (a subquery).

        Item-level queries use ``call_id IN (...)`` so that the database walks the item index
        per call instead of scanning every item result.
        """
        return self.restrict(user, select(Call.id))

    def key(self, user: User) -> tuple[Any, ...]:
        """Return a cache key: the filter plus what decides ``user``'s reach."""
        reach = user.id if user.role not in REVIEWERS and user.role != "manager" else user.team_id
        return (self.start, self.end, self.team_id, self.agent_id, user.role, reach)


def _int(raw: str | None, name: Any) -> int | None:
    if raw is None or not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError:
        raise FilterError(_("%(name)s must be a number.", name=name)) from None


def _day(raw: str | None, name: Any, default: date) -> date:
    if raw is None or not raw.strip():
        return default
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise FilterError(_("%(name)s must be a date (YYYY-MM-DD).", name=name)) from None


def default_filter(today: date, weeks: int = DEFAULT_WEEKS) -> DashboardFilter:
    """Return the last ``weeks`` ISO weeks up to ``today``."""
    return DashboardFilter(week_start(today) - timedelta(weeks=weeks - 1), today)


def parse_filter(args: Mapping[str, str], user: User, today: date) -> DashboardFilter:
    """Return the filter named by query arguments; raise :class:`FilterError` when invalid.

    Agents always see only themselves and managers only their own team, whatever is asked.
    """
    base = default_filter(today)
    start = _day(args.get("start"), _l("Start"), base.start)
    end = _day(args.get("end"), _l("End"), base.end)
    if end < start:
        raise FilterError(_("The end date is before the start date."))
    if (end - start).days > MAX_DAYS:
        raise FilterError(_("Choose at most %(n)d days.", n=MAX_DAYS))
    team_id = _int(args.get("team"), _l("Team"))
    agent_id = _int(args.get("agent"), _l("Agent"))
    if user.role == "agent":
        return DashboardFilter(start, end, None, user.id)
    if user.role == "manager":
        team_id = user.team_id
    if (
        agent_id is not None
        and db.session.scalar(visible_agents(user, select(User.id)).where(User.id == agent_id))
        is None
    ):
        raise FilterError(_("There is no such agent."))
    return DashboardFilter(start, end, team_id, agent_id)


def filter_choices(user: User) -> dict[str, list[tuple[int, str]]]:
    """Return the teams and agents ``user`` may filter by."""
    if user.role == "agent":
        return {"teams": [], "agents": []}
    teams = select(Team.id, Team.name).order_by(Team.name)
    if user.role == "manager":
        teams = teams.where(Team.id == user.team_id)
    agents = visible_agents(user, select(User.id, User.name)).order_by(User.name)
    return {
        "teams": [tuple(r) for r in db.session.execute(teams)],
        "agents": [tuple(r) for r in db.session.execute(agents)],
    }
