"""The review POST routes refuse requests without a CSRF token."""

from __future__ import annotations

import re

import pytest

from qa.db import db
from tests.conftest import PASSWORD


@pytest.mark.parametrize("action", ["override", "swap-roles", "reviewed"])
def test_review_post_without_token_is_rejected(csrf_app, action):
    response = csrf_app.test_client().post(f"/calls/1/{action}", data={"reason": "x"})
    assert response.status_code == 400
    assert b"CSRF" in response.data


def test_review_post_with_token_is_accepted(csrf_app):
    from qa.auth.services import create_user
    from qa.calls.models import Call

    create_user("qa1", PASSWORD, "qa", team=None)
    call = Call(
        sha256="0" * 64,
        original_filename="x.wav",
        format="wav",
        size_bytes=1,
        duration=1.0,
        channels=1,
        sample_rate=8000,
    )
    db.session.add(call)
    db.session.commit()
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    login = {"username": "qa1", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    detail = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'name="csrf_token"' in detail
    response = client.post(f"/calls/{call.id}/reviewed", data={"csrf_token": token})
    assert response.status_code == 302  # the token passes; the service refuses (no scorecards)
    assert "no scorecards" in client.get(f"/calls/{call.id}").get_data(as_text=True)
