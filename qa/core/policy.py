"""Access policy: every role check of the app lives here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, false, select, true

from qa.auth.models import User
from qa.calls.models import Call
from qa.db import db

F = TypeVar("F", bound=Callable[..., Any])

STAFF = ("admin", "manager", "qa")
REVIEWERS = ("admin", "qa")


def roles_required(*roles: str) -> Callable[[F], F]:
    """Require a logged-in user holding one of ``roles`` (403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def _sees_agent(user: User, agent_id: int | None) -> bool:
    """Return whether ``user`` may see records about agent ``agent_id``."""
    if user.role in REVIEWERS:
        return True
    if user.role == "manager":
        if user.team_id is None or agent_id is None:
            return False
        agent = db.session.get(User, agent_id)
        return agent is not None and agent.team_id == user.team_id
    return agent_id == user.id


def _agent_filter(user: User, column: Any) -> Any:
    """Return a WHERE clause limiting ``column`` (an agent id) to what ``user`` may see."""
    if user.role in REVIEWERS:
        return true()
    if user.role == "manager":
        if user.team_id is None:
            return false()
        return column.in_(select(User.id).where(User.team_id == user.team_id))
    return column == user.id


def visible_calls(user: User, stmt: Select[Any] | None = None) -> Select[Any]:
    """Restrict a call query to what ``user`` may see."""
    stmt = stmt if stmt is not None else select(Call)
    return stmt if user.role in REVIEWERS else stmt.where(_agent_filter(user, Call.agent_id))


def visible_agent_ids(user: User, column: Any) -> Any:
    """Return a WHERE clause limiting ``column`` (an agent id) to the calls ``user`` may see."""
    return _agent_filter(user, column)


def can_view_call(user: User, call: Call) -> bool:
    """Return whether ``user`` may see ``call``: agents only their own calls."""
    return _sees_agent(user, call.agent_id)


def require_call_access(user: User, call: Call | None) -> Call:
    """Return ``call`` or abort with 404 when it is missing or not visible to ``user``."""
    if call is None or not can_view_call(user, call):
        abort(404)
    return call


# --- disputes, coaching notes, calibration sessions -------------------------------------

RESOLVERS = ("admin", "manager", "qa")
CALIBRATORS = ("admin", "qa")


def visible_disputes(user: User, stmt: Select[Any] | None = None) -> Select[Any]:
    """Restrict a dispute query: agents their own, managers their team's, QA/admin all."""
    from qa.disputes.models import Dispute

    stmt = stmt if stmt is not None else select(Dispute)
    return stmt.where(_agent_filter(user, Dispute.agent_id))


def _require_agent_record(user: User, record: Any) -> Any:
    """Return a record about an agent, or abort with 404 when missing or not visible."""
    if record is None or not _sees_agent(user, record.agent_id):
        abort(404)
    return record


def require_dispute_access(user: User, dispute: Any) -> Any:
    """Return ``dispute`` or abort with 404 when it is missing or not visible to ``user``."""
    return _require_agent_record(user, dispute)


def can_open_dispute(user: User, call: Call) -> bool:
    """Return whether ``user`` may dispute results of ``call``: only its own agent."""
    return user.role == "agent" and call.agent_id == user.id


def can_resolve_dispute(user: User, dispute: Any) -> bool:
    """Return whether ``user`` may accept or reject ``dispute``."""
    return user.role in RESOLVERS and _sees_agent(user, dispute.agent_id)


def visible_coaching_notes(user: User, stmt: Select[Any] | None = None) -> Select[Any]:
    """Restrict a coaching-note query: agents their own, managers their team's, QA/admin all."""
    from qa.coaching.models import CoachingNote

    stmt = stmt if stmt is not None else select(CoachingNote)
    return stmt.where(_agent_filter(user, CoachingNote.agent_id))


def require_note_access(user: User, note: Any) -> Any:
    """Return ``note`` or abort with 404 when it is missing or not visible to ``user``."""
    return _require_agent_record(user, note)


def can_coach(user: User, agent: User | None) -> bool:
    """Return whether ``user`` may write coaching notes for ``agent``."""
    if agent is None or agent.role != "agent" or user.role not in RESOLVERS:
        return False
    return _sees_agent(user, agent.id)


def can_acknowledge_note(user: User, note: Any) -> bool:
    """Return whether ``user`` may acknowledge ``note``: only the agent it is for."""
    return user.role == "agent" and note.agent_id == user.id


def require_calibration_access(user: User, session: Any) -> Any:
    """Return ``session`` or abort: QA/admin see all, managers closed ones, agents none."""
    if session is None:
        abort(404)
    if user.role in CALIBRATORS or (user.role == "manager" and session.status == "closed"):
        return session
    abort(403 if user.role == "agent" else 404)


def can_manage_calibration(user: User, session: Any) -> bool:
    """Return whether ``user`` leads ``session`` (or is an admin)."""
    return user.role == "admin" or (user.role == "qa" and session.lead_id == user.id)


def calibration_results_visible(user: User, session: Any) -> bool:
    """Return whether ``user`` may see answers and figures: blind until submitted or closed."""
    if session.status == "closed":
        return True
    rater = session.rater(user.id)
    if rater is not None:
        return rater.submitted_at is not None
    return session.lead_id == user.id


def can_review_call(user: User, call: Call) -> bool:
    """Return whether ``user`` may override scores, fix roles and mark ``call`` reviewed.

    QA and admins review every call; managers review the calls of their own team (the calls
    they can see); agents never review, not even their own calls.
    """
    if user.role in REVIEWERS:
        return True
    return user.role == "manager" and can_view_call(user, call)


def can_release_claim(user: User, holder_id: int) -> bool:
    """Return whether ``user`` may release a review claim held by ``holder_id``."""
    return user.id == holder_id or user.role == "admin"


# --- dashboards and reports ---------------------------------------------------------------


def visible_agents(user: User, stmt: Select[Any] | None = None) -> Select[Any]:
    """Restrict a query on ``User`` to agents ``user`` may see: self, own team, or all."""
    stmt = stmt if stmt is not None else select(User)
    return stmt.where(User.role == "agent", _agent_filter(user, User.id))


def can_see_team_report(user: User, team_id: int | None) -> bool:
    """Return whether ``user`` may read a team's weekly report: QA/admin any, managers theirs."""
    if team_id is None:
        return False
    if user.role in REVIEWERS:
        return True
    return user.role == "manager" and user.team_id == team_id


# --- rubrics ------------------------------------------------------------------------------

RUBRIC_VIEWERS = ("admin", "manager", "qa")
RUBRIC_EDITORS = ("admin", "qa")


def can_view_rubrics(user: User) -> bool:
    """Return whether ``user`` may read rubrics and their versions (not agents)."""
    return user.is_authenticated and user.role in RUBRIC_VIEWERS


def can_edit_rubrics(user: User) -> bool:
    """Return whether ``user`` may add drafts, back-test and publish rubric versions."""
    return user.is_authenticated and user.role in RUBRIC_EDITORS
