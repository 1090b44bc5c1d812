"""Create, check and revoke API tokens; a token never holds more than its user's role allows."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlalchemy import select

from qa.api.models import ApiToken
from qa.audit.services import record
from qa.auth.models import User
from qa.db import db, utcnow

TOKEN_PREFIX = "cqa_"
SCOPES = {
    "calls:read": "Read calls, their processing status and transcripts",
    "calls:write": "Upload recordings with their metadata",
    "results:read": "Read scorecards and results",
    "kpis:write": "Import KPI values (FCR, CSAT, NPS, AHT)",
    "webhooks:manage": "Manage webhook subscriptions",
}
ROLE_SCOPES = {
    "admin": tuple(SCOPES),
    "qa": ("calls:read", "calls:write", "results:read", "kpis:write"),
    "manager": ("calls:read", "results:read", "kpis:write"),
    "agent": ("calls:read", "results:read"),
}
LAST_USED_RESOLUTION_SECONDS = 60


class TokenError(ValueError):
    """A token cannot be created as asked; the message says why."""


def hash_token(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def allowed_scopes(user: User) -> tuple[str, ...]:
    """Return the scopes a token of ``user`` may hold (its role's ceiling)."""
    return ROLE_SCOPES.get(user.role, ())


def effective_scopes(token: ApiToken) -> set[str]:
    """Return the token's scopes still within its user's current role."""
    return set(token.scopes or ()) & set(allowed_scopes(token.user))


def create_token(user: User, name: str, scopes: Iterable[str]) -> tuple[ApiToken, str]:
    """Add a token for ``user``; return it and its secret (shown once; the caller commits)."""
    name = (name or "").strip()
    if not name:
        raise TokenError("a token needs a name")
    if len(name) > 120:
        raise TokenError("the token name is longer than 120 characters")
    wanted = sorted({s.strip() for s in scopes if s and s.strip()})
    if not wanted:
        raise TokenError("choose at least one scope")
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise TokenError(f"unknown scope {unknown[0]!r}; scopes: {', '.join(SCOPES)}")
    beyond = [s for s in wanted if s not in allowed_scopes(user)]
    if beyond:
        raise TokenError(f"a {user.role} cannot hold scope {beyond[0]!r}")
    if not user.active:
        raise TokenError(f"user {user.username} is disabled")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        scopes=wanted,
    )
    db.session.add(token)
    db.session.flush()
    record("create", "api_token", token.id, user_id=user.id, new=f"{name}: {' '.join(wanted)}")
    return token, secret


def find_token(secret: str) -> ApiToken | None:
    """Return the active token with this secret whose user is active, or None."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or not token.active or not token.user.active:
        return None
    return token


def touch(token: ApiToken) -> None:
    """Note that the token was used now (at most once a minute; the caller commits)."""
    now = utcnow()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        token.last_used_at = now


def revoke_token(token: ApiToken, by: User | None = None) -> None:
    """Revoke the token for good (the caller commits)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("revoke", "api_token", token.id, user_id=by.id if by else None, old=token.name)


def tokens_of(user: User) -> list[ApiToken]:
    """Return the user's tokens, newest first."""
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(stmt))
