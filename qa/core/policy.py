"""Access policy: every role check of the app lives here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from qa.auth.models import User
from qa.calls.models import Call

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


def visible_calls(user: User, stmt: Select[Any] | None = None) -> Select[Any]:
    """Restrict a call query to what ``user`` may see."""
    stmt = stmt if stmt is not None else select(Call)
    if user.role in REVIEWERS:
        return stmt
    if user.role == "manager":
        team_agents = select(User.id).where(User.team_id == user.team_id)
        return stmt.where(Call.agent_id.in_(team_agents)) if user.team_id else stmt.where(False)
    return stmt.where(Call.agent_id == user.id)


def can_view_call(user: User, call: Call) -> bool:
    """Return whether ``user`` may see ``call``: agents only their own calls."""
    if user.role in REVIEWERS:
        return True
    if user.role == "manager":
        return (
            call.agent is not None
            and user.team_id is not None
            and call.agent.team_id == user.team_id
        )
    return call.agent_id == user.id


def require_call_access(user: User, call: Call | None) -> Call:
    """Return ``call`` or abort with 404 when it is missing or not visible to ``user``."""
    if call is None or not can_view_call(user, call):
        abort(404)
    return call
