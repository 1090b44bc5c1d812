"""Helpers for the API tests: tokens and bearer headers."""

from __future__ import annotations

from qa.api.tokens import ROLE_SCOPES, create_token
from qa.db import db


def token_for(user, *scopes: str, name: str = "test") -> str:  # type: ignore[no-untyped-def]
    """Return the secret of a new committed token (all the role's scopes by default)."""
    _token, secret = create_token(user, name, scopes or ROLE_SCOPES[user.role])
    db.session.commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    """Return the Authorization header for ``secret``."""
    return {"Authorization": f"Bearer {secret}"}


def assert_error(response, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Assert the JSON error shape and status; return the error object."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert set(error) >= {"code", "message"} and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error
