"""Override item results, correct speaker roles and mark calls reviewed."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy import ColumnElement, exists, select

from qa.audit.models import AuditEntry
from qa.audit.services import record
from qa.auth.models import User
from qa.calls.models import Call
from qa.db import db, utcnow
from qa.jobs.models import ProcessingJob
from qa.jobs.services import create_job, jobs_for_call
from qa.review.models import Review
from qa.rubrics.services import parse
from qa.scorecards.models import ScorecardRecord
from qa.scorecards.overrides import HUMAN_RESULT_ACTIONS, apply_document, recompute
from qa.scorecards.services import scorecards_for_call
from scoring.rubric import Rubric
from transcription.roles import swap_roles
from transcription.schema import Transcript

RESULTS = ("pass", "fail", "na", "scale")
OVERRIDE_ACTIONS = (*HUMAN_RESULT_ACTIONS, "override_rejected")  # an item's history
BUSY = ("queued", "running")


def N_(message: str) -> str:
    """Mark ``message`` for translation; :meth:`ReviewError.translated` translates it."""
    return message


class ReviewError(Exception):
    """A review action was refused; the message says why."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message, self.params = message, params

    def translated(self) -> str:
        """Return the message in the user's language (inside a request)."""
        return gettext(self.message, **self.params)


class OverrideConflict(ReviewError):
    """The item changed since the reviewer loaded the page."""

    def __init__(self, item: dict[str, Any], changes: list[AuditEntry]) -> None:
        super().__init__(
            N_(
                "Someone else changed this item after you opened the page. Your change was "
                "not applied; check their change and apply yours again if needed."
            )
        )
        self.item = item
        self.changes = changes


@dataclass
class OverrideRequest:
    """What a reviewer asked for, and what they saw when they asked."""

    item_key: str
    result: str
    points: float | None
    reason: str
    lock_version: int
    seen_result: str
    seen_points: float


def rubric_of(card: ScorecardRecord) -> Rubric:
    """Return the rubric a scorecard was scored with (parsed once per document)."""
    return parse(card.rubric_version)


def is_busy(call: Call) -> bool:
    """Return whether a pipeline job of ``call`` is waiting or running."""
    return any(job.status in BUSY for job in jobs_for_call(call.id))


def _checked(item: dict[str, Any], auto_result: str, change: OverrideRequest) -> tuple[str, float]:
    """Return the validated (result, points) of an override."""
    result, points, top = change.result, change.points, item["max_points"]
    allowed = ("scale", "na") if auto_result == "scale" else ("pass", "fail", "na")
    if result not in allowed:
        raise ReviewError(
            N_("result must be one of %(results)s for this item"), results=", ".join(allowed)
        )
    if result == "na":
        return result, 0.0
    if points is None:
        if result == "scale":
            raise ReviewError(N_("give the points for a scaled item"))
        points = top if result == "pass" else 0.0
    if not 0.0 <= points <= top:
        raise ReviewError(N_("points must be between 0 and %(top)s"), top=f"{top:g}")
    return result, round(float(points), 4)


def _same(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) < 1e-6


