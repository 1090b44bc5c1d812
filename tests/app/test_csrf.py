"""CSRF protection is on for every form when enabled."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url",
    ["/login", "/logout", "/admin/users", "/admin/teams", "/calls/upload", "/admin/users/1"],
)
def test_post_without_token_is_rejected(csrf_app, url):
    client = csrf_app.test_client()
    response = client.post(url, data={"username": "x", "password": "y", "name": "t"})
    assert response.status_code == 400
    assert b"CSRF" in response.data


def test_login_form_carries_a_token(csrf_app):
    page = csrf_app.test_client().get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page
