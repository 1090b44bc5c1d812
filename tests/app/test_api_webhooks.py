"""Webhooks: subscriptions via API and page, signed deliveries, retries, the scored hook."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

import qa.api.webhooks as webhooks
from qa.api.delivery import SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookSettings, verify
from qa.api.models import WebhookDelivery, WebhookSubscription
from qa.api.tasks import deliver_webhook
from qa.api.webhooks import WebhookError, create_subscription, on_call_scored
from qa.db import db
from tests.app.api_support import assert_error, bearer, token_for


class Receiver:
    """A local HTTP server (127.0.0.1 only) answering with queued status codes."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.requests: list[tuple[Any, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"boom" if status >= 400 else b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    servers: list[Receiver] = []

    def start(*statuses: int) -> Receiver:
        servers.append(Receiver(list(statuses)))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def queued(monkeypatch):  # type: ignore[no-untyped-def]
    """Capture queue_delivery calls instead of sending them to a broker."""
    calls: list[tuple] = []
    monkeypatch.setattr(webhooks, "queue_delivery", lambda *args, **kw: calls.append((args, kw)))
    return calls


def _rows() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_delivery_is_signed_and_recorded(app, receiver, make_user, make_scored_call):
    server = receiver(200)
    call = make_scored_call(make_user("agent", agent_code="A9"))
    sub = create_subscription(server.url, secret="s" * 32)
    db.session.commit()
    from qa.api.delivery import attempt_delivery

    wait = attempt_delivery(db.session(), WebhookSettings(), sub.id, call.id, "d-1", 1)
    assert wait is None
    headers, body = server.requests[0]
    assert verify("s" * 32, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert not verify("t" * 32, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert headers["X-CallQA-Event"] == "call.scored" and headers["X-CallQA-Delivery"] == "d-1"
    payload = json.loads(body)
    assert payload["event"] == "call.scored" and payload["call"]["id"] == call.id
    assert payload["call"]["agent_code"] == "A9" and payload["scorecards"][0]["total"] >= 0
    (row,) = _rows()
    assert row.success and row.status_code == 200 and row.error is None and row.attempt == 1


def test_failures_retry_with_backoff_until_delivered(
    app, receiver, queued, make_user, make_scored_call
):
    server = receiver(500, 503, 200)
    app.config.update(WEBHOOK_BACKOFF_SECONDS=5, WEBHOOK_MAX_ATTEMPTS=5)
    call = make_scored_call(make_user("agent"))
    sub = create_subscription(server.url)
    db.session.commit()
    assert deliver_webhook.run(sub.id, call.id, "d-2", 1) == "retrying"
    assert deliver_webhook.run(*queued[-1][0]) == "retrying"
    assert deliver_webhook.run(*queued[-1][0]) == "finished"
    assert [kw["countdown"] for _args, kw in queued] == [5.0, 10.0]
    assert [args[3] for args, _kw in queued] == [2, 3]
    rows = _rows()
    assert [(r.attempt, r.status_code, r.success) for r in rows] == [
        (1, 500, False),
        (2, 503, False),
        (3, 200, True),
    ]
    assert rows[0].error.startswith("HTTP 500") and "boom" in rows[0].error
    assert {r.delivery_id for r in rows} == {"d-2"} and len(server.requests) == 3
    assert len({h["X-CallQA-Delivery"] for h, _b in server.requests}) == 1


def test_gives_up_after_max_attempts(app, receiver, queued, make_user, make_scored_call):
    server = receiver(500, 500, 500, 500)
    app.config.update(WEBHOOK_MAX_ATTEMPTS=2)
    call = make_scored_call(make_user("agent"))
    sub = create_subscription(server.url)
    db.session.commit()
    assert deliver_webhook.run(sub.id, call.id, "d-3", 1) == "retrying"
    assert deliver_webhook.run(*queued[-1][0]) == "finished"
    assert len(queued) == 1 and [r.success for r in _rows()] == [False, False]


def test_unreachable_receiver_records_the_error(app, make_user, make_scored_call):
    closed = Receiver([])
    url = closed.url
    closed.close()  # nothing listens on that port any more
    call = make_scored_call(make_user("agent"))
    sub = create_subscription(url)
    db.session.commit()
    from qa.api.delivery import attempt_delivery

    wait = attempt_delivery(
        db.session(), WebhookSettings(backoff_seconds=2), sub.id, call.id, "d", 1
    )
    assert wait == 2
    (row,) = _rows()
    assert row.status_code is None and not row.success and row.error


def test_on_call_scored_queues_only_after_commit(app, queued, make_user, make_scored_call):
    call = make_scored_call(make_user("agent"))
    active = create_subscription("http://127.0.0.1:9/a")
    paused = create_subscription("http://127.0.0.1:9/b")
    paused.active = False
    db.session.commit()
    assert on_call_scored(call.id) == 1
    assert queued == []
    db.session.rollback()
    db.session.commit()
    assert queued == []  # the rollback dropped it
    on_call_scored(call.id)
    db.session.commit()
    ((args, _kw),) = queued
    assert args[:2] == (active.id, call.id) and len(args[2]) == 36


def test_no_subscription_no_delivery(app, queued, make_user, make_scored_call):
    call = make_scored_call(make_user("agent"))
    assert on_call_scored(call.id) == 0
    db.session.commit()
    assert queued == []


def test_queue_sends_ids_to_the_broker(app, monkeypatch):
    sent = []
    celery = app.extensions["celery"]
    monkeypatch.setattr(celery, "send_task", lambda name, **kw: sent.append((name, kw)))
    webhooks.queue_delivery(3, 4, "d-9", attempt=2, countdown=60)
    assert sent == [("callqa.deliver_webhook", {"args": [3, 4, "d-9", 2], "countdown": 60})]


def test_eager_mode_delivers_after_commit(app, receiver, make_user, make_scored_call):
    server = receiver(200)
    call = make_scored_call(make_user("agent"))
    create_subscription(server.url)
    db.session.commit()
    app.config["JOBS_EAGER"] = True
    on_call_scored(call.id)
    db.session.commit()
    assert len(server.requests) == 1 and _rows()[0].success


@pytest.mark.parametrize(
    ("url", "secret", "message"),
    [
        ("ftp://127.0.0.1/x", None, "http"),
        ("http:///nohost", None, "http"),
        ("http://127.0.0.1/x", "short", "16 to 128"),
    ],
)
def test_invalid_subscriptions(app, url, secret, message):
    with pytest.raises(WebhookError, match=message):
        create_subscription(url, secret=secret)


def test_api_manages_subscriptions(client, make_user):
    secret = token_for(make_user("admin"), "webhooks:manage")
    created = client.post(
        "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/h"}, headers=bearer(secret)
    )
    assert created.status_code == 201
    hook = created.get_json()
    assert len(hook["secret"]) == 64 and hook["event"] == "call.scored" and hook["active"]
    listed = client.get("/api/v1/webhooks", headers=bearer(secret)).get_json()["data"]
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
    path = f"/api/v1/webhooks/{hook['id']}"
    assert client.get(path, headers=bearer(secret)).get_json()["url"] == "http://127.0.0.1:9/h"
    patched = client.patch(path, json={"active": False}, headers=bearer(secret))
    assert patched.status_code == 200 and patched.get_json()["active"] is False
    assert_error(
        client.patch(path, json={"url": "nope"}, headers=bearer(secret)), 400, "invalid_webhook"
    )
    assert_error(client.patch(path, json={"secret": "x" * 20}, headers=bearer(secret)), 400)
    assert_error(client.patch(path, json={"active": "yes"}, headers=bearer(secret)), 400)
    assert_error(
        client.post(
            "/api/v1/webhooks",
            json={"url": "http://h", "event": "call.deleted"},
            headers=bearer(secret),
        ),
        400,
    )
    assert_error(
        client.post("/api/v1/webhooks", data="x", headers=bearer(secret)), 400, "invalid_body"
    )
    deliveries = client.get(path + "/deliveries", headers=bearer(secret))
    assert deliveries.status_code == 200 and deliveries.get_json()["data"] == []
    assert client.delete(path, headers=bearer(secret)).status_code == 204
    assert_error(client.get(path, headers=bearer(secret)), 404, "not_found")
    assert_error(client.delete(path, headers=bearer(secret)), 404)


def test_api_webhooks_need_the_scope(client, make_user):
    secret = token_for(make_user("qa"))
    assert_error(client.get("/api/v1/webhooks", headers=bearer(secret)), 403, "insufficient_scope")


def test_admin_page_adds_pauses_and_deletes(client, login, make_user, receiver, make_scored_call):
    login(make_user("admin"))
    response = client.post(
        "/api/webhooks", data={"url": "http://127.0.0.1:9/hook", "event": "call.scored"}
    )
    assert response.status_code == 200
    sub = db.session.scalar(select(WebhookSubscription))
    assert sub.secret in response.get_data(as_text=True)
    assert sub.secret not in client.get("/api/webhooks").get_data(as_text=True)
    client.post(f"/api/webhooks/{sub.id}/toggle")
    db.session.expire_all()
    assert db.session.get(WebhookSubscription, sub.id).active is False
    bad = client.post("/api/webhooks", data={"url": "not a url", "event": "call.scored"})
    assert bad.status_code == 400
    assert client.post(f"/api/webhooks/{sub.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(WebhookSubscription)) is None


def test_admin_page_lists_delivery_attempts(client, login, make_user, receiver, make_scored_call):
    server = receiver(502)
    call = make_scored_call(make_user("agent"))
    sub = create_subscription(server.url)
    db.session.commit()
    from qa.api.delivery import attempt_delivery

    attempt_delivery(db.session(), WebhookSettings(), sub.id, call.id, "d", 1)
    login(make_user("admin"))
    page = client.get("/api/webhooks").get_data(as_text=True)
    assert "HTTP 502" in page and f"#{call.id}" in page


@pytest.mark.parametrize("role", ["qa", "manager", "agent"])
def test_webhook_page_is_admin_only(client, login, make_user, role):
    login(make_user(role))
    assert client.get("/api/webhooks").status_code == 403


def test_score_stage_hook_queues_after_the_job_commits(
    app, queued, monkeypatch, make_user, make_scored_call
):
    """The score stage calls ``on_call_scored``; delivery is queued only after the commit."""
    from qa.jobs import stages
    from qa.jobs.pipeline import ScoreStage
    from qa.jobs.services import create_job, execute_job

    seen_status = []

    class HookedScore(ScoreStage):
        def run(self, app, call, progress):  # type: ignore[no-untyped-def]
            following = super().run(app, call, progress)  # calls on_call_scored
            seen_status.append(list(queued))  # nothing sent before the commit
            return following

    monkeypatch.setitem(stages.STAGES, "score", HookedScore)
    call = make_scored_call(make_user("agent"))
    sub = create_subscription("http://127.0.0.1:9/hook")
    job = create_job(call, "score")
    db.session.commit()
    db.session.expunge_all()  # as in a worker: nothing of the first scoring in memory
    assert execute_job(job.id, "w1") == "done"
    assert seen_status == [[]]
    ((args, _kw),) = queued
    assert args[:2] == (sub.id, call.id)
