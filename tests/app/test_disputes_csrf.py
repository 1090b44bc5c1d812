"""CSRF protection covers every POST route of disputes, calibration and coaching."""

from __future__ import annotations

import pytest

POST_ROUTES = [
    "/disputes/new/1",
    "/disputes/1/accept",
    "/disputes/1/reject",
    "/calibration/new",
    "/calibration/1/score",
    "/calibration/1/final",
    "/calibration/1/close",
    "/coaching/new",
    "/coaching/1/acknowledge",
]


@pytest.mark.parametrize("url", POST_ROUTES)
def test_post_without_token_is_rejected(csrf_app, url):
    response = csrf_app.test_client().post(url, data={"comment": "x", "body": "y"})
    assert response.status_code == 400
    assert b"CSRF" in response.data


def test_forms_carry_a_token(csrf_app):
    from qa.auth.services import create_user
    from qa.db import db

    create_user("qa_csrf", "correct horse battery", "qa")
    db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"username": "qa_csrf", "password": "correct horse battery", "csrf_token": token},
    )
    for url in ("/coaching/new", "/calibration/new"):
        assert 'name="csrf_token"' in client.get(url).get_data(as_text=True), url
