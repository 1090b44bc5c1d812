"""The review queue: critical fails, low confidence, disputes, then the fairness sample."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from qa.auth.models import User
from qa.calls.models import Call
from qa.core.policy import visible_calls
from qa.db import db
from qa.queue.lookups import disputed_call_ids, reviewed_call_ids
from qa.queue.models import ReviewClaim
from qa.queue.sampling import weekly_sample_query
from qa.scorecards.models import ScorecardRecord

# priority order: lower comes first
REASONS = ("critical", "low_confidence", "dispute", "sample")


@dataclass
class QueueSettings:
    """How the queue samples calls (from the app config)."""

    sample_per_agent: int = 2
    sample_weeks: int = 2
    sample_seed: str = "callqa-review-sample"

    @classmethod
    def from_config(cls, config: Any) -> QueueSettings:
        """Return the settings in a Flask config."""
        return cls(
            config["REVIEW_SAMPLE_PER_AGENT"],
            config["REVIEW_SAMPLE_WEEKS"],
            config["REVIEW_SAMPLE_SEED"],
        )


@dataclass
class QueueItem:
    """A call waiting for review, why it is there, and who holds it."""

    call: Call
    reason: str
    claim: ReviewClaim | None


@dataclass
class QueuePage:
    """One page of the queue; ``claimed_by_others`` are hidden from it."""

    items: list[QueueItem]
    page: int
    has_next: bool
    claimed_by_others: int


def _reason_conditions(sample: Select[Any] | None) -> list[ColumnElement[bool]]:
    """Return, in priority order, the condition on ``Call`` of each reason in :data:`REASONS`."""
    cards = select(ScorecardRecord.call_id)
    critical = Call.id.in_(cards.where(ScorecardRecord.critical_failed == true()))
    unsure = Call.id.in_(cards.where(ScorecardRecord.needs_review == true()))
    disputed = disputed_call_ids()
    return [
        critical,
        unsure,
        Call.id.in_(disputed) if disputed is not None else false(),
        Call.id.in_(sample) if sample is not None else false(),
    ]


def _classes(conditions: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """Return each reason's class: its condition and none of the earlier ones."""
    return [
        and_(cond, *(~earlier for earlier in conditions[:i])) for i, cond in enumerate(conditions)
    ]


def queue_base(user: User) -> Select[Any]:
    """Return the calls ``user`` may see that nobody has reviewed yet."""
    stmt = visible_calls(user, select(Call))
    reviewed = reviewed_call_ids()
    return stmt if reviewed is None else stmt.where(Call.id.not_in(reviewed))


def _count(stmt: Select[Any]) -> int:
    counted = stmt.with_only_columns(Call.id).subquery()
    return db.session.scalar(select(func.count()).select_from(counted)) or 0


def _claims(call_ids: list[int], now: datetime) -> dict[int, ReviewClaim]:
    if not call_ids:
        return {}
    stmt = (
        select(ReviewClaim)
        .options(selectinload(ReviewClaim.user))
        .where(ReviewClaim.call_id.in_(call_ids), ReviewClaim.expires_at > now)
    )
    return {claim.call_id: claim for claim in db.session.scalars(stmt)}


def review_queue(
    user: User,
    now: datetime,
    settings: QueueSettings,
    page: int = 1,
    page_size: int = 50,
) -> QueuePage:
    """Return ``user``'s page of the queue: their own claims first, others' claims left out.

    Each reason is read as its own class (oldest call first), so a page costs one short query
    per class it spans (plus indexed counts on later pages) instead of ranking every candidate.
    """
    sample = weekly_sample_query(
        now, settings.sample_per_agent, settings.sample_weeks, settings.sample_seed
    )
    classes = _classes(_reason_conditions(sample))
    held = select(ReviewClaim.call_id, ReviewClaim.user_id).where(ReviewClaim.expires_at > now)
    claimed = {call_id: holder for call_id, holder in db.session.execute(held)}
    others = sorted(call_id for call_id, holder in claimed.items() if holder != user.id)
    mine = sorted(call_id for call_id, holder in claimed.items() if holder == user.id)
    base = queue_base(user)
    in_queue = or_(*classes)
    hidden = _count(base.where(Call.id.in_(others), in_queue)) if others else 0
    # my claims first, then every reason in turn; (reason index, query) per group
    groups = [(None, base.where(Call.id.in_(mine), in_queue))] if mine else []
    rest = base.where(Call.id.not_in(others + mine))
    groups += [(index, rest.where(cls)) for index, cls in enumerate(classes)]
    skip, wanted = (page - 1) * page_size, page_size + 1
    found: list[tuple[Call, int | None]] = []
    for index, stmt in groups:
        if skip:  # only later pages need to know how many each earlier group holds
            size = _count(stmt)
            if skip >= size:
                skip -= size
                continue
        ordered = stmt.options(selectinload(Call.agent)).order_by(
            Call.started_at.asc().nulls_last(), Call.id.asc()
        )
        calls = db.session.scalars(ordered.offset(skip).limit(wanted - len(found))).all()
        found += [(call, index) for call in calls]
        skip = 0
        if len(found) >= wanted:
            break
    found_mine = [call.id for call, index in found if index is None]
    reasons = _reasons_of(found_mine, classes)
    items = [
        QueueItem(call, REASONS[index if index is not None else reasons[call.id]], None)
        for call, index in found[:page_size]
    ]
    claims = _claims([item.call.id for item in items], now)
    for item in items:
        item.claim = claims.get(item.call.id)
    return QueuePage(items, page, len(found) > page_size, hidden)


def _reasons_of(call_ids: list[int], classes: list[ColumnElement[bool]]) -> dict[int, int]:
    """Return the reason index of each of ``call_ids`` (a few: the user's own claims)."""
    reasons: dict[int, int] = {}
    for index, cls in enumerate(classes):
        if len(reasons) == len(call_ids):
            break
        todo = [i for i in call_ids if i not in reasons]
        for call_id in db.session.scalars(select(Call.id).where(Call.id.in_(todo), cls)):
            reasons[call_id] = index
    return reasons
