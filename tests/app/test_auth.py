"""Login, logout, throttling, CSRF and cookie settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa.audit.models import AuditEntry
from qa.auth.models import User
from qa.auth.services import AccountError, create_user
from qa.db import db
from tests.conftest import PASSWORD


def test_login_and_logout(client, make_user):
    user = make_user("qa")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_password_is_hashed(app, make_user):
    user = make_user("qa")
    assert PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD) and not user.check_password("nope")


def test_wrong_password_is_refused(client, make_user):
    user = make_user("qa")
    response = client.post("/login", data={"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert b"Invalid username or password" in response.data


def test_login_is_throttled_after_repeated_failures(client, make_user, app):
    user = make_user("qa")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": user.username, "password": "wrong"})
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert b"Too many failed attempts" in response.data
    assert client.get("/").status_code == 302  # still signed out


def test_disabled_user_cannot_log_in(client, make_user):
    user = make_user("qa")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert b"Invalid username or password" in response.data


def test_open_redirect_is_refused(client, make_user):
    user = make_user("qa")
    response = client.post(
        "/login?next=https://evil.example/", data={"username": user.username, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "boss"}, "role must be"),
        ({"password": "short"}, "at least 8"),
        ({"role": "agent", "agent_code": None}, "agent code"),
    ],
)
def test_create_user_validation(app, kwargs, message):
    args = {"username": "x", "password": PASSWORD, "role": "qa", **kwargs}
    with pytest.raises(AccountError, match=message):
        create_user(args.pop("username"), args.pop("password"), args.pop("role"), **args)


def test_duplicate_username_and_agent_code(app, make_user):
    make_user("agent", username="dup", agent_code="C1")
    with pytest.raises(AccountError, match="exists"):
        create_user("dup", PASSWORD, "qa")
    with pytest.raises(AccountError, match="taken"):
        create_user("other", PASSWORD, "agent", agent_code="C1")


def test_secret_key_is_generated_and_kept(tmp_path):
    from qa import create_app

    first = create_app({"DATABASE_URL": "sqlite://"}, instance_path=str(tmp_path))
    second = create_app({"DATABASE_URL": "sqlite://"}, instance_path=str(tmp_path))
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_cookie_settings(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_user_creation_is_audited(app, make_user):
    user = make_user("qa")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "user")).all()
    assert [e.object_id for e in entries] == [str(user.id)]
    assert db.session.scalar(select(User).where(User.id == user.id)).role == "qa"
