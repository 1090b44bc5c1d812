"""Webhook subscription endpoints of the JSON API (scope webhooks:manage)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from qa.api.auth import api_user, scope_required
from qa.api.errors import ApiError
from qa.api.models import WebhookDelivery, WebhookSubscription
from qa.api.services import iso
from qa.api.views import bp
from qa.api.webhooks import (
    WebhookError,
    create_subscription,
    delete_subscription,
    list_subscriptions,
    recent_deliveries,
    update_subscription,
)
from qa.db import db


def webhook_json(sub: WebhookSubscription, secret: bool = False) -> dict[str, Any]:
    """Return a subscription (its secret only when just created)."""
    body = {
        "id": sub.id,
        "url": sub.url,
        "event": sub.event,
        "active": sub.active,
        "created_at": iso(sub.created_at),
    }
    if secret:
        body["secret"] = sub.secret
    return body


def delivery_json(row: WebhookDelivery) -> dict[str, Any]:
    """Return one delivery attempt."""
    return {
        "id": row.id,
        "delivery_id": row.delivery_id,
        "event": row.event,
        "call_id": row.call_id,
        "attempt": row.attempt,
        "success": row.success,
        "status_code": row.status_code,
        "error": row.error,
        "duration_ms": row.duration_ms,
        "attempted_at": iso(row.attempted_at),
    }


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "send a JSON object")
    return body


def _subscription(webhook_id: int) -> WebhookSubscription:
    sub = db.session.get(WebhookSubscription, webhook_id)
    if sub is None:
        raise ApiError(404, "not_found", f"no webhook #{webhook_id}")
    return sub


@bp.get("/webhooks")
@scope_required("webhooks:manage")
def list_webhooks() -> Response:
    """Return every subscription."""
    return jsonify(data=[webhook_json(s) for s in list_subscriptions()])


@bp.post("/webhooks")
@scope_required("webhooks:manage")
def create_webhook() -> tuple[Response, int]:
    """Subscribe a URL; the response shows the signing secret this once."""
    body = _body()
    secret = body.get("secret")
    if secret is not None and not isinstance(secret, str):
        raise ApiError(400, "invalid_webhook", "secret must be a string")
    try:
        sub = create_subscription(
            str(body.get("url") or ""),
            str(body.get("event") or "call.scored"),
            secret=secret,
            by=api_user(),
        )
    except WebhookError as exc:
        raise ApiError(400, "invalid_webhook", str(exc)) from None
    db.session.commit()
    return jsonify(webhook_json(sub, secret=True)), 201


@bp.get("/webhooks/<int:webhook_id>")
@scope_required("webhooks:manage")
def get_webhook(webhook_id: int) -> Response:
    """Return one subscription."""
    return jsonify(webhook_json(_subscription(webhook_id)))


@bp.patch("/webhooks/<int:webhook_id>")
@scope_required("webhooks:manage")
def update_webhook(webhook_id: int) -> Response:
    """Change a subscription's url, event or active flag."""
    sub = _subscription(webhook_id)
    try:
        update_subscription(sub, by=api_user(), **_body())
    except WebhookError as exc:
        db.session.rollback()
        raise ApiError(400, "invalid_webhook", str(exc)) from None
    db.session.commit()
    return jsonify(webhook_json(sub))


@bp.delete("/webhooks/<int:webhook_id>")
@scope_required("webhooks:manage")
def delete_webhook(webhook_id: int) -> tuple[str, int]:
    """Remove a subscription."""
    delete_subscription(_subscription(webhook_id), by=api_user())
    db.session.commit()
    return "", 204


@bp.get("/webhooks/<int:webhook_id>/deliveries")
@scope_required("webhooks:manage")
def list_deliveries(webhook_id: int) -> Response:
    """Return the subscription's latest delivery attempts."""
    sub = _subscription(webhook_id)
    return jsonify(data=[delivery_json(d) for d in recent_deliveries(sub.id)])
