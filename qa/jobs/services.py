"""Queue, claim, run and recover pipeline jobs.

The job row is the source of truth. A job is claimed with one guarded UPDATE, so two
workers never run it at once; its results are written in the same transaction that marks
it done, guarded by the claim, so a job taken over after a crash never yields two results.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.calls.models import Call
from qa.db import db, utcnow
from qa.jobs.models import ProcessingJob
from qa.jobs.stages import StageInputError, StageUnavailable, get_stage

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 20


def create_job(call: Call, stage: str) -> ProcessingJob:
    """Return the (re)queued job for ``call`` and ``stage``; the caller commits and dispatches."""
    job = db.session.scalar(
        select(ProcessingJob).where(ProcessingJob.call_id == call.id, ProcessingJob.stage == stage)
    )
    if job is None:
        job = ProcessingJob(call_id=call.id, stage=stage)
        db.session.add(job)
    job.status = "queued"
    job.progress = 0.0
    job.message = "waiting for a worker"
    job.error = None
    job.attempts = 0
    job.queued_at = utcnow()
    job.finished_at = None
    db.session.flush()
    return job


def dispatch(job_id: int, countdown: int = 0) -> None:
    """Hand a committed job to the workers (or run it now when jobs are eager)."""
    if current_app.config["JOBS_EAGER"]:
        execute_job(job_id, worker="eager")
        return
    celery = current_app.extensions["celery"]
    celery.send_task("callqa.run_job", args=[job_id], countdown=countdown or None)


def _claim(job_id: int, worker: str) -> bool:
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    result = db.session.execute(
        update(ProcessingJob)
        .where(
            ProcessingJob.id == job_id,
            or_(
                ProcessingJob.status == "queued",
                and_(ProcessingJob.status == "running", ProcessingJob.heartbeat_at < stale),
            ),
        )
        .values(
            status="running",
            attempts=ProcessingJob.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            worker=worker,
            message="started",
        )
    )
    db.session.commit()
    return result.rowcount == 1


class _Progress:
    """Write progress and heartbeats in short transactions of their own."""

    def __init__(self, job_id: int, attempt: int) -> None:
        self.job_id = job_id
        self.attempt = attempt
        self.engine = db.engine
        self._last = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True)

    def __enter__(self) -> _Progress:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _write(self, **values: object) -> None:
        with Session(self.engine) as session:
            session.execute(
                update(ProcessingJob)
                .where(
                    ProcessingJob.id == self.job_id,
                    ProcessingJob.status == "running",
                    ProcessingJob.attempts == self.attempt,
                )
                .values(heartbeat_at=utcnow(), **values)
            )
            session.commit()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            try:
                self._write()
            except Exception:  # a missed heartbeat is not fatal
                log.exception("heartbeat failed for job %s", self.job_id)

    def __call__(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last < 0.5 and fraction < 1.0:
            return
        self._last = now
        self._write(progress=max(0.0, min(1.0, fraction)), message=message[:255] or None)


def _finish(job: ProcessingJob, **values: object) -> bool:
    """Mark the claimed job finished; return False when another worker took it over."""
    result = db.session.execute(
        update(ProcessingJob)
        .where(
            ProcessingJob.id == job.id,
            ProcessingJob.status == "running",
            ProcessingJob.attempts == job.attempts,
        )
        .values(finished_at=utcnow(), heartbeat_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _fail(job_id: int, attempts: int, error: str, *, retry: bool) -> int | None:
    """Record a failure; return the countdown when the job should be retried."""
    job = db.session.get(ProcessingJob, job_id)
    if job is None:
        return None
    call = db.session.get(Call, job.call_id)
    if retry and attempts < current_app.config["JOB_MAX_ATTEMPTS"]:
        values = {"status": "queued", "error": error, "message": f"retrying after: {error[:200]}"}
        job.queued_at = utcnow()
        countdown = 10 * attempts
    else:
        values = {"status": "failed", "error": error, "message": "failed"}
        countdown = None
        if call is not None:
            call.status = "failed"
            call.error_message = f"{job.stage}: {error}"
    if not _finish(job, **values):
        db.session.rollback()
        return None
    db.session.commit()
    return countdown


def execute_job(job_id: int, worker: str) -> str:
    """Claim and run one job; return what happened ("done", "skipped", "failed", ...)."""
    if not _claim(job_id, worker):
        return "skipped"
    job = db.session.get(ProcessingJob, job_id)
    db.session.refresh(job)
    call = db.session.get(Call, job.call_id)
    stage = get_stage(job.stage)
    try:
        stage.check_available(current_app)
        with _Progress(job.id, job.attempts) as progress:
            next_stages = stage.run(current_app, call, progress)
    except StageUnavailable as exc:
        db.session.rollback()
        job = db.session.get(ProcessingJob, job_id)
        if _finish(job, status="unavailable", message=str(exc)[:255], error=str(exc)):
            db.session.commit()
        return "unavailable"
    except StageInputError as exc:
        db.session.rollback()
        _fail(job_id, job.attempts, str(exc), retry=False)
        return "failed"
    except Exception as exc:
        log.exception("job %s (%s) crashed", job_id, job.stage)
        db.session.rollback()
        countdown = _fail(job_id, job.attempts, f"{type(exc).__name__}: {exc}", retry=True)
        if countdown is not None:
            if not current_app.config["JOBS_EAGER"]:
                dispatch(job_id, countdown=countdown)
            return "retrying"
        return "failed"
    attempt = job.attempts
    try:
        finished = _finish(job, status="done", progress=1.0, message="done", error=None)
    except IntegrityError as exc:  # results clash with a newer run's results
        db.session.rollback()
        current = db.session.get(ProcessingJob, job_id)
        if current.status == "running" and current.attempts == attempt:
            _fail(job_id, attempt, f"could not save results: {exc.orig}", retry=True)
            return "failed"
        finished = False
    if not finished:
        db.session.rollback()  # taken over by another worker: its result wins
        return "superseded"
    followers = [create_job(call, name) for name in next_stages]
    db.session.commit()
    for follower in followers:
        dispatch(follower.id)
    return "done"


def recover_stale_jobs() -> list[int]:
    """Redispatch jobs whose worker died (stale heartbeat) or that waited too long."""
    stale = utcnow() - timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    jobs = db.session.scalars(
        select(ProcessingJob).where(
            or_(
                and_(ProcessingJob.status == "running", ProcessingJob.heartbeat_at < stale),
                and_(ProcessingJob.status == "queued", ProcessingJob.queued_at < stale),
            )
        )
    ).all()
    ids = []
    for job in jobs:
        if job.status == "queued":
            job.queued_at = utcnow()
        ids.append(job.id)
    db.session.commit()
    for job_id in ids:
        dispatch(job_id)
    return ids


def start_pipeline(call: Call) -> ProcessingJob:
    """Queue the first stage for a new call (the caller commits, then dispatches)."""
    return create_job(call, "transcribe")


def jobs_for_call(call_id: int) -> list[ProcessingJob]:
    """Return the call's jobs in pipeline order."""
    stmt = select(ProcessingJob).where(ProcessingJob.call_id == call_id).order_by(ProcessingJob.id)
    return list(db.session.scalars(stmt))


def job_status(job: ProcessingJob) -> dict[str, object]:
    """Return the JSON form of a job's progress, as the page and the API show it."""
    return {
        "stage": job.stage,
        "status": job.status,
        "progress": round(job.progress, 3),
        "message": job.message,
        "attempts": job.attempts,
        "error": job.error,
    }
