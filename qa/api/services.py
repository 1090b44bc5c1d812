"""Queries and JSON shapes behind the API: calls, jobs, scorecards, results, pagination."""

from __future__ import annotations

import base64
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, func, select

from qa.api.errors import ApiError
from qa.auth.models import User
from qa.calls.models import Call
from qa.core.policy import can_view_call, visible_calls
from qa.db import db
from qa.jobs.services import job_status, jobs_for_call
from qa.kpis.services import kpis_for_call
from qa.rubrics.models import RubricRecord, RubricVersion
from qa.scorecards.models import ScorecardRecord

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def iso(value: datetime | None) -> str | None:
    """Return an ISO 8601 UTC timestamp, or None."""
    return value.isoformat() + "Z" if value else None


def get_visible_call(user: User, call_id: int) -> Call:
    """Return the call or raise 404 when it is missing or not visible to ``user``."""
    call = db.session.get(Call, call_id)
    if call is None or not can_view_call(user, call):
        raise ApiError(404, "not_found", f"no call #{call_id}")
    return call


def call_json(call: Call) -> dict[str, Any]:
    """Return a call's metadata and processing state."""
    jobs = jobs_for_call(call.id)
    return {
        "id": call.id,
        "status": call.status,
        "error": call.error_message,
        "filename": call.original_filename,
        "format": call.format,
        "size_bytes": call.size_bytes,
        "duration": call.duration,
        "channels": call.channels,
        "sample_rate": call.sample_rate,
        "sha256": call.sha256,
        "agent_code": call.agent.agent_code if call.agent else None,
        "queue": call.queue,
        "language": call.language,
        "direction": call.direction,
        "customer_ref": call.customer_ref,
        "started_at": iso(call.started_at),
        "created_at": iso(call.created_at),
        "progress": round(sum(j.progress for j in jobs) / len(jobs), 3) if jobs else 0.0,
        "jobs": [job_status(j) for j in jobs],
        "kpis": kpis_for_call(call.id),
    }


def scorecard_json(card: ScorecardRecord, detail: bool = False) -> dict[str, Any]:
    """Return a scorecard's summary, and with ``detail`` its items and evidence."""
    version = card.rubric_version
    body: dict[str, Any] = {
        "id": card.id,
        "call_id": card.call_id,
        "agent_code": card.call.agent.agent_code if card.call.agent else None,
        "rubric": version.rubric.key,
        "rubric_version": version.version,
        "total": card.total,
        "auto_total": card.auto_total,
        "passed": card.passed,
        "needs_review": card.needs_review,
        "critical_failed": card.critical_failed,
        "created_at": iso(card.created_at),
        "updated_at": iso(card.updated_at),
    }
    if detail:
        body["scorecard"] = card.data
    return body


def limit_arg(raw: str | None) -> int:
    """Return the page size asked for (1..MAX_LIMIT) or raise 400."""
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise ApiError(400, "invalid_parameter", f"limit must be a number (got {raw!r})") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "invalid_parameter", f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def encode_cursor(last_id: int) -> str:
    """Return the opaque cursor that continues after row ``last_id``."""
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """Return the row id a cursor continues after, or raise 400 when it is malformed."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "id":
            raise ValueError(text)
        return int(value)
    except ValueError:
        raise ApiError(
            400, "invalid_parameter", "the cursor is not one this API returned"
        ) from None


def paginate(
    stmt: Select[Any], id_column: Any, args: dict[str, str]
) -> tuple[list[Any], str | None]:
    """Return one page (newest first, keyset on ``id_column``) and the next cursor."""
    limit = limit_arg(args.get("limit"))
    after = decode_cursor(args.get("cursor"))
    if after is not None:
        stmt = stmt.where(id_column < after)
    rows = list(db.session.scalars(stmt.order_by(id_column.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].id) if more and rows else None


def _date(name: str, raw: str | None, end: bool = False) -> datetime | None:
    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return datetime.combine(day, time.max if end else time.min)
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        raise ApiError(
            400, "invalid_parameter", f"{name} must be a date or ISO 8601 time (got {raw!r})"
        ) from None


def _number(name: str, raw: str | None) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        raise ApiError(400, "invalid_parameter", f"{name} must be a number (got {raw!r})") from None


def results_query(user: User, args: dict[str, str]) -> Select[Any]:
    """Return the scorecards ``user`` may see, filtered by the request's arguments.

    Filters: ``agent`` (agent code), ``from``/``to`` (call start, else upload date),
    ``rubric`` (rubric key), ``min_score``/``max_score`` (total).
    """
    visible = visible_calls(user, select(Call.id))
    stmt = (
        select(ScorecardRecord)
        .join(Call, ScorecardRecord.call_id == Call.id)
        .where(ScorecardRecord.call_id.in_(visible))
    )
    if code := args.get("agent"):
        stmt = stmt.where(Call.agent_id.in_(select(User.id).where(User.agent_code == code)))
    when = func.coalesce(Call.started_at, Call.created_at)
    if start := _date("from", args.get("from")):
        stmt = stmt.where(when >= start)
    if end := _date("to", args.get("to"), end=True):
        stmt = stmt.where(when <= end)
    if rubric := args.get("rubric"):
        stmt = stmt.where(
            ScorecardRecord.rubric_version_id.in_(
                select(RubricVersion.id).join(RubricRecord).where(RubricRecord.key == rubric)
            )
        )
    if (low := _number("min_score", args.get("min_score"))) is not None:
        stmt = stmt.where(ScorecardRecord.total >= low)
    if (high := _number("max_score", args.get("max_score"))) is not None:
        stmt = stmt.where(ScorecardRecord.total <= high)
    return stmt
