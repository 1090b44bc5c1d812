"""The OpenAPI 3.1 description of /api/v1, built from one structure (served and rendered)."""

from __future__ import annotations

from typing import Any

from qa.api.openapi_schemas import SCHEMAS
from qa.api.openapi_schemas import ref as _ref
from qa.api.tokens import SCOPES

API_VERSION = "1.0.0"
PREFIX = "/api/v1"


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Invalid input",
        401: "Missing, unknown or revoked token",
        403: "The token lacks the scope",
        404: "Not found or not visible to the token's user",
        413: "Upload too large",
        415: "Unsupported audio format",
    }
    return {str(c): _json(_ref("Error"), text[c]) for c in codes}


def _param(
    name: str, where: str, schema: dict[str, Any], description: str, required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "description": description,
        "schema": schema,
    }


CALL_ID = _param("call_id", "path", {"type": "integer"}, "The call's id")
WEBHOOK_ID = _param("webhook_id", "path", {"type": "integer"}, "The subscription's id")
PAGING = [
    _param(
        "limit",
        "query",
        {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
        "Page size",
    ),
    _param("cursor", "query", {"type": "string"}, "next_cursor of the previous page"),
]


def _op(
    summary: str,
    scope: str | None,
    responses: dict[str, Any],
    errors: tuple[int, ...] = (401, 403),
    params: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
    tag: str = "calls",
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "operationId": "",
        "tags": [tag],
        "responses": {**responses, **_errors(*errors)},
    }
    if scope is None:  # public
        op["security"] = []
    else:  # "" means any valid token
        op["security"] = [{"bearerToken": [scope] if scope else []}]
    if scope:
        op["x-scope"] = scope
    if params:
        op["parameters"] = params
    if body:
        op["requestBody"] = body
    return op


def _page(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["data", "next_cursor"],
        "properties": {
            "data": {"type": "array", "items": _ref(item)},
            "next_cursor": {"type": ["string", "null"]},
        },
    }


RESULT_FILTERS = [
    _param("agent", "query", {"type": "string"}, "Agent code"),
    _param("from", "query", {"type": "string"}, "Earliest call date (YYYY-MM-DD or ISO time)"),
    _param("to", "query", {"type": "string"}, "Latest call date (inclusive)"),
    _param("rubric", "query", {"type": "string"}, "Rubric key"),
    _param("min_score", "query", {"type": "number"}, "Lowest total"),
    _param("max_score", "query", {"type": "number"}, "Highest total"),
]

PATHS: dict[str, dict[str, Any]] = {
    "/openapi.json": {
        "get": _op(
            "This document", None, {"200": _json({"type": "object"}, "OpenAPI 3.1")}, (), tag="meta"
        )
    },
    "/me": {
        "get": _op(
            "The token's user and effective scopes",
            "",
            {"200": _json(_ref("Me"), "Who")},
            (401,),
            tag="meta",
        )
    },
    "/calls": {
        "get": _op(
            "List visible calls, newest first",
            "calls:read",
            {"200": _json(_page("Call"), "A page of calls")},
            params=PAGING,
        ),
        "post": _op(
            "Upload a recording with its metadata (same checks as the upload page)",
            "calls:write",
            {
                "201": _json(_ref("CallCreated"), "Accepted; processing queued"),
                "200": _json(
                    _ref("CallCreated"), "Same audio as an existing call (duplicate: true)"
                ),
            },
            (400, 401, 403, 413, 415),
            body={
                "required": True,
                "content": {"multipart/form-data": {"schema": _ref("CallUpload")}},
            },
        ),
    },
    "/calls/{call_id}": {
        "get": _op(
            "A call's metadata, status and job progress",
            "calls:read",
            {"200": _json(_ref("Call"), "The call")},
            (401, 403, 404),
            [CALL_ID],
        )
    },
    "/calls/{call_id}/transcript": {
        "get": _op(
            "The transcript as stored (JSON) or as WebVTT, SRT or RTTM",
            "calls:read",
            {
                "200": {
                    "description": "The transcript",
                    "content": {
                        "application/json": {"schema": _ref("Transcript")},
                        "text/vtt": {"schema": {"type": "string"}},
                        "application/x-subrip": {"schema": {"type": "string"}},
                        "text/plain": {"schema": {"type": "string"}, "description": "RTTM"},
                    },
                }
            },
            (400, 401, 403, 404),
            [
                CALL_ID,
                _param(
                    "format",
                    "query",
                    {"type": "string", "enum": ["json", "vtt", "srt", "rttm"]},
                    "Output format",
                ),
            ],
        )
    },
    "/calls/{call_id}/scorecards": {
        "get": _op(
            "The call's scorecards with items and evidence",
            "results:read",
            {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {"data": {"type": "array", "items": _ref("Scorecard")}},
                    },
                    "Scorecards",
                )
            },
            (401, 403, 404),
            [CALL_ID],
            tag="results",
        )
    },
    "/results": {
        "get": _op(
            "Scorecards of visible calls, filtered, newest first",
            "results:read",
            {"200": _json(_page("Scorecard"), "A page of results")},
            (400, 401, 403),
            PAGING + RESULT_FILTERS,
            tag="results",
        )
    },
    "/kpis": {
        "post": _op(
            "Import KPI values per call from JSON (all rows or none)",
            "kpis:write",
            {"200": _json(_ref("KpiReport"), "Imported")},
            (400, 401, 403),
            body={"required": True, "content": {"application/json": {"schema": _ref("KpiImport")}}},
            tag="kpis",
        )
    },
    "/kpis/csv": {
        "post": _op(
            "Import KPI values from a CSV file (header call_id plus kind,value or fcr,csat,nps,aht)",
            "kpis:write",
            {"200": _json(_ref("KpiReport"), "Imported")},
            (400, 401, 403, 413),
            body={
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {
                                "file": {"type": "string", "contentMediaType": "text/csv"},
                                "source": {"type": "string"},
                            },
                        }
                    }
                },
            },
            tag="kpis",
        )
    },
    "/webhooks": {
        "get": _op(
            "List webhook subscriptions",
            "webhooks:manage",
            {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {"data": {"type": "array", "items": _ref("Webhook")}},
                    },
                    "Subscriptions",
                )
            },
            tag="webhooks",
        ),
        "post": _op(
            "Subscribe a URL to an event; the response carries the signing secret once",
            "webhooks:manage",
            {"201": _json(_ref("Webhook"), "Created")},
            (400, 401, 403),
            body={
                "required": True,
                "content": {"application/json": {"schema": _ref("WebhookInput")}},
            },
            tag="webhooks",
        ),
    },
    "/webhooks/{webhook_id}": {
        "get": _op(
            "One subscription",
            "webhooks:manage",
            {"200": _json(_ref("Webhook"), "Subscription")},
            (401, 403, 404),
            [WEBHOOK_ID],
            tag="webhooks",
        ),
        "patch": _op(
            "Change url, event or active",
            "webhooks:manage",
            {"200": _json(_ref("Webhook"), "Updated")},
            (400, 401, 403, 404),
            [WEBHOOK_ID],
            {"required": True, "content": {"application/json": {"schema": _ref("WebhookInput")}}},
            tag="webhooks",
        ),
        "delete": _op(
            "Remove a subscription",
            "webhooks:manage",
            {"204": {"description": "Deleted"}},
            (401, 403, 404),
            [WEBHOOK_ID],
            tag="webhooks",
        ),
    },
    "/webhooks/{webhook_id}/deliveries": {
        "get": _op(
            "Recent delivery attempts (status code, error)",
            "webhooks:manage",
            {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {"data": {"type": "array", "items": _ref("WebhookDelivery")}},
                    },
                    "Attempts",
                )
            },
            (401, 403, 404),
            [WEBHOOK_ID],
            tag="webhooks",
        )
    },
}

