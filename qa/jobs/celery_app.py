"""The Celery app, bound to the Flask app's broker settings by ``init_celery``."""

from __future__ import annotations

from celery import Celery
from flask import Flask

celery = Celery("callqa", set_as_current=False)


def init_celery(app: Flask) -> None:
    """Configure the broker and task policy from the app's config."""
    celery.conf.update(
        broker_url=app.config["BROKER_URL"],
        broker_connection_retry_on_startup=True,
        task_default_queue="callqa",
        task_ignore_result=True,
        # a job is acknowledged only when it finished; a killed worker's job is redelivered
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        include=["qa.jobs.tasks", "qa.api.tasks"],
    )
    celery.flask_app = app  # type: ignore[attr-defined]
    app.extensions["celery"] = celery
