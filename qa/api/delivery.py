"""Sign and POST one webhook delivery attempt, and record it."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from flask import Config
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.api.models import WebhookDelivery, WebhookSubscription
from qa.api.services import iso, scorecard_json
from qa.calls.models import Call
from qa.db import utcnow
from qa.scorecards.models import ScorecardRecord

SIGNATURE_HEADER = "X-CallQA-Signature"
TIMESTAMP_HEADER = "X-CallQA-Timestamp"


@dataclass(frozen=True)
class WebhookSettings:
    """Delivery policy: attempts, backoff before retry n (base * 2**(n-1)), request timeout."""

    max_attempts: int = 5
    backoff_seconds: float = 30.0
    timeout_seconds: float = 10.0

    @classmethod
    def from_config(cls, config: Config | dict[str, Any]) -> WebhookSettings:
        """Return the settings named WEBHOOK_* in the app's config (defaults otherwise)."""
        return cls(
            max_attempts=int(config.get("WEBHOOK_MAX_ATTEMPTS", cls.max_attempts)),
            backoff_seconds=float(config.get("WEBHOOK_BACKOFF_SECONDS", cls.backoff_seconds)),
            timeout_seconds=float(config.get("WEBHOOK_TIMEOUT_SECONDS", cls.timeout_seconds)),
        )

    def backoff(self, attempt: int) -> float:
        """Return the wait after failed attempt ``attempt`` (1-based)."""
        return self.backoff_seconds * 2 ** (attempt - 1)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Return the signature header value: HMAC-SHA256 of ``<timestamp>.<body>``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """Return whether ``signature`` is this body's signature (for receivers and tests)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def call_scored_payload(session: Session, call: Call, delivery_id: str) -> dict[str, Any]:
    """Return the body of a ``call.scored`` event."""
    cards = session.scalars(
        select(ScorecardRecord)
        .where(ScorecardRecord.call_id == call.id)
        .order_by(ScorecardRecord.rubric_version_id)
    )
    return {
        "event": "call.scored",
        "delivery_id": delivery_id,
        "occurred_at": iso(utcnow()),
        "call": {
            "id": call.id,
            "status": call.status,
            "agent_code": call.agent.agent_code if call.agent else None,
            "queue": call.queue,
            "language": call.language,
            "customer_ref": call.customer_ref,
            "started_at": iso(call.started_at),
        },
        "scorecards": [scorecard_json(card) for card in cards],
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str | None]:
    """POST without proxies or redirects; return the status code and an error (None on 2xx)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, None
    except urllib.error.HTTPError as exc:
        snippet = exc.read(300).decode("utf-8", "replace").strip()
        return exc.code, f"HTTP {exc.code} {exc.reason}" + (f": {snippet}" if snippet else "")


def attempt_delivery(
    session: Session,
    settings: WebhookSettings,
    subscription_id: int,
    call_id: int,
    delivery_id: str,
    attempt: int,
) -> float | None:
    """Make and record one attempt (committing); return the wait before a retry, or None."""
    sub = session.get(WebhookSubscription, subscription_id)
    call = session.get(Call, call_id)
    if sub is None or not sub.active or call is None:
        return None
    body = json.dumps(call_scored_payload(session, call, delivery_id)).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CallQA-Webhook/1",
        "X-CallQA-Event": sub.event,
        "X-CallQA-Delivery": delivery_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(sub.secret, timestamp, body),
    }
    started = time.monotonic()
    status: int | None = None
    try:
        status, error = _post(sub.url, body, headers, settings.timeout_seconds)
    except (OSError, ValueError) as exc:  # refused, timed out, DNS, bad URL
        error = f"{type(exc).__name__}: {exc}"
    success = status is not None and 200 <= status < 300
    session.add(
        WebhookDelivery(
            subscription_id=sub.id,
            delivery_id=delivery_id,
            event=sub.event,
            call_id=call.id,
            attempt=attempt,
            success=success,
            status_code=status,
            error=error[:1000] if error else None,
            duration_ms=round((time.monotonic() - started) * 1000),
        )
    )
    session.commit()
    if success or attempt >= settings.max_attempts:
        return None
    return settings.backoff(attempt)
