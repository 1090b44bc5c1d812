"""Write, acknowledge and list coaching notes."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _
from sqlalchemy import select

from qa.audit.services import record
from qa.auth.models import User
from qa.calls.models import Call
from qa.coaching.models import CoachingNote
from qa.core.policy import can_acknowledge_note, can_coach, visible_coaching_notes
from qa.db import db, utcnow

MAX_BODY = 8000
STATES = ("open", "acknowledged")


class CoachingError(ValueError):
    """A coaching request that cannot be carried out, with the reason."""


def add_note(author: User, agent: User, body: str, call: Call | None = None) -> CoachingNote:
    """Add a coaching note for ``agent``, optionally about one of their calls."""
    body = (body or "").strip()
    if not body:
        raise CoachingError(_("Write the coaching note."))
    if len(body) > MAX_BODY:
        raise CoachingError(_("The note is longer than %(n)d characters.", n=MAX_BODY))
    if not can_coach(author, agent):
        raise CoachingError(_("You cannot coach this agent."))
    if call is not None and call.agent_id != agent.id:
        raise CoachingError(_("The call belongs to another agent."))
    note = CoachingNote(
        agent_id=agent.id, author_id=author.id, body=body, call_id=call.id if call else None
    )
    db.session.add(note)
    db.session.flush()
    record("create", "coaching_note", note.id, user_id=author.id, new=agent.username)
    return note


def acknowledge(
    note: CoachingNote, user: User, reply: str | None = None, now: datetime | None = None
) -> CoachingNote:
    """Mark ``note`` read by its agent, with an optional reply."""
    if not can_acknowledge_note(user, note):
        raise CoachingError(_("Only the coached agent can acknowledge a note."))
    if note.acknowledged_at is not None:
        raise CoachingError(_("The note is already acknowledged."))
    reply = (reply or "").strip()
    if len(reply) > MAX_BODY:
        raise CoachingError(_("The reply is longer than %(n)d characters.", n=MAX_BODY))
    note.acknowledged_at = now or utcnow()
    note.agent_reply = reply or None
    db.session.flush()
    record(
        "acknowledge",
        "coaching_note",
        note.id,
        user_id=user.id,
        field="acknowledged_at",
        new=note.acknowledged_at.isoformat(timespec="seconds"),
    )
    return note


def list_notes(
    user: User, state: str | None = None, agent_id: int | None = None
) -> list[CoachingNote]:
    """Return the notes ``user`` may see, newest first, optionally open/acknowledged only."""
    if state not in (None, *STATES):
        raise CoachingError(_("Unknown state %(state)r.", state=state))
    stmt = visible_coaching_notes(user)
    if state == "open":
        stmt = stmt.where(CoachingNote.acknowledged_at.is_(None))
    elif state == "acknowledged":
        stmt = stmt.where(CoachingNote.acknowledged_at.is_not(None))
    if agent_id is not None:
        stmt = stmt.where(CoachingNote.agent_id == agent_id)
    return list(
        db.session.scalars(stmt.order_by(CoachingNote.created_at.desc(), CoachingNote.id.desc()))
    )


def notes_for_call(user: User, call_id: int) -> list[CoachingNote]:
    """Return the notes about one call that ``user`` may see."""
    stmt = visible_coaching_notes(user).where(CoachingNote.call_id == call_id)
    return list(db.session.scalars(stmt.order_by(CoachingNote.created_at.desc())))


def coachable_agents(user: User) -> list[User]:
    """Return the active agents ``user`` may coach."""
    stmt = select(User).where(User.role == "agent", User.active.is_(True)).order_by(User.name)
    return [a for a in db.session.scalars(stmt) if can_coach(user, a)]
