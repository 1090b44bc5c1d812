"""Celery task delivering webhooks (ids only; each attempt reloads what it needs)."""

from __future__ import annotations

from qa.jobs.celery_app import celery


@celery.task(name="callqa.deliver_webhook")
def deliver_webhook(subscription_id: int, call_id: int, delivery_id: str, attempt: int = 1) -> str:
    """Make one delivery attempt; queue the next one with backoff when it failed."""
    from qa.api.delivery import WebhookSettings, attempt_delivery
    from qa.api.webhooks import queue_delivery
    from qa.db import db

    app = celery.flask_app  # type: ignore[attr-defined]
    with app.app_context():
        settings = WebhookSettings.from_config(app.config)
        wait = attempt_delivery(
            db.session(), settings, subscription_id, call_id, delivery_id, attempt
        )
        if wait is None:
            return "finished"
        queue_delivery(subscription_id, call_id, delivery_id, attempt + 1, countdown=wait)
        return "retrying"
