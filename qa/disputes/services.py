"""Open, resolve, list and summarise disputes of item results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from flask_babel import lazy_gettext as _
from sqlalchemy import select

from qa.audit.services import record
from qa.auth.models import User
from qa.core.policy import visible_disputes
from qa.db import db, utcnow
from qa.disputes.models import Dispute
from qa.review.services import OverrideRequest, ReviewError, item_changes, override_item
from qa.scorecards.models import ItemResultRecord, ScorecardRecord

MAX_COMMENT = 4000


class DisputeError(ValueError):
    """A dispute that cannot be opened or resolved, with the reason."""


def deadline(card: ScorecardRecord, window_days: int) -> datetime:
    """Return the last moment the agent may dispute results of ``card``."""
    return card.created_at + timedelta(days=window_days)


def open_disputes_by_item(item_ids: list[int]) -> dict[int, Dispute]:
    """Return the open dispute of each of ``item_ids`` that has one."""
    if not item_ids:
        return {}
    stmt = select(Dispute).where(Dispute.item_result_id.in_(item_ids), Dispute.status == "open")
    return {d.item_result_id: d for d in db.session.scalars(stmt)}


def disputable_items(
    agent: User, cards: list[ScorecardRecord], window_days: int, now: datetime | None = None
) -> list[ItemResultRecord]:
    """Return the items of ``cards`` that ``agent`` may dispute now."""
    now = now or utcnow()
    items = [
        i
        for c in cards
        if c.call.agent_id == agent.id and now <= deadline(c, window_days)
        for i in c.items
    ]
    taken = open_disputes_by_item([i.id for i in items])
    return [i for i in items if i.id not in taken]


def _scored_by(item: ItemResultRecord) -> int | None:
    """Return who last overrode the item's result (None: the auto-scorer's result stands)."""
    changes = [c for c in item_changes(item.scorecard, item.item_key) if c.action == "override"]
    return changes[-1].user_id if changes else None


def open_dispute(
    item: ItemResultRecord,
    agent: User,
    comment: str,
    *,
    window_days: int,
    now: datetime | None = None,
) -> Dispute:
    """Open a dispute of ``item`` by ``agent`` (own call, inside the window, one open per item)."""
    comment = (comment or "").strip()
    if not comment:
        raise DisputeError(_("Explain why the result is wrong."))
    if len(comment) > MAX_COMMENT:
        raise DisputeError(_("The comment is longer than %(n)d characters.", n=MAX_COMMENT))
    card = item.scorecard
    if agent.role != "agent" or card.call.agent_id != agent.id:
        raise DisputeError(_("Only the call's agent can dispute its results."))
    now = now or utcnow()
    if now > deadline(card, window_days):
        raise DisputeError(
            _("The %(days)d-day dispute window for this scorecard has closed.", days=window_days)
        )
    if open_disputes_by_item([item.id]):
        raise DisputeError(_("This item already has an open dispute."))
    dispute = Dispute(
        item_result_id=item.id,
        call_id=card.call_id,
        agent_id=agent.id,
        against_id=_scored_by(item),
        comment=comment,
        result_at_open=item.result,
        created_at=now,
    )
    db.session.add(dispute)
    db.session.flush()
    record("dispute_open", "dispute", dispute.id, user_id=agent.id, new=item.item_key)
    return dispute


def _check_resolvable(dispute: Dispute, resolver: User) -> None:
    if dispute.status != "open":
        raise DisputeError(_("The dispute is already %(status)s.", status=dispute.status))
    if resolver.role not in ("admin", "manager", "qa"):
        raise DisputeError(_("Only QA staff and managers resolve disputes."))


def accept_dispute(
    dispute: Dispute,
    resolver: User,
    *,
    corrected: str | None = None,
    points: float | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> Dispute:
    """Accept ``dispute``; with ``corrected`` override the item and recompute the scorecard."""
    _check_resolvable(dispute, resolver)
    reason = (reason or "").strip() or None
    if corrected:
        item = dispute.item
        card = item.scorecard
        change = OverrideRequest(
            item_key=item.item_key,
            result=corrected,
            points=points,
            reason=reason or f"dispute #{dispute.id} accepted",
            lock_version=card.lock_version,
            seen_result=item.result,
            seen_points=item.points,
        )
        try:
            override_item(card, change, resolver)
        except ReviewError as exc:
            raise DisputeError(str(exc)) from exc
    return _close(dispute, resolver, "accepted", reason, corrected or None, now)


def reject_dispute(
    dispute: Dispute, resolver: User, reason: str, *, now: datetime | None = None
) -> Dispute:
    """Reject ``dispute``; a reason is required."""
    _check_resolvable(dispute, resolver)
    reason = (reason or "").strip()
    if not reason:
        raise DisputeError(_("A reason is required to reject a dispute."))
    return _close(dispute, resolver, "rejected", reason, None, now)


def _close(
    dispute: Dispute,
    resolver: User,
    status: str,
    reason: str | None,
    corrected: str | None,
    now: datetime | None,
) -> Dispute:
    dispute.status = status
    dispute.resolution_reason = reason
    dispute.corrected_result = corrected
    dispute.resolved_by_id = resolver.id
    dispute.resolved_at = now or utcnow()
    db.session.flush()
    record(
        "dispute_accept" if status == "accepted" else "dispute_reject",
        "dispute",
        dispute.id,
        user_id=resolver.id,
        field="status",
        old="open",
        new=status,
        reason=reason,
    )
    return dispute


def list_disputes(user: User, status: str | None = None) -> list[Dispute]:
    """Return the disputes ``user`` may see, open first then newest."""
    stmt = visible_disputes(user)
    if status:
        stmt = stmt.where(Dispute.status == status)
    stmt = stmt.order_by((Dispute.status == "open").desc(), Dispute.created_at.desc())
    return list(db.session.scalars(stmt))


def disputes_for_call(user: User, call_id: int) -> list[Dispute]:
    """Return the disputes of one call that ``user`` may see, newest first."""
    stmt = visible_disputes(user).where(Dispute.call_id == call_id)
    return list(db.session.scalars(stmt.order_by(Dispute.created_at.desc())))


@dataclass
class PersonStats:
    """Disputes raised against one scorer's results and how fast they were settled."""

    person: User | None  # None: the auto-scorer
    opened: int = 0
    open: int = 0
    accepted: int = 0
    rejected: int = 0
    hours: list[float] = field(default_factory=list)

    @property
    def accept_rate(self) -> float | None:
        """Return the share of resolved disputes that were accepted."""
        done = self.accepted + self.rejected
        return self.accepted / done if done else None

    @property
    def median_hours(self) -> float | None:
        """Return the median hours from opening to resolution."""
        return median(self.hours) if self.hours else None


