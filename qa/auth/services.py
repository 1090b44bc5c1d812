"""Accounts: create users and teams, check passwords with throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from qa.audit.services import record
from qa.auth.models import ROLES, LoginAttempt, Team, User
from qa.db import db, utcnow

MIN_PASSWORD = 8


class AccountError(ValueError):
    """A user or team cannot be created or changed as asked."""


@dataclass
class LoginResult:
    """The outcome of a login attempt."""

    user: User | None
    error: str | None = None


def _recent_failures(**where: str) -> int:
    window = utcnow() - timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    stmt = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.success.is_(False), LoginAttempt.at >= window
    )
    for column, value in where.items():
        stmt = stmt.where(getattr(LoginAttempt, column) == value)
    return db.session.scalar(stmt) or 0


def authenticate(username: str, password: str, remote_addr: str) -> LoginResult:
    """Check credentials, refusing after too many recent failures (the caller commits)."""
    username = username.strip().lower()
    cfg = current_app.config
    locked = "Too many failed attempts; try again in {} minutes.".format(cfg["LOGIN_LOCK_MINUTES"])
    if _recent_failures(username=username) >= cfg["LOGIN_MAX_FAILURES"]:
        return LoginResult(None, locked)
    if _recent_failures(remote_addr=remote_addr) >= cfg["LOGIN_MAX_FAILURES_PER_IP"]:
        return LoginResult(None, locked)
    user = db.session.scalar(select(User).where(User.username == username))
    ok = user is not None and user.active and user.check_password(password)
    db.session.add(LoginAttempt(username=username, remote_addr=remote_addr, success=ok))
    if not ok:
        return LoginResult(None, "Invalid username or password.")
    return LoginResult(user)


def get_or_create_team(name: str) -> Team:
    """Return the team called ``name``, creating it when missing."""
    name = name.strip()
    if not name:
        raise AccountError("team name is required")
    team = db.session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        db.session.add(team)
        db.session.flush()
        record("create", "team", team.id, new=name)
    return team


def create_user(
    username: str,
    password: str,
    role: str,
    *,
    name: str | None = None,
    email: str | None = None,
    team: str | None = None,
    agent_code: str | None = None,
    actor_id: int | None = None,
) -> User:
    """Create a user after checking role, password, uniqueness and agent code."""
    username = username.strip().lower()
    if not username:
        raise AccountError("username is required")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password must have at least {MIN_PASSWORD} characters")
    if db.session.scalar(select(User).where(User.username == username)):
        raise AccountError(f"user {username!r} exists already")
    agent_code = (agent_code or "").strip() or None
    if role == "agent" and not agent_code:
        raise AccountError("agents need an agent code")
    if agent_code and db.session.scalar(select(User).where(User.agent_code == agent_code)):
        raise AccountError(f"agent code {agent_code!r} is taken")
    user = User(
        username=username,
        name=(name or username).strip(),
        email=email,
        role=role,
        agent_code=agent_code,
        team=get_or_create_team(team) if team else None,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("create", "user", user.id, user_id=actor_id, new={"username": username, "role": role})
    return user


def update_user(user: User, *, actor_id: int | None, **changes: object) -> None:
    """Apply field changes to ``user``, auditing each one."""
    for field, value in changes.items():
        old = getattr(user, field)
        if old == value:
            continue
        setattr(user, field, value)
        record("update", "user", user.id, user_id=actor_id, field=field, old=old, new=value)


def list_users() -> list[User]:
    """Return every user, by role then name."""
    return list(db.session.scalars(select(User).order_by(User.role, User.name)))


def list_teams() -> list[Team]:
    """Return every team by name."""
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def list_agents() -> list[User]:
    """Return active agents by name."""
    stmt = select(User).where(User.role == "agent", User.active.is_(True)).order_by(User.name)
    return list(db.session.scalars(stmt))
