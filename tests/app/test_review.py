"""The call review page: overrides, optimistic locking, role swap, reviewed mark, access."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa.audit.models import AuditEntry
from qa.db import db
from qa.jobs.models import ProcessingJob
from qa.jobs.services import execute_job
from qa.review.services import (
    OverrideRequest,
    ReviewError,
    is_reviewed,
    override_item,
    recompute,
    reviewed_condition,
)
from qa.rubrics.services import parse
from qa.scorecards.models import ItemResultRecord, ScorecardRecord
from qa.scorecards.services import scorecards_for_call
from scoring.rubric import Rubric


def _card(call, rubric: str = "script_en") -> ScorecardRecord:
    return next(c for c in scorecards_for_call(call.id) if c.data["rubric"] == rubric)


def _item(card: ScorecardRecord, key: str) -> dict:
    return next(i for i in card.data["items"] if i["key"] == key)


def _form(card: ScorecardRecord, key: str, result: str, reason: str = "heard it", **kw) -> dict:
    item = _item(card, key)
    data = {
        "scorecard_id": card.id,
        "item_key": key,
        "lock_version": card.lock_version,
        "seen_result": item["result"],
        "seen_points": item["points"],
        "result": result,
        "reason": reason,
    }
    data.update(kw)
    return data


def _overrides(call) -> list[AuditEntry]:
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.object_id == str(call.id), AuditEntry.action.like("override%"))
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(stmt))


@pytest.fixture
def scored(make_user, make_scored_call):
    agent = make_user("agent", team="Harbour")
    return {"agent": agent, "call": make_scored_call(agent), "qa": make_user("qa", team=None)}


def test_recompute_matches_the_engine(scored):
    for card in scorecards_for_call(scored["call"].id):
        data = dict(card.data, total=-1, passed=None, critical_failures=None, needs_review=None)
        data["sections"] = [dict(s, points=-1, score=-1) for s in card.data["sections"]]
        recompute(data, parse(card.rubric_version))
        assert data == card.data


def test_recompute_arithmetic_na_and_critical():
    rubric = Rubric.from_yaml(
        """
key: r
name: R
version: 1
languages: [en]
pass_mark: 50
sections:
  - key: s
    title: S
    items:
      - {key: a, title: A, stage: opening, weight: 2, detector: {type: phrase, phrases: [hello]}}
      - {key: b, title: B, stage: opening, weight: 1, detector: {type: phrase, phrases: [bye]}}
      - {key: z, title: Z, stage: opening, weight: 1, critical: zero,
         detector: {type: phrase, phrases: [sir]}}
