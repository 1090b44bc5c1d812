"""The component schemas of the OpenAPI document (see :mod:`qa.api.openapi`)."""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    """Return a reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            }
        },
    },
    "Job": {
        "type": "object",
        "properties": {
            "stage": {"type": "string", "enum": ["transcribe", "score"]},
            "status": {"type": "string"},
            "progress": {"type": "number", "minimum": 0, "maximum": 1},
            "message": {"type": ["string", "null"]},
            "attempts": {"type": "integer"},
            "error": {"type": ["string", "null"]},
        },
    },
    "Call": {
        "type": "object",
        "required": ["id", "status", "jobs"],
        "properties": {
            "id": {"type": "integer"},
            "status": {
                "type": "string",
                "enum": ["received", "transcribing", "scoring", "scored", "failed"],
            },
            "error": {"type": ["string", "null"]},
            "filename": {"type": "string"},
            "format": {"type": "string"},
            "size_bytes": {"type": "integer"},
            "duration": {"type": "number"},
            "channels": {"type": "integer"},
            "sample_rate": {"type": "integer"},
            "sha256": {"type": "string"},
            "agent_code": {"type": ["string", "null"]},
            "queue": {"type": ["string", "null"]},
            "language": {"type": ["string", "null"]},
            "direction": {"type": ["string", "null"]},
            "customer_ref": {"type": ["string", "null"]},
            "started_at": {"type": ["string", "null"], "format": "date-time"},
            "created_at": {"type": "string", "format": "date-time"},
            "progress": {"type": "number"},
            "jobs": {"type": "array", "items": ref("Job")},
            "kpis": {"type": "object", "additionalProperties": {"type": "number"}},
        },
    },
    "CallCreated": {
        "type": "object",
        "required": ["call_id", "duplicate"],
        "properties": {
            "call_id": {"type": "integer"},
            "job_id": {"type": ["integer", "null"]},
            "duplicate": {"type": "boolean"},
            "message": {"type": ["string", "null"]},
            "status_url": {"type": "string"},
        },
    },
    "CallUpload": {
        "type": "object",
        "required": ["audio"],
        "properties": {
            "audio": {"type": "string", "contentMediaType": "application/octet-stream"},
            "agent_code": {"type": "string"},
            "queue": {"type": "string"},
            "language": {"type": "string", "enum": ["en", "zh"]},
            "direction": {"type": "string", "enum": ["inbound", "outbound"]},
            "customer_ref": {"type": "string"},
            "started_at": {"type": "string", "format": "date-time"},
            "agent_channel": {"type": "string", "enum": ["0", "1"]},
        },
    },
    "Transcript": {
        "type": "object",
        "description": "The stored transcript (transcription/schema.py): segments, words, speakers, turns.",
        "properties": {
            "language": {"type": ["string", "null"]},
            "duration": {"type": "number"},
            "segments": {"type": "array", "items": {"type": "object"}},
            "speakers": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Scorecard": {
        "type": "object",
        "required": ["id", "call_id", "rubric", "total", "passed"],
        "properties": {
            "id": {"type": "integer"},
            "call_id": {"type": "integer"},
            "agent_code": {"type": ["string", "null"]},
            "rubric": {"type": "string"},
            "rubric_version": {"type": "integer"},
            "total": {"type": "number"},
            "auto_total": {"type": "number"},
            "passed": {"type": "boolean"},
            "needs_review": {"type": "boolean"},
            "critical_failed": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "scorecard": {"type": "object", "description": "Items with evidence (detail only)"},
        },
    },
    "KpiRow": {
        "type": "object",
        "description": "Either kind/value, or one property per KPI (fcr, csat, nps, aht).",
        "required": ["call_id"],
        "properties": {
            "call_id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["fcr", "csat", "nps", "aht"]},
            "value": {"type": ["string", "number", "boolean"]},
            "fcr": {"type": ["string", "boolean"], "description": "yes / no"},
            "csat": {"type": "integer", "minimum": 1, "maximum": 5},
            "nps": {"type": "integer", "minimum": 0, "maximum": 10},
            "aht": {"type": "number", "minimum": 0, "description": "seconds"},
        },
    },
    "KpiImport": {
        "type": "object",
        "required": ["rows"],
        "properties": {
            "source": {"type": "string"},
            "rows": {"type": "array", "items": ref("KpiRow")},
        },
    },
    "KpiReport": {
        "type": "object",
        "properties": {
            "created": {"type": "integer"},
            "updated": {"type": "integer"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"row": {"type": "integer"}, "message": {"type": "string"}},
                },
            },
        },
    },
    "Webhook": {
        "type": "object",
        "required": ["id", "url", "event", "active"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri"},
            "event": {"type": "string", "enum": ["call.scored"]},
            "active": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "secret": {"type": "string", "description": "Only in the response that creates it"},
        },
    },
    "WebhookInput": {
        "type": "object",
        "properties": {
            "url": {"type": "string", "format": "uri"},
            "event": {"type": "string", "enum": ["call.scored"]},
            "secret": {"type": "string", "minLength": 16, "maxLength": 128},
            "active": {"type": "boolean"},
        },
    },
    "WebhookDelivery": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "delivery_id": {"type": "string"},
            "event": {"type": "string"},
            "call_id": {"type": ["integer", "null"]},
            "attempt": {"type": "integer"},
            "success": {"type": "boolean"},
            "status_code": {"type": ["integer", "null"]},
            "error": {"type": ["string", "null"]},
            "duration_ms": {"type": ["integer", "null"]},
            "attempted_at": {"type": "string", "format": "date-time"},
        },
    },
    "Me": {
        "type": "object",
        "properties": {
            "username": {"type": "string"},
            "role": {"type": "string"},
            "agent_code": {"type": ["string", "null"]},
            "token": {"type": "string"},
            "scopes": {"type": "array", "items": {"type": "string"}},
        },
    },
}
