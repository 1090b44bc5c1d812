"""Fixtures shared by the QA-workspace tests (disputes, calibration, coaching)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import g

ROLES = ["anonymous", "agent_own", "agent_other", "manager_team", "manager_other", "qa", "admin"]


@pytest.fixture
def workspace_scored() -> bool:
    """Return whether the workspace call needs scorecards (modules override this)."""
    return False


@pytest.fixture
def workspace(app, request, make_user, workspace_scored):  # type: ignore[no-untyped-def]
    """Yield users of every role (own/other team) and a call of ``agent_own``.

    A request context stays pushed so translated service errors can be read in tests.
    """
    agent = make_user("agent", team="Harbour", name="Ann Agent")
    users = {
        "agent_own": agent,
        "agent_other": make_user("agent", team="Summit", name="Otto Other"),
        "manager_team": make_user("manager", team="Harbour"),
        "manager_other": make_user("manager", team="Summit"),
        "qa": make_user("qa", team=None, name="Quinn QA"),
        "admin": make_user("admin", team=None),
    }
    factory = request.getfixturevalue("make_scored_call" if workspace_scored else "make_call")
    with app.test_request_context():
        yield {**users, "call": factory(agent)}


@pytest.fixture
def as_role(app, workspace):  # type: ignore[no-untyped-def]
    """Return a function giving a fresh client signed in as a workspace role ("anonymous")."""

    def sign_in(role: str):  # type: ignore[no-untyped-def]
        # requests share the test's app context, where Flask-Login caches the user in ``g``
        g.pop("_login_user", None)
        client = app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = str(workspace[role].id)
                session["_fresh"] = True
        return client

    return sign_in


def check_matrix(
    as_role, method: str, url: str, expected: list[int], reset: Callable[[], None] | None = None
) -> None:  # type: ignore[no-untyped-def]
    """Assert the status of ``method url`` for every role in ``ROLES`` order."""
    got = []
    for role in ROLES:
        got.append(as_role(role).open(url, method=method).status_code)
        if reset is not None:
            reset()
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))


@pytest.fixture
def matrix(as_role):  # type: ignore[no-untyped-def]
    """Return ``check_matrix`` bound to the workspace's clients."""
    return lambda method, url, expected, reset=None: check_matrix(
        as_role, method, url, expected, reset
    )
