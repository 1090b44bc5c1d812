"""Celery tasks: they take ids only and reload everything in their own session."""

from __future__ import annotations

from qa.jobs.celery_app import celery


@celery.task(name="callqa.run_job", bind=True)
def run_job(self, job_id: int) -> str:  # type: ignore[no-untyped-def]
    """Run one pipeline job inside the worker's app context."""
    from qa.jobs.services import execute_job

    with celery.flask_app.app_context():  # type: ignore[attr-defined]
        return execute_job(job_id, worker=self.request.hostname or "worker")


@celery.task(name="callqa.recover_jobs")
def recover_jobs() -> int:
    """Requeue jobs whose worker died or whose message was lost."""
    from qa.jobs.services import recover_stale_jobs

    with celery.flask_app.app_context():  # type: ignore[attr-defined]
        return len(recover_stale_jobs())
