"""Bearer-token authentication and scope checks for the API views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from qa.api.errors import ApiError
from qa.api.models import ApiToken
from qa.api.tokens import effective_scopes, find_token, touch
from qa.auth.models import User
from qa.db import db

F = TypeVar("F", bound=Callable[..., Any])


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if not header:
        raise ApiError(401, "unauthenticated", "send an API token: Authorization: Bearer <token>")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "unauthenticated", "the Authorization header must be 'Bearer <token>'")
    return secret.strip()


def authenticate() -> ApiToken:
    """Return the request's valid token or raise a 401 :class:`ApiError`."""
    token = find_token(_bearer())
    if token is None:
        raise ApiError(
            401, "invalid_token", "the API token is unknown, revoked or its user disabled"
        )
    return token


def scope_required(scope: str) -> Callable[[F], F]:
    """Require a valid token holding ``scope`` (401 without a token, 403 without the scope).

    An empty ``scope`` accepts any valid token.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = authenticate()
            if scope and scope not in effective_scopes(token):
                raise ApiError(403, "insufficient_scope", f"this token lacks the {scope} scope")
            touch(token)
            db.session.commit()
            g.api_token = token
            return view(*args, **kwargs)

        wrapped.api_scope = scope  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def api_user() -> User:
    """Return the user whose token authenticated this request."""
    return g.api_token.user
