"""Job runner: claim once, retry after a crash, exactly one result, readable failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import qa.jobs.pipeline  # noqa: F401  (registers the real stages before tests replace them)
from qa.calls.models import TranscriptRecord
from qa.db import db, utcnow
from qa.jobs import stages
from qa.jobs.models import ProcessingJob
from qa.jobs.services import _claim, execute_job, recover_stale_jobs
from qa.jobs.stages import Stage, StageInputError, StageUnavailable


class FakeTranscribe(Stage):
    """Write a transcript row like the real stage; optionally crash first."""

    name = "transcribe"
    runs: list[int] = []
    crash_times = 0
    error: type[Exception] = RuntimeError

    def run(self, app, call, progress):
        FakeTranscribe.runs.append(call.id)
        progress(0.5, "halfway")
        if FakeTranscribe.crash_times > 0:
            FakeTranscribe.crash_times -= 1
            raise FakeTranscribe.error("model process died")
        db.session.add(TranscriptRecord(call_id=call.id, text="hello", data={"segments": []}))
        call.status = "scored"
        return []


@pytest.fixture
def fake_stage(monkeypatch):
    FakeTranscribe.runs = []
    FakeTranscribe.crash_times = 0
    FakeTranscribe.error = RuntimeError
    monkeypatch.setitem(stages.STAGES, "transcribe", FakeTranscribe)
    return FakeTranscribe


def _job(call):
    return db.session.scalar(select(ProcessingJob).where(ProcessingJob.call_id == call.id))


def _transcripts(call) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(TranscriptRecord)
        .where(TranscriptRecord.call_id == call.id)
    )


def test_job_runs_once_and_records_progress(app, make_call, fake_stage):
    call = make_call()
    job = _job(call)
    assert execute_job(job.id, "w1") == "done"
    assert execute_job(job.id, "w2") == "skipped"  # a redelivered message does nothing
    db.session.refresh(job)
    assert (job.status, job.progress, job.attempts) == ("done", 1.0, 1)
    assert fake_stage.runs == [call.id] and _transcripts(call) == 1


def test_crashed_worker_job_is_recovered_with_exactly_one_result(app, make_call, fake_stage):
    call = make_call()
    job = _job(call)
    assert _claim(job.id, "worker-that-dies")  # claimed, then the worker is killed
    assert execute_job(job.id, "w2") == "skipped"  # still owned while the heartbeat is fresh
    db.session.refresh(job)
    job.heartbeat_at = utcnow() - timedelta(seconds=app.config["JOB_STALE_SECONDS"] + 1)
    db.session.commit()
    app.config["JOBS_EAGER"] = True  # recovery dispatches and the job runs here
    assert recover_stale_jobs() == [job.id]
    db.session.refresh(job)
    assert (job.status, job.attempts) == ("done", 2)
    assert _transcripts(call) == 1


def test_late_finish_of_a_superseded_run_is_discarded(app, make_call, fake_stage, monkeypatch):
    call = make_call()
    job = _job(call)

    class Slow(FakeTranscribe):
        def run(self, app_, call_, progress):
            # while this run works, it is declared dead and another worker completes the job
            stale = utcnow() - timedelta(seconds=app.config["JOB_STALE_SECONDS"] + 1)
            db.session.execute(
                ProcessingJob.__table__.update()
                .where(ProcessingJob.id == job.id)
                .values(heartbeat_at=stale)
            )
            db.session.commit()
            monkeypatch.setitem(stages.STAGES, "transcribe", FakeTranscribe)
            assert execute_job(job.id, "w2") == "done"
            return super().run(app_, call_, progress)

    monkeypatch.setitem(stages.STAGES, "transcribe", Slow)
    assert execute_job(job.id, "w1") == "superseded"
    assert _transcripts(call) == 1


def test_transient_error_is_retried_then_succeeds(app, make_call, fake_stage):
    fake_stage.crash_times = 1
    call = make_call()
    job = _job(call)
    assert execute_job(job.id, "w1") == "retrying"
    db.session.refresh(job)
    assert job.status == "queued" and "model process died" in job.error
    assert execute_job(job.id, "w1") == "done"
    assert _transcripts(call) == 1


def test_failure_after_max_attempts_is_recorded_readably(app, make_call, fake_stage):
    fake_stage.crash_times = 99
    call = make_call()
    job = _job(call)
    for _ in range(app.config["JOB_MAX_ATTEMPTS"]):
        execute_job(job.id, "w1")
    db.session.refresh(job)
    db.session.refresh(call)
    assert job.status == "failed" and job.attempts == app.config["JOB_MAX_ATTEMPTS"]
    assert call.status == "failed" and "model process died" in call.error_message
    assert _transcripts(call) == 0


def test_bad_input_fails_without_retry(app, make_call, fake_stage):
    fake_stage.crash_times, fake_stage.error = 1, StageInputError
    call = make_call()
    assert execute_job(_job(call).id, "w1") == "failed"
    assert _job(call).attempts == 1 and _job(call).status == "failed"


def test_unavailable_stage_is_visible(app, make_call, fake_stage):
    fake_stage.crash_times, fake_stage.error = 1, StageUnavailable
    call = make_call()
    assert execute_job(_job(call).id, "w1") == "unavailable"
    assert _job(call).status == "unavailable"


def test_status_endpoint_reports_progress(client, login, make_user, make_call, fake_stage):
    user = make_user("qa")
    call = make_call()
    login(user)
    data = client.get(f"/calls/{call.id}/status").get_json()
    assert data["jobs"][0]["status"] == "queued"
    execute_job(_job(call).id, "w1")
    data = client.get(f"/calls/{call.id}/status").get_json()
    assert data["jobs"][0] | {"message": None} == {
        "stage": "transcribe",
        "status": "done",
        "progress": 1.0,
        "message": None,
        "attempts": 1,
        "error": None,
    }