def item_changes(card: ScorecardRecord, item_key: str) -> list[AuditEntry]:
    """Return the override history of one item of ``card``'s rubric on its call, oldest first."""
    stmt = (
        select(AuditEntry)
        .where(
            AuditEntry.object_type == "call",
            AuditEntry.object_id == str(card.call_id),
            AuditEntry.action.in_(OVERRIDE_ACTIONS),
            AuditEntry.field == f"{card.data['rubric']}/{item_key}",
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(db.session.scalars(stmt))


def override_item(card: ScorecardRecord, change: OverrideRequest, user: User) -> AuditEntry:
    """Apply a reviewer's override to one item and recompute the scorecard (flushes).

    A scorecard changed since the reviewer loaded it still takes the override when this
    item itself is as they saw it; otherwise :class:`OverrideConflict` is raised. A write
    racing this one makes the flush raise ``StaleDataError`` (the lock version guards it).
    """
    reason = (change.reason or "").strip()
    if not reason:
        raise ReviewError(N_("a reason is required for an override"))
    if is_busy(card.call):
        raise ReviewError(N_("the call is being processed; try again once it has finished"))
    row = next((r for r in card.items if r.item_key == change.item_key), None)
    data = copy.deepcopy(card.data)
    item = next((i for i in data["items"] if i["key"] == change.item_key), None)
    if row is None or item is None:
        raise ReviewError(N_("the scorecard has no item %(key)r"), key=change.item_key)
    result, points = _checked(item, row.auto_result, change)
    if change.lock_version != card.lock_version and not (
        item["result"] == change.seen_result and _same(item["points"], change.seen_points)
    ):
        raise OverrideConflict(item, item_changes(card, change.item_key))
    if result == item["result"] and _same(points, item["points"]) and not item["needs_review"]:
        raise ReviewError(N_("the item already has this result and points"))
    old = {"result": item["result"], "points": item["points"], "total": card.total}
    item.update(result=result, points=points, needs_review=False)
    recompute(data, rubric_of(card))
    apply_document(card, data)
    row.result, row.points, row.needs_review = result, points, False
    entry = record(
        "override",
        "call",
        card.call_id,
        user_id=user.id,
        field=f"{data['rubric']}/{item['key']}",
        old=old,
        new={"result": result, "points": points, "total": card.total},
        reason=reason,
    )
    db.session.flush()
    return entry


def record_rejected(card: ScorecardRecord, change: OverrideRequest, user: User) -> AuditEntry:
    """Keep a refused (conflicting) override in the audit log so nothing is lost."""
    return record(
        "override_rejected",
        "call",
        card.call_id,
        user_id=user.id,
        field=f"{card.data['rubric']}/{change.item_key}",
        old={"result": change.seen_result, "points": change.seen_points},
        new={"result": change.result, "points": change.points},
        reason=(change.reason or "").strip() or None,
    )


def record_gone(call: Call, scorecard_id: int, change: OverrideRequest, user: User) -> AuditEntry:
    """Keep an override aimed at a scorecard that a re-score replaced in the audit log."""
    return record(
        "override_rejected",
        "call",
        call.id,
        user_id=user.id,
        field=f"scorecard {scorecard_id}/{change.item_key}"[:120],
        old={"result": change.seen_result, "points": change.seen_points},
        new={"result": change.result, "points": change.points},
        reason=(change.reason or "").strip() or None,
    )


def swap_speaker_roles(call: Call, user: User, reason: str | None = None) -> ProcessingJob:
    """Swap agent and customer on the stored transcript and queue a re-score (caller dispatches)."""
    if call.transcript is None:
        raise ReviewError(N_("the call has no transcript yet"))
    if is_busy(call):
        raise ReviewError(N_("the call is being processed; try again once it has finished"))
    transcript = Transcript.from_dict(call.transcript.data)
    before = {s.id: s.role for s in transcript.speakers}
    if not {"agent", "customer"} & set(before.values()):
        raise ReviewError(N_("no speaker has the agent or customer role"))
    swap_roles(transcript)
    call.transcript.data = transcript.to_dict()
    totals = {c.data["rubric"]: c.total for c in scorecards_for_call(call.id)}
    record(
        "swap_roles",
        "call",
        call.id,
        user_id=user.id,
        field="speaker_roles",
        old={"roles": before, "totals": totals},
        new={"roles": {s.id: s.role for s in transcript.speakers}},
        reason=(reason or "").strip() or None,
    )
    call.status = "scoring"
    return create_job(call, "score")


def scorecard_state(call_id: int) -> list[dict[str, Any]]:
    """Return the call's scorecards as they stand, for a review record."""
    return [
        {
            "scorecard_id": c.id,
            "rubric": c.data["rubric"],
            "rubric_version_id": c.rubric_version_id,
            "total": c.total,
            "auto_total": c.auto_total,
            "passed": c.passed,
            "lock_version": c.lock_version,
            "overridden": sorted(r.item_key for r in c.items if r.result != r.auto_result),
        }
        for c in scorecards_for_call(call_id)
    ]


def mark_reviewed(call: Call, user: User, notes: str | None = None) -> Review:
    """Record that ``user`` reviewed ``call`` now (flushes)."""
    state = scorecard_state(call.id)
    if not state:
        raise ReviewError(N_("the call has no scorecards to review yet"))
    review = Review(
        call_id=call.id,
        reviewer_id=user.id,
        reviewed_at=utcnow(),
        notes=(notes or "").strip() or None,
        scorecard_state=state,
    )
    db.session.add(review)
    record("review", "call", call.id, user_id=user.id, new=state, reason=review.notes)
    db.session.flush()
    return review


def reviewed_condition() -> ColumnElement[bool]:
    """Return a condition on ``Call`` that holds for reviewed calls (for list filters)."""
    return exists().where(Review.call_id == Call.id)


def is_reviewed(call_id: int) -> bool:
    """Return whether anyone has marked the call reviewed."""
    return bool(db.session.scalar(select(exists().where(Review.call_id == call_id))))


def reviews_for_call(call_id: int) -> list[Review]:
    """Return the call's reviews, newest first."""
    stmt = select(Review).where(Review.call_id == call_id).order_by(Review.reviewed_at.desc())
    return list(db.session.scalars(stmt))