DESCRIPTION = (
    "JSON API for telephony systems. Authenticate with `Authorization: Bearer <token>` "
    "(create tokens on the API tokens page or with `callqa tokens create`). Errors are "
    '`{"error": {"code": ..., "message": ...}}`. Lists return `{"data": [...], '
    '"next_cursor": ...}`; pass `cursor` to get the next page. Webhook requests carry '
    "`X-CallQA-Timestamp` and `X-CallQA-Signature: sha256=<hex>`, the HMAC-SHA256 of "
    "`<timestamp>.<body>` keyed with the subscription's secret; failed deliveries are "
    "retried with exponential backoff."
)


def build_spec() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of the API."""
    paths: dict[str, Any] = {}
    for path, operations in PATHS.items():
        paths[path] = {}
        for method, op in operations.items():
            op = dict(op)
            op["operationId"] = method + "".join(
                part.strip("{}").replace("_", " ").title().replace(" ", "")
                for part in path.replace(".", "/").split("/")
            )
            paths[path][method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "CallQA API", "version": API_VERSION, "description": DESCRIPTION},
        "servers": [{"url": PREFIX}],
        "security": [{"bearerToken": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Scopes: "
                    + "; ".join(f"{name}: {text}" for name, text in SCOPES.items()),
                }
            },
        },
    }