"""
    )

    def item(key, result, points, top, critical=False):
        return {
            "key": key,
            "section": "s",
            "result": result,
            "points": points,
            "max_points": top,
            "critical": critical,
            "needs_review": False,
        }

    data = {
        "sections": [{"key": "s", "title": "S", "points": 0, "max_points": 0, "score": None}],
        "items": [item("a", "pass", 2, 2), item("b", "na", 0, 1), item("z", "pass", 1, 1, True)],
    }
    recompute(data, rubric)
    assert data["total"] == 100.0 and data["passed"]  # N/A left out of the denominator
    assert data["sections"][0] == {
        "key": "s",
        "title": "S",
        "points": 3,
        "max_points": 3,
        "score": 100.0,
    }
    data["items"][0].update(result="fail", points=0)
    recompute(data, rubric)
    assert data["total"] == pytest.approx(33.33) and not data["passed"]
    data["items"][0].update(result="pass", points=2)
    data["items"][2].update(result="fail", points=0)
    recompute(data, rubric)
    assert data["total"] == 0.0 and not data["passed"] and data["critical_failures"] == ["z"]


def test_override_recomputes_total_and_audits(client, login, scored):
    call, card = scored["call"], _card(scored["call"])
    auto_total = card.total
    assert _item(card, "greeting")["result"] == "pass"
    login(scored["qa"])
    response = client.post(f"/calls/{call.id}/override", data=_form(card, "greeting", "fail"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    card = _card(call)
    item = _item(card, "greeting")
    assert item["result"] == "fail" and item["points"] == 0 and not item["needs_review"]
    assert card.auto_total == auto_total and card.total < auto_total
    expected = dict(card.data)
    recompute(expected, parse(card.rubric_version))
    assert card.total == expected["total"]
    row = db.session.scalar(
        select(ItemResultRecord).where(
            ItemResultRecord.scorecard_id == card.id, ItemResultRecord.item_key == "greeting"
        )
    )
    assert (row.result, row.auto_result, row.points) == ("fail", "pass", 0)
    [entry] = _overrides(call)
    assert entry.user_id == scored["qa"].id and entry.reason == "heard it" and entry.at
    assert entry.old_value["result"] == "pass" and entry.new_value["result"] == "fail"
    assert entry.old_value["total"] == auto_total and entry.new_value["total"] == card.total
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "heard it" in page and "overridden; auto:" in page


def test_override_needs_a_reason(client, login, scored):
    call, card = scored["call"], _card(scored["call"])
    login(scored["qa"])
    response = client.post(
        f"/calls/{call.id}/override", data=_form(card, "greeting", "fail", "   ")
    )
    assert response.status_code == 400
    assert "A reason is required." in response.get_data(as_text=True)
    db.session.expire_all()
    assert _item(_card(call), "greeting")["result"] == "pass" and not _overrides(call)


def test_override_rejects_bad_points_and_results(scored):
    card, user = _card(scored["call"]), scored["qa"]
    bad = [("fail", 99.0), ("scale", None), ("maybe", None)]
    for result, points in bad:
        change = OverrideRequest("greeting", result, points, "x", card.lock_version, "pass", 1.0)
        with pytest.raises(ReviewError):
            override_item(card, change, user)
    change = OverrideRequest("nope", "fail", None, "x", card.lock_version, "pass", 1.0)
    with pytest.raises(ReviewError, match="no item"):
        override_item(card, change, user)


def test_concurrent_overrides_of_one_item_lose_nothing(app, scored, make_user):
    call, card = scored["call"], _card(scored["call"])
    other = make_user("qa", team=None)
    first, second = app.test_client(), app.test_client()
    for client, user in ((first, scored["qa"]), (second, other)):
        assert (
            client.post(
                "/login", data={"username": user.username, "password": "correct horse battery"}
            ).status_code
            == 302
        )
    form_a = _form(card, "greeting", "fail", "no company name")  # both loaded the same page
    form_b = _form(card, "greeting", "fail", "greeting too late", points="0")
    assert first.post(f"/calls/{call.id}/override", data=form_a).status_code == 302
    response = second.post(f"/calls/{call.id}/override", data=form_b)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this item" in page and "greeting too late" in page  # kept in form
    entries = _overrides(call)
    assert [e.action for e in entries] == ["override", "override_rejected"]
    assert {e.reason for e in entries} == {"no company name", "greeting too late"}
    # re-apply from the conflict page: it now carries the current version and values
    db.session.expire_all()
    fresh = _card(call)
    block = page[page.index(f'id="item-{fresh.id}-greeting"') :]
    lock = re.search(r'name="lock_version" value="(\d+)"', block).group(1)
    assert int(lock) == fresh.lock_version
    again = _form(fresh, "greeting", "na", "greeting too late")
    assert second.post(f"/calls/{call.id}/override", data=again).status_code == 302
    db.session.expire_all()
    assert _item(_card(call), "greeting")["result"] == "na"
    assert [e.action for e in _overrides(call)] == ["override", "override_rejected", "override"]


def test_concurrent_overrides_of_different_items_both_apply(client, login, scored):
    call, card = scored["call"], _card(scored["call"])
    login(scored["qa"])
    form_a, form_b = _form(card, "greeting", "fail"), _form(card, "farewell", "fail")
    assert client.post(f"/calls/{call.id}/override", data=form_a).status_code == 302
    assert (
        client.post(f"/calls/{call.id}/override", data=form_b).status_code == 302
    )  # stale version
    db.session.expire_all()
    card = _card(call)
    assert _item(card, "greeting")["result"] == _item(card, "farewell")["result"] == "fail"
    assert card.lock_version == 3


def test_a_racing_write_is_caught_by_the_lock_version(scored):
    card = _card(scored["call"])
    seen = card.lock_version
    with Session(db.engine) as other:  # another reviewer commits between our read and write
        other.execute(
            update(ScorecardRecord)
            .where(ScorecardRecord.id == card.id)
            .values(lock_version=seen + 1, total=1.0)
        )
        other.commit()
    change = OverrideRequest(
        "greeting", "fail", None, "late", seen, "pass", _item(card, "greeting")["points"]
    )
    with pytest.raises(StaleDataError):
        override_item(card, change, scored["qa"])
    db.session.rollback()


def test_role_swap_rescores_the_call(client, login, scored):
    call = scored["call"]
    before = {c.data["rubric"]: c.total for c in scorecards_for_call(call.id)}
    login(scored["qa"])
    response = client.post(f"/calls/{call.id}/swap-roles", data={"reason": "channels swapped"})
    assert response.status_code == 302
    db.session.expire_all()
    assert call.transcript.data["segments"][0]["role"] == "customer"
    assert {s["id"]: s["role"] for s in call.transcript.data["speakers"]} == {
        "S0": "customer",
        "S1": "agent",
    }
    job = db.session.scalar(
        select(ProcessingJob).where(
            ProcessingJob.call_id == call.id, ProcessingJob.stage == "score"
        )
    )
    assert job.status == "queued"
    assert "overrides are disabled" in client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert execute_job(job.id, "test") == "done"
    db.session.expire_all()
    after = {c.data["rubric"]: c.total for c in scorecards_for_call(call.id)}
    assert after["script_en"] < before["script_en"]  # the "agent" no longer greets
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "swap_roles"))
    assert entry.user_id == scored["qa"].id and entry.reason == "channels swapped"
    assert entry.old_value["roles"] == {"S0": "agent", "S1": "customer"}
    assert entry.old_value["totals"] == before


def test_mark_reviewed(client, login, scored):
    from qa.calls.models import Call

    call = scored["call"]
    assert not is_reviewed(call.id)
    login(scored["qa"])
    response = client.post(
        f"/calls/{call.id}/reviewed", data={"notes": "good call, state the time"}
    )
    assert response.status_code == 302
    assert is_reviewed(call.id)
    reviewed = db.session.scalars(select(Call.id).where(reviewed_condition())).all()
    assert reviewed == [call.id]
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "good call, state the time" in page and "Reviewed" in page


def test_agent_sees_final_score_and_comments(client, login, make_user, scored):
    call, card = scored["call"], _card(scored["call"])
    login(scored["qa"])
    client.post(f"/calls/{call.id}/override", data=_form(card, "farewell", "fail", "no farewell"))
    client.post(f"/calls/{call.id}/reviewed", data={"notes": "work on the closing"})
    client.post("/logout")
    login(scored["agent"])
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    db.session.expire_all()
    assert f"{_card(call).total:.1f}" in page
    assert "no farewell" in page and "work on the closing" in page
    assert "Save override" not in page and "Mark reviewed" not in page


ROLES = ["agent_own", "agent_other", "manager_team", "manager_other", "qa", "admin"]
EXPECTED = {
    "agent_own": 403,
    "agent_other": 404,
    "manager_team": 302,
    "manager_other": 404,
    "qa": 302,
    "admin": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_review_actions_access(client, login, make_user, scored, role):
    users = {
        "agent_own": scored["agent"],
        "agent_other": make_user("agent", team="Summit"),
        "manager_team": make_user("manager", team="Harbour"),
        "manager_other": make_user("manager", team="Summit"),
        "qa": scored["qa"],
        "admin": make_user("admin", team=None),
    }
    call = scored["call"]
    login(users[role])
    page = client.get(f"/calls/{call.id}")
    assert page.status_code == (404 if EXPECTED[role] == 404 else 200)
    assert ("Save override" in page.get_data(as_text=True)) == (EXPECTED[role] == 302)
    actions = [  # the swap last: it queues a re-score that blocks overrides
        ("override", _form(_card(call), "greeting", "fail")),
        ("reviewed", {"notes": "x"}),
        ("swap-roles", {"reason": "x"}),
    ]
    for action, data in actions:
        response = client.post(f"/calls/{call.id}/{action}", data=data)
        assert response.status_code == EXPECTED[role], action
    db.session.expire_all()
    review_actions = ("override", "review", "swap_roles")
    changed = db.session.scalar(select(AuditEntry).where(AuditEntry.action.in_(review_actions)))
    assert (changed is not None) == (EXPECTED[role] == 302)


def test_anonymous_review_post_goes_to_login(client, scored):
    response = client.post(f"/calls/{scored['call'].id}/reviewed", data={})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_transcript_html_is_escaped(client, login, make_user, make_scored_call):
    agent = make_user("agent")
    lines = [
        ("agent", "Thank you for calling, how can I help you today? <script>alert(1)</script>"),
        ("customer", "My bill <img src=x onerror=alert(2)> is wrong </script><b>x</b>"),
        ("agent", "Is there anything else I can help you with? Goodbye."),
    ]
    call = make_scored_call(agent, lines=lines)
    login(make_user("qa", team=None))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)" in page  # words, quotes and segment text
    assert "&lt;img" in page
    data = re.search(
        r'<script type="application/json" id="timeline-data">(.*?)</script>', page, re.S
    )
    assert data and "<" not in data.group(1)


def test_role_swap_keeps_overrides_and_disputes(client, login, scored):
    from qa.disputes.models import Dispute
    from qa.disputes.services import open_dispute

    call, card = scored["call"], _card(scored["call"])
    card_id, auto_before = card.id, card.auto_total
    login(scored["qa"])
    client.post(f"/calls/{call.id}/override", data=_form(card, "farewell", "fail", "cut off"))
    offer = next(r for r in card.items if r.item_key == "offer_help")
    dispute = open_dispute(offer, scored["agent"], "I did offer help", window_days=7)
    db.session.commit()
    dispute_id, row_id = dispute.id, offer.id
    client.post(f"/calls/{call.id}/swap-roles", data={"reason": "channels swapped"})
    job = db.session.scalar(select(ProcessingJob).where(ProcessingJob.stage == "score"))
    assert execute_job(job.id, "test") == "done"
    db.session.expire_all()
    card = _card(call)
    assert card.id == card_id  # updated in place: links to it stay valid
    farewell = _item(card, "farewell")
    assert (farewell["result"], farewell["points"]) == ("fail", 0.0)
    row = next(r for r in card.items if r.item_key == "farewell")
    assert (row.result, row.auto_result) == ("fail", "fail")  # the swapped call fails it too
    kept = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "override_kept"))
    assert kept.field == "script_en/farewell" and kept.reason == "cut off"
    assert kept.new_value["by"] == scored["qa"].id
    assert card.auto_total != auto_before and card.total <= card.auto_total
    moved = db.session.get(Dispute, dispute_id)
    assert moved is not None and moved.item_result_id == row_id and moved.status == "open"
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "kept when scored again" in page and "cut off" in page


def test_rescore_keeps_an_override_the_engine_now_disagrees_with(scored):
    from qa.scorecards.services import score_call
    from transcription.schema import Transcript

    call, card = scored["call"], _card(scored["call"])
    change = OverrideRequest(
        "greeting", "fail", None, "greeting was not audible", card.lock_version, "pass", 10.0
    )
    override_item(card, change, scored["qa"])
    db.session.commit()
    total = card.total
    score_call(call, Transcript.from_dict(call.transcript.data))
    db.session.commit()
    db.session.expire_all()
    card = _card(call)
    row = next(r for r in card.items if r.item_key == "greeting")
    assert (row.result, row.auto_result) == ("fail", "pass")
    assert card.total == total and card.auto_total > total
    again = score_call(call, Transcript.from_dict(call.transcript.data))  # kept again
    assert next(r for r in _card(call).items if r.item_key == "greeting").result == "fail"
    assert len(again) == 2


def test_rescore_under_a_new_rubric_version_moves_disputes(scored):
    from qa.disputes.models import Dispute
    from qa.disputes.services import open_dispute
    from qa.rubrics.services import add_version, get_rubric, publish
    from qa.scorecards.services import score_call
    from transcription.schema import Transcript

    call, card = scored["call"], _card(scored["call"])
    row = next(r for r in card.items if r.item_key == "verification")
    dispute = open_dispute(row, scored["agent"], "I verified", window_days=7)
    published = next(v for v in get_rubric("script_en").versions if v.status == "published")
    document = published.document.replace("version: 1", "version: 2", 1)
    publish(add_version(document, note="wording"))
    db.session.commit()
    score_call(call, Transcript.from_dict(call.transcript.data))
    db.session.commit()
    db.session.expire_all()
    card = _card(call)
    assert card.rubric_version_id != published.id
    moved = db.session.get(Dispute, dispute.id)
    assert moved.item_result_id == next(r.id for r in card.items if r.item_key == "verification")
