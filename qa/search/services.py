"""The call list: filters, full-text search, sorting, capped counts and snippets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import selectinload

from qa.auth.models import User
from qa.calls.models import Call, TranscriptRecord
from qa.core.policy import visible_calls
from qa.db import db
from qa.queue.lookups import reviewed_call_ids
from qa.rubrics.models import RubricRecord, RubricVersion
from qa.scorecards.models import ScorecardRecord
from qa.search.filters import CallFilters, FilterError
from qa.search.fulltext import transcript_match
from qa.search.highlight import snippet
from qa.search.terms import search_terms


@dataclass
class ScoreLine:
    """One of a call's scorecards as the list shows it."""

    rubric_label: str
    total: float
    passed: bool
    critical_failed: bool
    needs_review: bool


@dataclass
class CallRow:
    """One line of the list: a call, its scorecards and the search snippet."""

    call: Call
    scores: list[ScoreLine] = field(default_factory=list)
    snippet: Markup | None = None


@dataclass
class CallPage:
    """A page of the list; ``count`` stops at the cap (``count_capped`` then)."""

    rows: list[CallRow]
    page: int
    page_size: int
    count: int
    count_capped: bool
    has_next: bool
    terms: list[str] = field(default_factory=list)


def _scorecard_conditions(filters: CallFilters) -> list[ColumnElement[bool]]:
    """Return what one of the call's scorecards must satisfy (all on the same scorecard)."""
    where: list[ColumnElement[bool]] = []
    if filters.rubric_id is not None:
        versions = select(RubricVersion.id).where(RubricVersion.rubric_id == filters.rubric_id)
        where.append(ScorecardRecord.rubric_version_id.in_(versions))
    if filters.score_min is not None:
        where.append(ScorecardRecord.total >= filters.score_min)
    if filters.score_max is not None:
        where.append(ScorecardRecord.total <= filters.score_max)
    if filters.critical_failed:
        where.append(ScorecardRecord.critical_failed == true())
    if filters.needs_review:
        where.append(ScorecardRecord.needs_review == true())
    return where


def _conditions(filters: CallFilters, dialect: str) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.agent_id is not None:
        where.append(Call.agent_id == filters.agent_id)
    if filters.team_id is not None:
        where.append(Call.agent_id.in_(select(User.id).where(User.team_id == filters.team_id)))
    if filters.date_from:
        where.append(Call.started_at >= datetime.combine(filters.date_from, time()))
    if filters.date_to:
        end = datetime.combine(filters.date_to, time()) + timedelta(days=1)
        where.append(Call.started_at < end)
    if filters.queue:
        where.append(Call.queue == filters.queue)
    if filters.language:
        where.append(Call.language == filters.language)
    card_conditions = _scorecard_conditions(filters)
    if card_conditions:
        where.append(Call.id.in_(select(ScorecardRecord.call_id).where(*card_conditions)))
    if filters.reviewed:
        reviewed = reviewed_call_ids()
        if reviewed is None:
            raise FilterError(_("The reviewed filter needs the review feature (qa.review)."))
        done = Call.id.in_(reviewed)
        where.append(done if filters.reviewed == "yes" else ~done)
    terms = search_terms(filters.q)
    if terms:
        where.append(transcript_match(terms, dialect))
    return where


def call_score(filters: CallFilters) -> ColumnElement[float]:
    """Return the score the list sorts by: the call's lowest total (of the chosen rubric)."""
    stmt = select(func.min(ScorecardRecord.total)).where(ScorecardRecord.call_id == Call.id)
    if filters.rubric_id is not None:
        versions = select(RubricVersion.id).where(RubricVersion.rubric_id == filters.rubric_id)
        stmt = stmt.where(ScorecardRecord.rubric_version_id.in_(versions))
    return stmt.scalar_subquery()


def _ordering(filters: CallFilters) -> list[Any]:
    key = {
        "date": lambda: Call.started_at,
        "score": lambda: call_score(filters),
        "duration": lambda: Call.duration,
        "agent": lambda: User.name,
    }[filters.sort]()
    direction = (lambda c: c.asc()) if filters.order == "asc" else (lambda c: c.desc())
    order = [direction(key).nulls_last()]
    if filters.sort == "agent":
        order.append(Call.started_at.desc().nulls_last())
    order.append(direction(Call.id))
    return order


