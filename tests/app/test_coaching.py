"""Coaching notes: access, acknowledging, the agent's and the manager's lists."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import select

from qa.audit.models import AuditEntry
from qa.coaching.models import CoachingNote
from qa.coaching.services import CoachingError, acknowledge, add_note, list_notes
from qa.db import db

MATRIX = {
    ("GET", "/coaching/"): [302, 200, 200, 200, 200, 200, 200],
    ("GET", "/coaching/new"): [302, 403, 403, 200, 200, 200, 200],
    ("GET", "/coaching/new?call_id={call_id}"): [302, 403, 403, 200, 404, 200, 200],
    ("GET", "/coaching/{note_id}"): [302, 200, 404, 200, 404, 200, 200],
    ("POST", "/coaching/{note_id}/acknowledge"): [302, 302, 404, 403, 404, 403, 403],
}


@pytest.fixture
def note(workspace) -> CoachingNote:
    n = add_note(
        workspace["qa"], workspace["agent_own"], "Say the company name.", workspace["call"]
    )
    db.session.commit()
    return n


@pytest.mark.parametrize("route", list(MATRIX), ids=[f"{m} {u}" for m, u in MATRIX])
def test_access_matrix(matrix, workspace, note, route):
    method, url = route

    def unacknowledge() -> None:
        db.session.expire_all()
        note.acknowledged_at = None
        db.session.commit()

    url = url.format(call_id=workspace["call"].id, note_id=note.id)
    matrix(method, url, MATRIX[route], unacknowledge)


def test_agent_acknowledges_with_a_timestamp(as_role, workspace, note):
    client = as_role("agent_own")
    page = client.get(f"/coaching/{note.id}").get_data(as_text=True)
    assert "Acknowledge" in page
    response = client.post(f"/coaching/{note.id}/acknowledge", data={"reply": "Will do."})
    assert response.status_code == 302
    db.session.expire_all()
    note = db.session.get(CoachingNote, note.id)
    assert note.acknowledged_at is not None and note.agent_reply == "Will do."
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "acknowledge")).one()
    assert entry.object_id == str(note.id) and entry.user_id == workspace["agent_own"].id
    with pytest.raises(CoachingError, match="already acknowledged"):
        acknowledge(note, workspace["agent_own"])


def test_only_the_agent_acknowledges(workspace, note):
    with pytest.raises(CoachingError, match="Only the coached agent"):
        acknowledge(note, workspace["manager_team"])
    with pytest.raises(CoachingError, match="Only the coached agent"):
        acknowledge(note, workspace["agent_other"])


def test_lists_for_agent_and_manager(as_role, workspace, note, make_user):
    add_note(workspace["qa"], workspace["agent_other"], "Other team note.")
    second = add_note(workspace["manager_team"], workspace["agent_own"], "Slow down.")
    acknowledge(second, workspace["agent_own"])
    db.session.commit()
    mine = list_notes(workspace["agent_own"])
    assert {n.body for n in mine} == {"Say the company name.", "Slow down."}
    team = workspace["manager_team"]
    assert [n.body for n in list_notes(team, "open")] == ["Say the company name."]
    assert [n.body for n in list_notes(team, "acknowledged")] == ["Slow down."]
    assert {n.body for n in list_notes(workspace["qa"])} >= {"Other team note."}
    page = as_role("agent_other").get("/coaching/").get_data(as_text=True)
    assert "Other team note." in page and "Say the company name." not in page
    page = as_role("manager_team").get("/coaching/?state=open").get_data(as_text=True)
    assert "Say the company name." in page and "Slow down." not in page


def test_managers_coach_only_their_team(workspace):
    with pytest.raises(CoachingError, match="cannot coach"):
        add_note(workspace["manager_other"], workspace["agent_own"], "x")
    with pytest.raises(CoachingError, match="cannot coach"):
        add_note(workspace["qa"], workspace["manager_team"], "not an agent")
    with pytest.raises(CoachingError, match="another agent"):
        add_note(workspace["qa"], workspace["agent_other"], "x", workspace["call"])
    with pytest.raises(CoachingError, match="Write"):
        add_note(workspace["qa"], workspace["agent_own"], "   ")


def test_note_form_about_a_call(as_role, workspace):
    client = as_role("manager_team")
    call = workspace["call"]
    response = client.post(
        "/coaching/new",
        data={"agent_id": workspace["agent_own"].id, "call_id": call.id, "body": "Good <i>job</i>"},
    )
    assert response.status_code == 302
    note = db.session.scalars(select(CoachingNote)).one()
    assert (note.call_id, note.author_id) == (call.id, workspace["manager_team"].id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Good &lt;i&gt;job&lt;/i&gt;" in page and "<i>job</i>" not in page


def test_call_panel(app, workspace, note):
    call = workspace["call"]
    with app.test_request_context():
        login_user(workspace["agent_own"])
        html = render_template("coaching/_call_panel.html", call=call)
        assert f"/coaching/{note.id}" in html and "/coaching/new" not in html
    with app.test_request_context():
        login_user(workspace["manager_team"])
        html = render_template("coaching/_call_panel.html", call=call)
        assert f"/coaching/new?call_id={call.id}" in html
    with app.test_request_context():
        login_user(workspace["agent_other"])
        html = render_template("coaching/_call_panel.html", call=call)
        assert f"/coaching/{note.id}" not in html
