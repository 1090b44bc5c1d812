"""Helpers of the rubric page tests: users by role, drafts and signed-in clients."""

from __future__ import annotations

import yaml
from flask import g

from qa.db import db
from qa.rubrics.services import add_version, get_version, install_defaults

ROLES = ["anonymous", "agent", "manager", "qa", "admin"]


def published_yaml(key: str = "script_en") -> str:
    """Return the YAML of the published version of rubric ``key`` (installing the defaults)."""
    install_defaults()
    db.session.commit()
    return get_version(key, 1).document


def changed_yaml(key: str = "script_en", **item_changes: object) -> str:
    """Return the published YAML of ``key`` with fields of its first item replaced."""
    data = yaml.safe_load(published_yaml(key))
    data["sections"][0]["items"][0].update(item_changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def make_draft(yaml_text: str, user=None, note: str = "test draft"):  # type: ignore[no-untyped-def]
    """Store ``yaml_text`` as a draft and return it."""
    version = add_version(yaml_text, user_id=user.id if user else None, note=note)
    db.session.commit()
    return version


def client_as(app, user):  # type: ignore[no-untyped-def]
    """Return a fresh test client signed in as ``user`` (None: anonymous)."""
    g.pop("_login_user", None)  # requests share the test's app context (and its ``g``)
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
    return client