def call_query(user: User, filters: CallFilters, dialect: str) -> Select[Any]:
    """Return the unordered query of the calls matching ``filters`` that ``user`` may see."""
    stmt = select(Call)
    if filters.sort == "agent":
        stmt = stmt.outerjoin(User, User.id == Call.agent_id)
    return visible_calls(user, stmt).where(*_conditions(filters, dialect))


def _count(stmt: Select[Any], cap: int) -> tuple[int, bool]:
    capped = stmt.with_only_columns(Call.id).limit(cap + 1).subquery()
    count = db.session.scalar(select(func.count()).select_from(capped)) or 0
    return min(count, cap), count > cap


def _score_lines(call_ids: list[int]) -> dict[int, list[ScoreLine]]:
    if not call_ids:
        return {}
    rows = db.session.execute(
        select(
            ScorecardRecord.call_id,
            RubricRecord.name,
            RubricVersion.version,
            ScorecardRecord.total,
            ScorecardRecord.passed,
            ScorecardRecord.critical_failed,
            ScorecardRecord.needs_review,
        )
        .join(RubricVersion, RubricVersion.id == ScorecardRecord.rubric_version_id)
        .join(RubricRecord, RubricRecord.id == RubricVersion.rubric_id)
        .where(ScorecardRecord.call_id.in_(call_ids))
        .order_by(RubricRecord.name, ScorecardRecord.id)
    )
    lines: dict[int, list[ScoreLine]] = {}
    for call_id, name, version, *flags in rows:
        lines.setdefault(call_id, []).append(ScoreLine(f"{name} v{version}", *flags))
    return lines


def _snippets(call_ids: list[int], terms: list[str]) -> dict[int, Markup]:
    if not terms or not call_ids:
        return {}
    rows = db.session.execute(
        select(TranscriptRecord.call_id, TranscriptRecord.text).where(
            TranscriptRecord.call_id.in_(call_ids)
        )
    )
    return {call_id: snippet(text, terms) for call_id, text in rows}


def list_calls(
    user: User, filters: CallFilters, page_size: int = 50, count_cap: int = 1000
) -> CallPage:
    """Return the page of calls ``user`` may see that match ``filters``."""
    stmt = call_query(user, filters, db.engine.dialect.name)
    count, capped = _count(stmt, count_cap)
    calls = list(
        db.session.scalars(
            stmt.options(selectinload(Call.agent))
            .order_by(*_ordering(filters))
            .limit(page_size + 1)
            .offset((filters.page - 1) * page_size)
        )
    )
    has_next = len(calls) > page_size
    calls = calls[:page_size]
    ids = [call.id for call in calls]
    scores = _score_lines(ids)
    terms = search_terms(filters.q)
    snippets = _snippets(ids, terms)
    return CallPage(
        rows=[CallRow(call, scores.get(call.id, []), snippets.get(call.id)) for call in calls],
        page=filters.page,
        page_size=page_size,
        count=count,
        count_capped=capped,
        has_next=has_next,
        terms=terms,
    )


@dataclass
class FilterChoices:
    """The values offered in the filter form, as (id, name) pairs where they are rows."""

    agents: list[tuple[int, str]]
    teams: list[tuple[int, str]]
    queues: list[str]
    languages: tuple[str, ...]
    rubrics: list[tuple[int, str]]


def filter_choices(user: User) -> FilterChoices:
    """Return the agents, teams, queues, languages and rubrics ``user`` may filter by."""
    from qa.auth.models import Team
    from qa.calls.services import LANGUAGES

    agents_stmt = select(User.id, User.name).where(User.role == "agent").order_by(User.name)
    teams_stmt = select(Team.id, Team.name).order_by(Team.name)
    if user.role == "manager":
        agents_stmt = agents_stmt.where(User.team_id == user.team_id)
        teams_stmt = teams_stmt.where(Team.id == user.team_id)
    staff = user.role != "agent"
    queues = db.session.scalars(
        visible_calls(user, select(Call.queue).where(Call.queue.is_not(None)).distinct())
        .order_by(Call.queue)
        .limit(200)
    ).all()
    rubrics = select(RubricRecord.id, RubricRecord.name).order_by(RubricRecord.name)
    return FilterChoices(
        agents=[tuple(r) for r in db.session.execute(agents_stmt)] if staff else [],
        teams=[tuple(r) for r in db.session.execute(teams_stmt)] if staff else [],
        queues=list(queues),
        languages=LANGUAGES,
        rubrics=[tuple(r) for r in db.session.execute(rubrics)],
    )
