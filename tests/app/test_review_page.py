"""What the call page shows: timeline data, metrics, evidence, and replaced scorecards."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from qa.audit.models import AuditEntry
from qa.db import db
from qa.review.page import timeline
from qa.scorecards.services import score_call, scorecards_for_call
from transcription.schema import Segment, Speaker, Transcript


def _transcript() -> Transcript:
    segs = [
        Segment(0, 0.0, 4.0, "hello, how can I help", "A", "agent"),
        Segment(1, 3.0, 6.0, "my bill is wrong", "C", "customer"),  # 1 s overlap
        Segment(2, 6.5, 8.0, "please hold while I check", "A", "agent"),
        Segment(3, 20.0, 22.0, "thanks for holding", "A", "agent"),  # 12 s announced hold
        Segment(4, 40.0, 41.0, "hello?", "C", "customer"),  # 18 s unexplained silence
    ]
    return Transcript(42.0, "en", segs, [Speaker("A", "agent"), Speaker("C", "customer")])


def test_timeline_has_lanes_silences_and_overlaps():
    data = timeline(_transcript())
    assert data["duration"] == 42.0
    assert data["lanes"]["agent"] == [[0.0, 4.0], [6.5, 8.0], [20.0, 22.0]]
    assert data["lanes"]["customer"] == [[3.0, 6.0], [40.0, 41.0]]
    assert data["overlaps"] == [[3.0, 4.0]]
    assert data["silences"] == [[8.0, 20.0, "hold"], [22.0, 40.0, "unexplained_silence"]]


def test_page_shows_metrics_timeline_and_evidence(client, login, make_user, make_scored_call):
    call = make_scored_call(make_user("agent"))
    login(make_user("qa", team=None))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'id="call-metrics"' in page and "agent talk" in page and "dead air" in page
    raw = re.search(r'id="timeline-data">(.*?)</script>', page, re.S).group(1)
    assert set(json.loads(raw)["lanes"]) == {"agent", "customer"}
    card = scorecards_for_call(call.id)[0]
    evidence = [e for i in card.data["items"] for e in i["evidence"]]
    assert evidence and f'data-start="{evidence[0]["start"]}"' in page
    assert 'class="w"' in page and "space" in page and "vendor/plotly.min.js" in page
    assert 'id="jobs"' in page and "jobs.js" in page  # processing table still polled


def test_page_of_an_unprocessed_call_still_renders(client, login, make_user, make_call):
    call = make_call(make_user("agent"))
    login(make_user("qa", team=None))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'id="jobs"' in page and "timeline-data" not in page and "Mark reviewed" not in page


@pytest.mark.parametrize("swapped", [False, True])
def test_override_after_a_rescore_applies_only_if_the_item_is_as_seen(
    client, login, make_user, make_scored_call, swapped
):
    from transcription.roles import swap_roles
    from transcription.schema import Transcript as T

    call = make_scored_call(make_user("agent"))
    reviewer = make_user("qa", team=None)
    old = next(c for c in scorecards_for_call(call.id) if c.data["rubric"] == "script_en")
    farewell = next(i for i in old.data["items"] if i["key"] == "farewell")
    form = {
        "scorecard_id": old.id,
        "item_key": "farewell",
        "lock_version": old.lock_version,
        "seen_result": farewell["result"],
        "seen_points": farewell["points"],
        "result": "na",
        "reason": "does not apply here",
    }
    transcript = T.from_dict(call.transcript.data)
    if swapped:
        swap_roles(transcript)  # the re-score now fails the farewell the reviewer saw pass
    score_call(call, transcript)
    db.session.commit()
    login(reviewer)
    response = client.post(f"/calls/{call.id}/override", data=form)
    if not swapped:
        assert response.status_code == 302
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "override"))
        return
    assert response.status_code == 409
    assert "does not apply here" in response.get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "override_rejected"))
    assert entry.reason == "does not apply here" and entry.user_id == reviewer.id


def test_transcript_html_escapes_everything_and_joins_chinese_without_spaces():
    from qa.review.page import transcript_html

    data = {
        "language": "zh",
        "segments": [
            {
                "id": 0,
                "start": 0.0,
                "end": 1.0,
                "role": '"><script>x</script>',
                "text": "您好",
                "words": [
                    {"start": 0.0, "end": 0.5, "text": "您"},
                    {"start": 0.5, "end": 1.0, "text": "<i>"},
                ],
            },
            {"id": 1, "start": 1.0, "end": 2.0, "role": "agent", "text": "<b>no words</b>"},
        ],
    }
    html = str(transcript_html(data, {"agent": "客服"}, 'say "hi"'))
    assert "<script>" not in html and "<i>" not in html and "<b>" not in html
    assert '您</span><span class="w" data-s="0.5" data-e="1.0">&lt;i&gt;' in html
    assert "&lt;b&gt;no words&lt;/b&gt;" in html and "客服" in html
    assert 'title="say &#34;hi&#34;"' in html
