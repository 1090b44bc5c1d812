"""Claim and release calls for review; claims expire so abandoned ones free themselves."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from qa.auth.models import User
from qa.calls.models import Call
from qa.core.policy import can_release_claim
from qa.db import db
from qa.queue.lookups import reviewed_call_ids
from qa.queue.models import ReviewClaim


class ClaimError(ValueError):
    """A claim or release that cannot be done (the message says why)."""


def active_claim(call_id: int, now: datetime) -> ReviewClaim | None:
    """Return the claim holding ``call_id`` at ``now``, if any."""
    return db.session.scalar(
        select(ReviewClaim).where(ReviewClaim.call_id == call_id, ReviewClaim.expires_at > now)
    )


def _taken(claim: ReviewClaim) -> ClaimError:
    return ClaimError(
        _(
            "Call %(call)d is already claimed by %(name)s until %(until)s UTC.",
            call=claim.call_id,
            name=claim.user.name,
            until=claim.expires_at.strftime("%H:%M"),
        )
    )


def _is_reviewed(call_id: int) -> bool:
    reviewed = reviewed_call_ids()
    if reviewed is None:
        return False
    return db.session.scalar(
        select(reviewed.where(reviewed.selected_columns[0] == call_id).exists())
    )


def claim_call(call: Call, user: User, now: datetime, minutes: int) -> ReviewClaim:
    """Claim ``call`` for ``user`` for ``minutes`` (renewing their own claim); flush it."""
    if _is_reviewed(call.id):
        raise ClaimError(_("Call %(call)d has already been reviewed.", call=call.id))
    expires = now + timedelta(minutes=minutes)
    existing = db.session.scalar(select(ReviewClaim).where(ReviewClaim.call_id == call.id))
    if existing is None:
        claim = ReviewClaim(call_id=call.id, user_id=user.id, claimed_at=now, expires_at=expires)
        try:
            with db.session.begin_nested():
                db.session.add(claim)
        except IntegrityError:  # someone claimed it in the meantime
            winner = active_claim(call.id, now)
            raise (_taken(winner) if winner else ClaimError(_("Please try again."))) from None
        return claim
    if existing.expires_at > now and existing.user_id != user.id:
        raise _taken(existing)
    # take over an expired claim (or renew one's own) only if nobody else got it first
    taken_over = db.session.execute(
        update(ReviewClaim)
        .where(
            ReviewClaim.id == existing.id,
            (ReviewClaim.expires_at <= now) | (ReviewClaim.user_id == user.id),
        )
        .values(user_id=user.id, claimed_at=now, expires_at=expires)
        .execution_options(synchronize_session=False)
    )
    if taken_over.rowcount != 1:
        db.session.expire(existing)
        raise _taken(existing)
    db.session.refresh(existing)
    return existing


def release_call(call: Call, user: User, now: datetime) -> None:
    """Release the active claim on ``call``; only its holder or an admin may."""
    claim = active_claim(call.id, now)
    if claim is None:
        raise ClaimError(_("Call %(call)d is not claimed.", call=call.id))
    if not can_release_claim(user, claim.user_id):
        raise _taken(claim)
    db.session.execute(delete(ReviewClaim).where(ReviewClaim.id == claim.id))


def my_claims(user: User, now: datetime) -> list[ReviewClaim]:
    """Return ``user``'s active claims, soonest to expire first."""
    stmt = (
        select(ReviewClaim)
        .where(ReviewClaim.user_id == user.id, ReviewClaim.expires_at > now)
        .order_by(ReviewClaim.expires_at)
    )
    return list(db.session.scalars(stmt))