def dispute_stats(user: User) -> tuple[list[PersonStats], list[PersonStats]]:
    """Return per-scorer stats (against whose results) and per-resolver stats."""
    against: dict[int | None, PersonStats] = {}
    resolvers: dict[int | None, PersonStats] = {}
    for d in list_disputes(user):
        row = against.setdefault(d.against_id, PersonStats(d.against))
        row.opened += 1
        setattr(row, d.status, getattr(row, d.status) + 1)
        if d.hours_to_resolve is not None:
            row.hours.append(d.hours_to_resolve)
            res = resolvers.setdefault(d.resolved_by_id, PersonStats(d.resolved_by))
            res.opened += 1
            setattr(res, d.status, getattr(res, d.status) + 1)
            res.hours.append(d.hours_to_resolve)

    def order(rows: dict[int | None, PersonStats]) -> list[PersonStats]:
        return sorted(rows.values(), key=lambda r: (-r.opened, r.person.name if r.person else ""))

    return order(against), order(resolvers)


@dataclass
class ItemStats:
    """Disputes of one rubric item: a high accepted share points at the rubric or detector."""

    key: str
    title: str
    opened: int = 0
    accepted: int = 0
    rejected: int = 0

    @property
    def accept_rate(self) -> float | None:
        """Return the share of resolved disputes that were accepted."""
        done = self.accepted + self.rejected
        return self.accepted / done if done else None


def item_stats(user: User) -> list[ItemStats]:
    """Return dispute counts per rubric item, most disputed first."""
    rows: dict[str, ItemStats] = {}
    for d in list_disputes(user):
        row = rows.setdefault(d.item.item_key, ItemStats(d.item.item_key, d.item.title))
        row.opened += 1
        if d.status in ("accepted", "rejected"):
            setattr(row, d.status, getattr(row, d.status) + 1)
    return sorted(rows.values(), key=lambda r: (-r.opened, r.key))


def labels_for(item: ItemResultRecord) -> list[str]:
    """Return the results ``item`` may be corrected to (as the override service allows)."""
    return ["scale", "na"] if item.auto_result == "scale" else ["pass", "fail", "na"]
