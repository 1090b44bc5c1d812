"""API tokens: hashing, scopes, the role ceiling, revocation, the page and the CLI."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from qa.api.cli import tokens_cli
from qa.api.models import ApiToken
from qa.api.tokens import TokenError, create_token, find_token, hash_token
from qa.db import db
from tests.app.api_support import assert_error, bearer, token_for


def test_only_the_sha256_of_the_secret_is_stored(app, make_user):
    user = make_user("qa")
    token, secret = create_token(user, "dialer", ["calls:write", "calls:read"])
    db.session.commit()
    assert secret.startswith("cqa_") and len(secret) > 40
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest() == hash_token(secret)
    assert secret not in str([token.token_hash, token.prefix, token.name, token.scopes])
    assert token.scopes == ["calls:read", "calls:write"]
    assert find_token(secret).id == token.id
    assert find_token(secret + "x") is None and find_token("") is None


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("agent", "calls:write"),
        ("agent", "kpis:write"),
        ("manager", "calls:write"),
        ("qa", "webhooks:manage"),
    ],
)
def test_a_token_never_exceeds_its_role(app, make_user, role, scope):
    with pytest.raises(TokenError, match=f"cannot hold scope '{scope}'"):
        create_token(make_user(role), "x", [scope])


@pytest.mark.parametrize(
    ("name", "scopes", "message"),
    [
        ("", ["calls:read"], "needs a name"),
        ("x", [], "at least one scope"),
        ("x", ["calls:delete"], "unknown scope"),
    ],
)
def test_invalid_token_requests_are_refused(app, make_user, name, scopes, message):
    with pytest.raises(TokenError, match=message):
        create_token(make_user("admin"), name, scopes)


def test_missing_malformed_unknown_and_revoked_tokens_get_401(client, make_user):
    user = make_user("qa")
    secret = token_for(user, "calls:read")
    assert_error(client.get("/api/v1/calls"), 401, "unauthenticated")
    assert_error(client.get("/api/v1/calls", headers={"Authorization": secret}), 401)
    assert_error(client.get("/api/v1/calls", headers=bearer("cqa_nope")), 401, "invalid_token")
    assert client.get("/api/v1/calls", headers=bearer(secret)).status_code == 200
    token = db.session.scalar(select(ApiToken))
    from qa.api.tokens import revoke_token

    revoke_token(token)
    db.session.commit()
    response = client.get("/api/v1/calls", headers=bearer(secret))
    assert_error(response, 401, "invalid_token")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_disabled_user_token_is_refused(client, make_user):
    user = make_user("qa")
    secret = token_for(user)
    user.active = False
    db.session.commit()
    assert_error(client.get("/api/v1/me", headers=bearer(secret)), 401, "invalid_token")


def test_missing_scope_gets_403(client, make_user):
    secret = token_for(make_user("qa"), "calls:read")
    error = assert_error(client.get("/api/v1/results", headers=bearer(secret)), 403)
    assert error["code"] == "insufficient_scope" and "results:read" in error["message"]


def test_demoted_user_loses_scopes_beyond_the_new_role(client, make_user):
    user = make_user("qa")
    secret = token_for(user, "calls:read", "calls:write")
    user.role, user.agent_code = "agent", "AX1"
    db.session.commit()
    me = client.get("/api/v1/me", headers=bearer(secret)).get_json()
    assert me["scopes"] == ["calls:read"] and me["role"] == "agent"
    files = {"audio": (b"x", "a.wav")}
    assert_error(client.post("/api/v1/calls", data=files, headers=bearer(secret)), 403)


def test_use_records_last_used(client, make_user):
    secret = token_for(make_user("manager"))
    assert db.session.scalar(select(ApiToken)).last_used_at is None
    client.get("/api/v1/me", headers=bearer(secret))
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None


def test_tokens_page_creates_shows_once_and_revokes(client, login, make_user):
    user = make_user("manager")
    login(user)
    page = client.get("/api/tokens").get_data(as_text=True)
    assert "kpis:write" in page and "calls:write" not in page
    response = client.post("/api/tokens", data={"name": "wallboard", "scopes": ["results:read"]})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    token = db.session.scalar(select(ApiToken))
    secret = body.split('readonly value="')[1].split('"')[0]
    assert hash_token(secret) == token.token_hash and token.scopes == ["results:read"]
    assert secret not in client.get("/api/tokens").get_data(as_text=True)
    assert client.post(f"/api/tokens/{token.id}/revoke").status_code == 302
    db.session.expire_all()
    assert not db.session.get(ApiToken, token.id).active


def test_tokens_page_refuses_scopes_beyond_the_role(client, login, make_user):
    login(make_user("agent"))
    response = client.post("/api/tokens", data={"name": "x", "scopes": ["calls:write"]})
    assert response.status_code == 400
    assert db.session.scalar(select(ApiToken)) is None
    assert "only your own calls" in client.get("/api/tokens").get_data(as_text=True)


def test_cannot_revoke_someone_elses_token(client, login, make_user):
    other = make_user("qa")
    token_for(other)
    login(make_user("admin"))
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/api/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/api/tokens").status_code == 200


def test_tokens_page_needs_login(client):
    assert client.get("/api/tokens").status_code == 302


def test_cli_creates_lists_and_revokes(app, runner, make_user):
    make_user("qa", username="quinn")
    result = runner.invoke(
        tokens_cli, ["create", "quinn", "--scope", "calls:write", "--name", "pbx"]
    )
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    token = find_token(secret)
    assert token.name == "pbx" and token.scopes == ["calls:write"]
    listing = runner.invoke(tokens_cli, ["list", "quinn"])
    assert "pbx" in listing.output and "active" in listing.output
    assert runner.invoke(tokens_cli, ["revoke", str(token.id)]).exit_code == 0
    db.session.expire_all()
    assert find_token(secret) is None


def test_cli_refuses_scope_beyond_role_and_unknown_user(app, runner, make_user):
    make_user("agent", username="ann")
    result = runner.invoke(tokens_cli, ["create", "ann", "--scope", "kpis:write"])
    assert result.exit_code != 0 and "cannot hold scope" in result.output
    result = runner.invoke(tokens_cli, ["create", "nobody", "--scope", "calls:read"])
    assert result.exit_code != 0 and "no user" in result.output


@pytest.mark.parametrize(
    "url",
    [
        "/api/tokens",
        "/api/tokens/1/revoke",
        "/api/webhooks",
        "/api/webhooks/1/toggle",
        "/api/webhooks/1/delete",
    ],
)
def test_pages_need_csrf(csrf_app, url):
    response = csrf_app.test_client().post(url, data={"name": "x"})
    assert response.status_code == 400 and b"CSRF" in response.data


def test_api_is_csrf_exempt(csrf_app):
    from qa.auth.services import create_user

    user = create_user("kpiuser", "correct horse battery", "qa")
    db.session.commit()
    secret = token_for(user, "kpis:write")
    response = csrf_app.test_client().post(
        "/api/v1/kpis", json={"rows": []}, headers=bearer(secret)
    )
    assert_error(response, 400, "invalid_rows")


@pytest.mark.parametrize(("role", "webhooks_link"), [("agent", False), ("admin", True)])
def test_nav_links_to_tokens_and_admins_to_webhooks(client, login, make_user, role, webhooks_link):
    login(make_user(role))
    page = client.get("/api/tokens").get_data(as_text=True)
    assert 'href="/api/tokens"' in page and 'href="/api/docs"' in page
    assert ('href="/api/webhooks"' in page) is webhooks_link
