"""Disputes: access, the window, one open dispute per item, accept/reject, statistics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import select

from qa.audit.models import AuditEntry
from qa.db import db, utcnow
from qa.disputes.models import Dispute
from qa.disputes.services import (
    DisputeError,
    accept_dispute,
    dispute_stats,
    item_stats,
    open_dispute,
    reject_dispute,
)
from qa.scorecards.models import ItemResultRecord, ScorecardRecord

ROLES = ["anonymous", "agent_own", "agent_other", "manager_team", "manager_other", "qa", "admin"]

GET_MATRIX = {
    "/disputes/": [302, 200, 200, 200, 200, 200, 200],
    "/disputes/new/{call_id}": [302, 200, 404, 403, 404, 403, 403],
    "/disputes/{dispute_id}": [302, 200, 404, 200, 404, 200, 200],
    "/disputes/stats": [302, 403, 403, 200, 200, 200, 200],
}
POST_MATRIX = {
    "/disputes/{dispute_id}/accept": [302, 403, 403, 302, 404, 302, 302],
    "/disputes/{dispute_id}/reject": [302, 403, 403, 302, 404, 302, 302],
}


@pytest.fixture
def workspace_scored() -> bool:
    return True


def _item(call, key: str = "greeting") -> ItemResultRecord:
    stmt = select(ItemResultRecord).where(
        ItemResultRecord.call_id == call.id, ItemResultRecord.item_key == key
    )
    return db.session.scalars(stmt).one()


@pytest.fixture
def dispute(workspace) -> Dispute:
    d = open_dispute(
        _item(workspace["call"]), workspace["agent_own"], "I did greet.", window_days=14
    )
    db.session.commit()
    return d


def _url(route: str, workspace, dispute) -> str:
    return route.format(call_id=workspace["call"].id, dispute_id=dispute.id)


@pytest.mark.parametrize("route", list(GET_MATRIX))
def test_get_access_matrix(matrix, workspace, dispute, route):
    matrix("GET", _url(route, workspace, dispute), GET_MATRIX[route])


@pytest.mark.parametrize("route", list(POST_MATRIX))
def test_post_access_matrix(as_role, workspace, dispute, route):
    data = {"reject-reason": "Greeting missing the company name.", "accept-corrected": ""}
    got = []
    for role in ROLES:
        got.append(as_role(role).post(_url(route, workspace, dispute), data=data).status_code)
        db.session.expire_all()
        d = db.session.get(Dispute, dispute.id)
        assert (d.status != "open") == (got[-1] == 302 and role != "anonymous"), role
        d.status, d.resolved_at, d.resolved_by_id = "open", None, None
        db.session.commit()
    assert got == POST_MATRIX[route]


def test_agent_opens_a_dispute_through_the_form(as_role, workspace):
    client = as_role("agent_own")
    item = _item(workspace["call"])
    response = client.post(
        f"/disputes/new/{workspace['call'].id}",
        data={"item_id": item.id, "comment": "The greeting was there."},
    )
    assert response.status_code == 302
    d = db.session.scalars(select(Dispute)).one()
    assert (d.agent_id, d.item_result_id, d.status) == (workspace["agent_own"].id, item.id, "open")
    assert d.result_at_open == "pass" and d.against_id is None
    page = client.get("/disputes/").get_data(as_text=True)
    assert "The greeting" not in page and item.title in page


def test_agents_never_see_other_agents_disputes(as_role, workspace, dispute):
    page = as_role("agent_other").get("/disputes/").get_data(as_text=True)
    assert f"/disputes/{dispute.id}" not in page
    assert "No disputes." in page


def test_window_is_enforced(workspace):
    item = _item(workspace["call"])
    late = item.scorecard.created_at + timedelta(days=14, seconds=1)
    with pytest.raises(DisputeError, match="14-day dispute window"):
        open_dispute(item, workspace["agent_own"], "late", window_days=14, now=late)
    assert open_dispute(item, workspace["agent_own"], "in time", window_days=30, now=late)


def test_window_comes_from_the_config(app, as_role, workspace):
    card = _item(workspace["call"]).scorecard
    card.created_at = utcnow() - timedelta(days=20)
    db.session.commit()
    client = as_role("agent_own")
    item = _item(workspace["call"])
    data = {"item_id": item.id, "comment": "late"}
    assert client.post(f"/disputes/new/{workspace['call'].id}", data=data).status_code == 200
    assert db.session.scalars(select(Dispute)).first() is None
    app.config["DISPUTE_WINDOW_DAYS"] = 30
    assert client.post(f"/disputes/new/{workspace['call'].id}", data=data).status_code == 302


def test_only_the_calls_agent_may_dispute(workspace):
    with pytest.raises(DisputeError, match="Only the call's agent"):
        open_dispute(_item(workspace["call"]), workspace["agent_other"], "x", window_days=14)
    with pytest.raises(DisputeError, match="Explain"):
        open_dispute(_item(workspace["call"]), workspace["agent_own"], "  ", window_days=14)


def test_one_open_dispute_per_item(workspace, dispute):
    item = _item(workspace["call"])
    with pytest.raises(DisputeError, match="already has an open dispute"):
        open_dispute(item, workspace["agent_own"], "again", window_days=14)
    reject_dispute(dispute, workspace["qa"], "The greeting lacked the company name.")
    again = open_dispute(item, workspace["agent_own"], "new evidence", window_days=14)
    db.session.commit()
    assert again.status == "open"
    other = open_dispute(
        _item(workspace["call"], "farewell"), workspace["agent_own"], "x", window_days=14
    )
    assert other.id != again.id


def test_database_allows_one_open_dispute_per_item(workspace, dispute):
    from sqlalchemy.exc import IntegrityError

    db.session.add(
        Dispute(
            item_result_id=dispute.item_result_id,
            call_id=dispute.call_id,
            agent_id=dispute.agent_id,
            comment="dup",
            result_at_open="pass",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_accept_with_correction_applies_and_recomputes(workspace, dispute):
    card = db.session.get(ScorecardRecord, _item(workspace["call"]).scorecard_id)
    assert card.total == 100.0
    version = card.lock_version
    accept_dispute(dispute, workspace["qa"], corrected="fail", reason="agreed, no greeting")
    db.session.commit()
    db.session.expire_all()
    card = db.session.get(ScorecardRecord, card.id)
    item = _item(workspace["call"])
    assert (item.result, item.points, item.auto_result) == ("fail", 0.0, "pass")
    assert card.total == 90.0 and card.passed is True and card.lock_version == version + 1
    data_item = next(i for i in card.data["items"] if i["key"] == "greeting")
    assert data_item["result"] == "fail" and card.data["total"] == 90.0
    opening = next(s for s in card.data["sections"] if s["key"] == item.section)
    assert opening["points"] == opening["max_points"] - 10.0
    d = db.session.get(Dispute, dispute.id)
    assert (d.status, d.corrected_result, d.resolved_by_id) == (
        "accepted",
        "fail",
        workspace["qa"].id,
    )
    actions = {(a.action, a.object_type) for a in db.session.scalars(select(AuditEntry))}
    assert {
        ("dispute_open", "dispute"),
        ("dispute_accept", "dispute"),
        ("override", "call"),
    } <= actions


def test_accepting_a_critical_failure_fails_the_card(workspace):
    item = _item(workspace["call"], "verification")
    d = open_dispute(item, workspace["agent_own"], "x", window_days=14)
    accept_dispute(d, workspace["manager_team"], corrected="fail")
    db.session.commit()
    card = item.scorecard
    assert card.passed is False and card.critical_failed is True
    assert card.data["critical_failures"] == ["verification"]


def test_accept_without_correction_keeps_the_result(workspace, dispute):
    accept_dispute(dispute, workspace["qa"])
    db.session.commit()
    assert _item(workspace["call"]).result == "pass" and dispute.status == "accepted"


def test_accept_rejects_an_invalid_result(workspace, dispute):
    with pytest.raises(DisputeError, match="result must be one of"):
        accept_dispute(dispute, workspace["qa"], corrected="maybe")


def test_accept_form_applies_the_correction(as_role, workspace, dispute):
    client = as_role("qa")
    response = client.post(
        f"/disputes/{dispute.id}/accept", data={"accept-corrected": "fail", "accept-reason": "ok"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert _item(workspace["call"]).result == "fail"


def test_reject_needs_a_reason(as_role, workspace, dispute):
    with pytest.raises(DisputeError, match="reason is required"):
        reject_dispute(dispute, workspace["qa"], "   ")
    client = as_role("qa")
    response = client.post(f"/disputes/{dispute.id}/reject", data={"reject-reason": ""})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Dispute, dispute.id).status == "open"


def test_resolved_dispute_cannot_be_resolved_again(workspace, dispute):
    reject_dispute(dispute, workspace["qa"], "no")
    with pytest.raises(DisputeError, match="already rejected"):
        accept_dispute(dispute, workspace["qa"], corrected="fail")


def test_agent_sees_the_outcome(as_role, workspace, dispute):
    reject_dispute(dispute, workspace["qa"], "Company name <b>missing</b>.")
    db.session.commit()
    page = as_role("agent_own").get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert "rejected" in page and "Company name &lt;b&gt;missing&lt;/b&gt;." in page
    assert 'action="/disputes/' not in page  # no resolve forms for the agent


def test_comments_are_escaped(as_role, workspace):
    d = open_dispute(
        _item(workspace["call"]),
        workspace["agent_own"],
        "<script>alert('x')</script>",
        window_days=14,
    )
    db.session.commit()
    page = as_role("qa").get(f"/disputes/{d.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_call_panel_shows_status_and_link(app, workspace, dispute):
    call = workspace["call"]
    with app.test_request_context():
        login_user(workspace["agent_own"])
        html = render_template("disputes/_call_panel.html", call=call)
        assert f"/disputes/{dispute.id}" in html and "open" in html
        assert f"/disputes/new/{call.id}" in html
    with app.test_request_context():
        login_user(workspace["qa"])
        html = render_template("disputes/_call_panel.html", call=call)
        assert f"/disputes/{dispute.id}" in html and f"/disputes/new/{call.id}" not in html


def test_stats_per_scorer_and_resolver(workspace):
    from qa.review.services import OverrideRequest, override_item

    agent, qa, manager = workspace["agent_own"], workspace["qa"], workspace["manager_team"]
    call = workspace["call"]
    start = utcnow() - timedelta(days=2)
    # QA overrides one item; the dispute of that item counts against QA
    farewell = _item(call, "farewell")
    card = farewell.scorecard
    change = OverrideRequest(
        "farewell", "fail", None, "no farewell", card.lock_version, "pass", 15.0
    )
    override_item(card, change, qa)
    d1 = open_dispute(_item(call, "farewell"), agent, "I said goodbye", window_days=14, now=start)
    d2 = open_dispute(_item(call, "greeting"), agent, "x", window_days=14, now=start)
    d3 = open_dispute(_item(call, "offer_help"), agent, "y", window_days=14, now=start)
    accept_dispute(d1, manager, corrected="pass", now=start + timedelta(hours=2))
    reject_dispute(d2, qa, "no", now=start + timedelta(hours=6))
    db.session.commit()
    assert d3.status == "open"
    against, resolvers = dispute_stats(workspace["admin"])
    by_person = {(r.person.id if r.person else None): r for r in against}
    assert d1.against_id == qa.id
    assert (by_person[qa.id].opened, by_person[qa.id].accepted) == (1, 1)
    auto = by_person[None]
    assert (auto.opened, auto.open, auto.rejected, auto.median_hours) == (2, 1, 1, 6.0)
    assert by_person[qa.id].median_hours == 2.0 and by_person[qa.id].accept_rate == 1.0
    by_resolver = {r.person.id: r for r in resolvers}
    assert by_resolver[manager.id].accepted == 1 and by_resolver[qa.id].rejected == 1
    # a manager of another team sees none of these disputes
    assert dispute_stats(workspace["manager_other"]) == ([], [])
    per_item = {r.key: r for r in item_stats(workspace["qa"])}
    assert (per_item["farewell"].accepted, per_item["farewell"].accept_rate) == (1, 1.0)
    assert (per_item["greeting"].rejected, per_item["offer_help"].opened) == (1, 1)


def test_concurrent_resolution_is_refused(workspace, dispute):
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    other = Session(bind=db.engine)
    try:
        seen = other.get(Dispute, dispute.id)  # a second reviewer loaded the open dispute
        reject_dispute(dispute, workspace["qa"], "first")
        db.session.commit()
        seen.status, seen.resolution_reason = "accepted", "second"
        with pytest.raises(StaleDataError):
            other.commit()
    finally:
        other.close()
    db.session.expire_all()
    assert db.session.get(Dispute, dispute.id).resolution_reason == "first"
