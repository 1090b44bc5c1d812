"""Run a Celery worker for the current app, sweeping for lost jobs while it runs."""

from __future__ import annotations

import logging
import threading

from celery.signals import worker_ready
from flask import Flask

from qa.jobs.celery_app import celery

log = logging.getLogger(__name__)


def _sweeper(app: Flask, stop: threading.Event) -> None:
    from qa.jobs.services import recover_stale_jobs

    interval = max(1, min(60, app.config["JOB_STALE_SECONDS"] // 2))
    while True:
        try:
            with app.app_context():
                ids = recover_stale_jobs()
            if ids:
                log.warning("requeued jobs %s (worker lost or message missing)", ids)
        except Exception:
            log.exception("job recovery sweep failed")
        if stop.wait(interval):
            return


def run_worker(app: Flask, concurrency: int = 1, loglevel: str = "INFO") -> None:
    """Start a worker on the app's broker (blocks until it stops)."""
    stop = threading.Event()

    @worker_ready.connect(weak=False)
    def _start_sweeper(**_kwargs: object) -> None:
        threading.Thread(target=_sweeper, args=(app, stop), daemon=True, name="job-sweeper").start()

    import qa.api.tasks  # noqa: F401  (registers the webhook delivery task)
    import qa.jobs.tasks  # noqa: F401  (registers the tasks)

    try:
        celery.worker_main(
            [
                "worker",
                "--pool=threads",
                f"--concurrency={concurrency}",
                "--queues=callqa",
                f"--loglevel={loglevel}",
                "--hostname=callqa-%h-%i",
                "--without-gossip",
                "--without-mingle",
            ]
        )
    finally:
        stop.set()
