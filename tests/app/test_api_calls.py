"""API calls: upload with the ingest checks, status, transcript exports, scorecards, results."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from sqlalchemy import func, select

from qa.calls.models import Call
from qa.db import db
from qa.jobs.models import ProcessingJob
from tests.app.api_support import assert_error, bearer, token_for


def _post_audio(client, secret, data: bytes, filename: str, **fields: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/calls",
        data={"audio": (io.BytesIO(data), filename), **fields},
        content_type="multipart/form-data",
        headers=bearer(secret),
    )


def _calls() -> int:
    return db.session.scalar(select(func.count()).select_from(Call))


@pytest.fixture
def qa_secret(make_user):  # type: ignore[no-untyped-def]
    return token_for(make_user("qa"))


def test_upload_creates_call_then_duplicate_returns_existing(
    client, make_user, qa_secret, audio_file
):
    make_user("agent", agent_code="A7")
    response = _post_audio(
        client,
        qa_secret,
        audio_file.read_bytes(),
        "jfk.flac",
        agent_code="A7",
        queue="billing",
        language="en",
        direction="inbound",
        started_at="2026-11-20T10:30:00Z",
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["duplicate"] is False and body["job_id"]
    assert response.headers["Location"].endswith(f"/api/v1/calls/{body['call_id']}")
    call = db.session.get(Call, body["call_id"])
    assert call.queue == "billing" and call.agent.agent_code == "A7"
    assert call.started_at == datetime(2026, 11, 20, 10, 30)
    again = _post_audio(client, qa_secret, audio_file.read_bytes(), "copy.flac")
    assert again.status_code == 200
    assert again.get_json()["duplicate"] is True and again.get_json()["call_id"] == call.id
    assert _calls() == 1


@pytest.mark.parametrize(
    ("data", "filename", "fields", "status", "code", "text"),
    [
        (b"MZ\0\0", "virus.exe", {}, 415, "unsupported_media_type", "unsupported file type"),
        (b"", "empty.wav", {}, 400, "rejected", "empty"),
        (b"this is not audio\n" * 40, "notes.wav", {}, 400, "rejected", "not a readable audio"),
        (None, "jfk.flac", {"agent_code": "NOPE"}, 400, "rejected", "unknown agent code"),
        (None, "jfk.flac", {"language": "fr"}, 400, "invalid_metadata", "language must be"),
        (None, "jfk.flac", {"started_at": "yesterday"}, 400, "invalid_metadata", "started_at"),
    ],
)
def test_upload_rejections(
    client, qa_secret, audio_file, data, filename, fields, status, code, text
):
    payload = audio_file.read_bytes() if data is None else data
    error = assert_error(_post_audio(client, qa_secret, payload, filename, **fields), status, code)
    assert text in error["message"]
    assert _calls() == 0


def test_upload_over_the_limit_is_413(client, qa_secret, app):
    limit = app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    error = assert_error(_post_audio(client, qa_secret, b"\0" * (limit + 10), "big.wav"), 413)
    assert "limit" in error["message"]
    huge = b"\0" * (limit + 3 * 1024 * 1024)  # beyond the request limit itself
    assert "limit" in assert_error(_post_audio(client, qa_secret, huge, "big.wav"), 413)["message"]
    assert _calls() == 0


def test_upload_without_audio_field(client, qa_secret):
    response = client.post("/api/v1/calls", data={"queue": "x"}, headers=bearer(qa_secret))
    assert_error(response, 400, "missing_audio")


def test_agent_token_cannot_upload(client, make_user, audio_file):
    secret = token_for(make_user("agent"))
    assert_error(_post_audio(client, secret, audio_file.read_bytes(), "a.flac"), 403)


def test_call_status_reports_jobs(client, make_user, make_call, qa_secret):
    call = make_call(make_user("agent"))
    body = client.get(f"/api/v1/calls/{call.id}", headers=bearer(qa_secret)).get_json()
    assert body["id"] == call.id and body["status"] == "received"
    assert [(j["stage"], j["status"]) for j in body["jobs"]] == [("transcribe", "queued")]
    assert body["progress"] == 0.0 and body["kpis"] == {}


def test_scored_call_status_and_scorecards(client, make_user, make_scored_call, qa_secret):
    call = make_scored_call(make_user("agent"))
    body = client.get(f"/api/v1/calls/{call.id}", headers=bearer(qa_secret)).get_json()
    assert body["status"] == "scored" and body["progress"] == 1.0
    cards = client.get(f"/api/v1/calls/{call.id}/scorecards", headers=bearer(qa_secret))
    data = cards.get_json()["data"]
    assert data and data[0]["call_id"] == call.id and data[0]["rubric"]
    items = data[0]["scorecard"]["items"]
    assert items and {"key", "result"} <= set(items[0])


def test_transcript_json_and_exports(client, make_user, make_scored_call, qa_secret):
    call = make_scored_call(make_user("agent"))
    base = f"/api/v1/calls/{call.id}/transcript"
    stored = client.get(base, headers=bearer(qa_secret)).get_json()
    assert stored == call.transcript.data
    vtt = client.get(base + "?format=vtt", headers=bearer(qa_secret))
    assert vtt.content_type.startswith("text/vtt") and vtt.get_data(as_text=True).startswith(
        "WEBVTT"
    )
    srt = client.get(base + "?format=srt", headers=bearer(qa_secret)).get_data(as_text=True)
    assert srt.startswith("0\n") or srt.startswith("1\n")
    assert " --> " in srt
    rttm = client.get(base + "?format=rttm", headers=bearer(qa_secret)).get_data(as_text=True)
    assert rttm.startswith(f"SPEAKER call{call.id} ")
    assert_error(client.get(base + "?format=docx", headers=bearer(qa_secret)), 400)


def test_transcript_not_ready_is_404(client, make_user, make_call, qa_secret):
    call = make_call(make_user("agent"))
    response = client.get(f"/api/v1/calls/{call.id}/transcript", headers=bearer(qa_secret))
    assert_error(response, 404, "no_transcript")


def test_unknown_call_is_404(client, qa_secret):
    for path in ("", "/transcript", "/scorecards"):
        assert_error(client.get(f"/api/v1/calls/999{path}", headers=bearer(qa_secret)), 404)


def test_agent_token_sees_only_own_calls_and_results(client, make_user, make_scored_call):
    ann, bob = make_user("agent"), make_user("agent")
    own, other = make_scored_call(ann), make_scored_call(bob)
    secret = token_for(ann)
    listed = client.get("/api/v1/calls", headers=bearer(secret)).get_json()["data"]
    assert [c["id"] for c in listed] == [own.id]
    for path in ("", "/transcript", "/scorecards"):
        assert_error(client.get(f"/api/v1/calls/{other.id}{path}", headers=bearer(secret)), 404)
        assert (
            client.get(f"/api/v1/calls/{own.id}{path}", headers=bearer(secret)).status_code == 200
        )
    results = client.get("/api/v1/results", headers=bearer(secret)).get_json()["data"]
    assert results and {r["call_id"] for r in results} == {own.id}
    asking_for_bob = client.get(f"/api/v1/results?agent={bob.agent_code}", headers=bearer(secret))
    assert asking_for_bob.get_json()["data"] == []


def test_manager_token_sees_the_team(client, make_user, make_scored_call):
    mine = make_scored_call(make_user("agent", team="Harbour"))
    make_scored_call(make_user("agent", team="Summit"))
    secret = token_for(make_user("manager", team="Harbour"))
    results = client.get("/api/v1/results", headers=bearer(secret)).get_json()["data"]
    assert {r["call_id"] for r in results} == {mine.id}


def test_results_filters(client, make_user, make_scored_call, qa_secret):
    ann, bob = make_user("agent"), make_user("agent")
    first = make_scored_call(ann, started_at="2026-10-01T09:00")
    second = make_scored_call(bob, started_at="2026-11-15T09:00")

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/v1/results?{query}", headers=bearer(qa_secret))
        assert response.status_code == 200, response.get_json()
        return {r["call_id"] for r in response.get_json()["data"]}

    assert ids("") == {first.id, second.id}
    assert ids(f"agent={ann.agent_code}") == {first.id}
    assert ids("from=2026-11-01") == {second.id}
    assert ids("to=2026-10-01") == {first.id}
    assert ids("from=2026-10-01T10:00:00&to=2026-11-30") == {second.id}
    card = client.get("/api/v1/results", headers=bearer(qa_secret)).get_json()["data"][0]
    assert ids(f"rubric={card['rubric']}") == {first.id, second.id}
    assert ids("rubric=no-such-rubric") == set()
    total = card["total"]
    assert card["call_id"] in ids(f"min_score={total}&max_score={total}")
    top = max(
        r["total"]
        for r in client.get("/api/v1/results", headers=bearer(qa_secret)).get_json()["data"]
    )
    assert ids(f"min_score={top + 0.01}") == set()
    assert ids("max_score=-1") == set()
    for bad in ("from=soon", "min_score=high", "limit=0", "limit=abc", "cursor=%%%"):
        assert_error(client.get(f"/api/v1/results?{bad}", headers=bearer(qa_secret)), 400)


def test_pagination_walks_every_row_once(client, make_user, make_call, qa_secret):
    agent = make_user("agent")
    made = [make_call(agent).id for _ in range(5)]
    seen, cursor, pages = [], None, 0
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/v1/calls?{query}", headers=bearer(qa_secret)).get_json()
        seen += [c["id"] for c in body["data"]]
        cursor, pages = body["next_cursor"], pages + 1
        if not cursor:
            break
    assert seen == sorted(made, reverse=True) and pages == 3


def test_uploaded_call_runs_its_pipeline_jobs(client, qa_secret, audio_file):
    response = _post_audio(client, qa_secret, audio_file.read_bytes(), "jfk.flac")
    job = db.session.scalar(select(ProcessingJob))
    assert job.call_id == response.get_json()["call_id"] and job.stage == "transcribe"
