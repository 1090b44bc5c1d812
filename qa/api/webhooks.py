"""Webhook subscriptions, and queuing ``call.scored`` deliveries once the score is committed."""

from __future__ import annotations

import secrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from qa.api.delivery import WebhookSettings, attempt_delivery
from qa.api.models import WEBHOOK_EVENTS, WebhookDelivery, WebhookSubscription
from qa.audit.services import record
from qa.auth.models import User
from qa.db import db

PENDING_KEY = "callqa_webhooks_pending"


class WebhookError(ValueError):
    """A subscription's settings are invalid; the message says why."""


def _check_url(url: object) -> str:
    if not isinstance(url, str):
        raise WebhookError("the URL must be a string")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError("the URL must be an absolute http:// or https:// address")
    if len(url) > 500:
        raise WebhookError("the URL is longer than 500 characters")
    return url


def _check_event(name: str) -> str:
    if name not in WEBHOOK_EVENTS:
        raise WebhookError(f"unknown event {name!r}; events: {', '.join(WEBHOOK_EVENTS)}")
    return name


def create_subscription(
    url: str, event_name: str = "call.scored", secret: str | None = None, by: User | None = None
) -> WebhookSubscription:
    """Add an active subscription; a secret is generated unless given (the caller commits)."""
    if secret is not None and not 16 <= len(secret) <= 128:
        raise WebhookError("the secret must have 16 to 128 characters")
    sub = WebhookSubscription(
        url=_check_url(url),
        event=_check_event(event_name),
        secret=secret or secrets.token_hex(32),
        active=True,
        created_by=by,
    )
    db.session.add(sub)
    db.session.flush()
    record("create", "webhook", sub.id, user_id=by.id if by else None, new=sub.url)
    return sub


def update_subscription(
    sub: WebhookSubscription, by: User | None = None, **changes: Any
) -> WebhookSubscription:
    """Change url, event or active (the caller commits)."""
    for name, value in changes.items():
        if name == "url":
            value = _check_url(value)
        elif name == "event":
            value = _check_event(value)
        elif name == "active":
            if not isinstance(value, bool):
                raise WebhookError("active must be true or false")
        else:
            raise WebhookError(f"{name} cannot be changed")
        old = getattr(sub, name)
        if old != value:
            setattr(sub, name, value)
            record(
                "update",
                "webhook",
                sub.id,
                user_id=by.id if by else None,
                field=name,
                old=old,
                new=value,
            )
    db.session.flush()
    return sub


def delete_subscription(sub: WebhookSubscription, by: User | None = None) -> None:
    """Remove a subscription and its delivery log (the caller commits)."""
    record("delete", "webhook", sub.id, user_id=by.id if by else None, old=sub.url)
    db.session.delete(sub)
    db.session.flush()


def list_subscriptions() -> list[WebhookSubscription]:
    """Return every subscription, oldest first."""
    return list(db.session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)))


def recent_deliveries(sub_id: int | None = None, limit: int = 50) -> list[WebhookDelivery]:
    """Return the latest delivery attempts (of one subscription when given)."""
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    if sub_id is not None:
        stmt = stmt.where(WebhookDelivery.subscription_id == sub_id)
    return list(db.session.scalars(stmt))


def queue_delivery(
    subscription_id: int, call_id: int, delivery_id: str, attempt: int = 1, countdown: float = 0
) -> None:
    """Hand an attempt to the workers; with eager jobs, deliver now (retrying at once)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["JOBS_EAGER"]:
        settings = WebhookSettings.from_config(app.config)
        with Session(db.engine, expire_on_commit=False) as session:
            wait: float | None = 0
            while wait is not None:
                wait = attempt_delivery(
                    session, settings, subscription_id, call_id, delivery_id, attempt
                )
                attempt += 1
        return
    app.extensions["celery"].send_task(
        "callqa.deliver_webhook",
        args=[subscription_id, call_id, delivery_id, attempt],
        countdown=countdown or None,
    )


def _send_pending(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, [])
    for sub_id, call_id, delivery_id in pending:
        queue_delivery(sub_id, call_id, delivery_id)


def _drop_pending(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


def on_call_scored(call_id: int) -> int:
    """Queue a ``call.scored`` delivery per active subscription, sent once the session commits.

    Called by the pipeline's score stage; return the number of deliveries queued.
    """
    session = db.session()
    subs = session.scalars(
        select(WebhookSubscription.id).where(
            WebhookSubscription.active.is_(True), WebhookSubscription.event == "call.scored"
        )
    ).all()
    if not subs:
        return 0
    if not session.info.get("callqa_webhook_listeners"):
        event.listen(session, "after_commit", _send_pending)
        event.listen(session, "after_rollback", _drop_pending)
        session.info["callqa_webhook_listeners"] = True
    pending = session.info.setdefault(PENDING_KEY, [])
    pending.extend((sub_id, call_id, str(uuid.uuid4())) for sub_id in subs)
    return len(subs)
