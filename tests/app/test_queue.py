"""The review queue: priority order, the weekly sample, claims with expiry, CSRF."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from qa.db import db, utcnow
from qa.disputes.models import Dispute
from qa.queue.claims import ClaimError, claim_call, my_claims, release_call
from qa.queue.models import ReviewClaim
from qa.queue.sampling import weekly_sample
from qa.queue.services import QueueSettings, review_queue
from qa.review.models import Review
from qa.scorecards.models import ItemResultRecord, ScorecardRecord
from tests.app.test_search_data import add_call

NO_SAMPLE = QueueSettings(sample_per_agent=0)


@pytest.fixture
def people(make_user):  # type: ignore[no-untyped-def]
    return {
        "ann": make_user("agent", team="Harbour", name="Ann"),
        "bob": make_user("agent", team="Summit", name="Bob"),
        "quinn": make_user("qa", team=None, name="Quinn"),
        "rita": make_user("qa", team=None, name="Rita"),
        "admin": make_user("admin", team=None, name="Ada"),
    }


def open_dispute(call, agent) -> None:  # type: ignore[no-untyped-def]
    card = db.session.query(ScorecardRecord).filter_by(call_id=call.id).one()
    item = ItemResultRecord(
        scorecard_id=card.id,
        call_id=call.id,
        item_key="greeting",
        section="opening",
        title="Greeting",
        result="fail",
        auto_result="fail",
        points=0,
        max_points=5,
        confidence=0.9,
    )
    db.session.add(item)
    db.session.flush()
    db.session.add(
        Dispute(
            item_result_id=item.id,
            call_id=call.id,
            agent_id=agent.id,
            comment="I did greet",
            result_at_open="fail",
        )
    )
    db.session.commit()


@pytest.fixture
def flagged(people):  # type: ignore[no-untyped-def]
    ann, bob = people["ann"], people["bob"]
    day = datetime(2024, 5, 6, 9)
    calls = {
        "ok": add_call(ann, started_at=day, total=95.0),
        "low_old": add_call(bob, started_at=day, total=85.0, needs_review=True),
        "critical": add_call(ann, started_at=day + timedelta(days=1), total=30.0, critical=True),
        "low_new": add_call(ann, started_at=day + timedelta(days=2), total=75.0, needs_review=True),
        "both": add_call(
            bob, started_at=day + timedelta(days=3), total=20.0, critical=True, needs_review=True
        ),
        "disputed": add_call(bob, started_at=day, total=60.0),
        "reviewed": add_call(ann, started_at=day, total=10.0, critical=True),
    }
    open_dispute(calls["disputed"], bob)
    db.session.add(Review(call_id=calls["reviewed"].id, reviewer_id=people["quinn"].id))
    db.session.commit()
    return calls


def queue_ids(user, settings=NO_SAMPLE, now=None, **kw) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    page = review_queue(user, now or utcnow(), settings, **kw)
    return [(item.call.id, item.reason) for item in page.items]


def test_priority_order_and_reviewed_calls_left_out(people, flagged):
    c = flagged
    assert queue_ids(people["quinn"]) == [
        (c["critical"].id, "critical"),
        (c["both"].id, "critical"),
        (c["low_old"].id, "low_confidence"),
        (c["low_new"].id, "low_confidence"),
        (c["disputed"].id, "dispute"),
    ]


def test_queue_pages(people, flagged):
    first = review_queue(people["quinn"], utcnow(), NO_SAMPLE, page=1, page_size=2)
    second = review_queue(people["quinn"], utcnow(), NO_SAMPLE, page=3, page_size=2)
    assert first.has_next and len(first.items) == 2
    assert not second.has_next and [i.call.id for i in second.items] == [flagged["disputed"].id]


def test_resolved_disputes_leave_the_queue(people, flagged):
    db.session.query(Dispute).update({"status": "rejected"})
    db.session.commit()
    assert flagged["disputed"].id not in dict(queue_ids(people["quinn"]))


@pytest.fixture
def week_of_calls(people):  # type: ignore[no-untyped-def]
    now = datetime(2024, 5, 9, 12)  # a Thursday
    monday = datetime(2024, 5, 6, 8)
    made = {"ann": [], "bob": []}
    for name in made:
        for i in range(8):
            made[name].append(
                add_call(people[name], started_at=monday + timedelta(hours=i), total=90.0)
            )
        # last week's calls are sampled separately; older ones are out of the window
        made[name].append(add_call(people[name], started_at=monday - timedelta(days=3), total=90.0))
        add_call(people[name], started_at=monday - timedelta(days=20), total=90.0)
    return now, made


def test_weekly_sample_is_per_agent_per_week_and_stable(people, week_of_calls):
    now, made = week_of_calls
    sample = weekly_sample(now, 2, 2, "seed")
    assert sample == weekly_sample(now + timedelta(days=2), 2, 2, "seed")  # same week
    for calls in made.values():
        this_week = {c.id for c in calls[:8]}
        assert len(sample & this_week) == 2
        assert calls[8].id in sample  # the only call of last week
    assert len(sample) == 6
    assert weekly_sample(now, 2, 1, "seed") == sample - {made["ann"][8].id, made["bob"][8].id}
    assert weekly_sample(now, 2, 2, "other seed") != sample


def test_reviewing_a_sampled_call_does_not_draw_another(people, week_of_calls):
    now, _ = week_of_calls
    settings = QueueSettings(sample_per_agent=2, sample_weeks=2, sample_seed="seed")
    before = queue_ids(people["quinn"], settings, now)
    assert {reason for _, reason in before} == {"sample"} and len(before) == 6
    db.session.add(Review(call_id=before[0][0], reviewer_id=people["quinn"].id))
    db.session.commit()
    assert queue_ids(people["quinn"], settings, now) == before[1:]


def test_claim_release_and_double_claim(app, people, flagged):
    call, quinn, rita = flagged["critical"], people["quinn"], people["rita"]
    now = datetime(2024, 5, 9, 12)
    with app.test_request_context():
        claim = claim_call(call, quinn, now, 30)
        db.session.commit()
        assert claim.expires_at == now + timedelta(minutes=30)
        with pytest.raises(ClaimError, match="already claimed by Quinn until 12:30 UTC"):
            claim_call(call, rita, now + timedelta(minutes=5), 30)
        db.session.rollback()
        with pytest.raises(ClaimError, match="already claimed by Quinn"):
            release_call(call, rita, now)
        renewed = claim_call(call, quinn, now + timedelta(minutes=10), 30)  # renew own claim
        assert renewed.expires_at == now + timedelta(minutes=40)
        assert [c.call_id for c in my_claims(quinn, now)] == [call.id]
        release_call(call, quinn, now)
        db.session.commit()
        with pytest.raises(ClaimError, match="not claimed"):
            release_call(call, quinn, now)
        assert claim_call(call, rita, now, 30).user_id == rita.id


def test_expired_claims_can_be_taken_over(app, people, flagged):
    call, quinn, rita = flagged["critical"], people["quinn"], people["rita"]
    now = datetime(2024, 5, 9, 12)
    with app.test_request_context():
        claim_call(call, quinn, now, 30)
        db.session.commit()
        later = now + timedelta(minutes=31)
        assert my_claims(quinn, later) == []
        taken = claim_call(call, rita, later, 30)
        db.session.commit()
        assert taken.user_id == rita.id and db.session.query(ReviewClaim).count() == 1


def test_admin_may_release_anyones_claim(app, people, flagged):
    call = flagged["critical"]
    now = utcnow()
    with app.test_request_context():
        claim_call(call, people["quinn"], now, 30)
        release_call(call, people["admin"], now)
        db.session.commit()
    assert db.session.query(ReviewClaim).count() == 0


def test_reviewed_calls_cannot_be_claimed(app, people, flagged):
    with app.test_request_context(), pytest.raises(ClaimError, match="already been reviewed"):
        claim_call(flagged["reviewed"], people["quinn"], utcnow(), 30)


def test_claims_order_and_hide_the_queue(app, people, flagged):
    c, quinn, rita = flagged, people["quinn"], people["rita"]
    with app.test_request_context():
        claim_call(c["disputed"], quinn, utcnow(), 30)
        claim_call(c["critical"], rita, utcnow(), 30)
        db.session.commit()
    mine = review_queue(quinn, utcnow(), NO_SAMPLE)
    assert [i.call.id for i in mine.items][:2] == [c["disputed"].id, c["both"].id]
    assert mine.items[0].claim.user_id == quinn.id and mine.claimed_by_others == 1
    assert c["critical"].id not in [i.call.id for i in mine.items]


def test_queue_page_claim_and_release_flow(client, login, people, flagged, app):
    app.config["REVIEW_CLAIM_MINUTES"] = 45
    call = flagged["critical"]
    login(people["quinn"])
    page = client.get("/queue/").get_data(as_text=True)
    assert f'action="/queue/{call.id}/claim"' in page and "Failed a critical item" in page
    response = client.post(f"/queue/{call.id}/claim")
    assert response.status_code == 302 and response.location.endswith(f"/calls/{call.id}")
    claim = db.session.query(ReviewClaim).one()
    assert claim.expires_at - claim.claimed_at == timedelta(minutes=45)
    page = client.get("/queue/").get_data(as_text=True)
    assert f'action="/queue/{call.id}/release"' in page
    client.post("/logout")
    login(people["rita"])
    response = client.post(f"/queue/{call.id}/claim", follow_redirects=True)
    assert "already claimed by Quinn" in response.get_data(as_text=True)
    assert "1 more claimed by others" in response.get_data(as_text=True)
    client.post("/logout")
    login(people["quinn"])
    response = client.post(f"/queue/{call.id}/release", follow_redirects=True)
    assert "back in the queue" in response.get_data(as_text=True)
    assert db.session.query(ReviewClaim).count() == 0


def test_agents_cannot_use_the_queue(client, login, people, flagged):
    login(people["ann"])
    assert client.get("/queue/").status_code == 403
    assert client.post(f"/queue/{flagged['critical'].id}/claim").status_code == 403


def test_claiming_a_missing_call_is_not_found(client, login, people):
    login(people["quinn"])
    assert client.post("/queue/999/claim").status_code == 404


@pytest.mark.parametrize("url", ["/queue/1/claim", "/queue/1/release"])
def test_post_without_csrf_token_is_rejected(csrf_client, url):
    response = csrf_client.post(url)
    assert response.status_code == 400 and b"CSRF" in response.data
