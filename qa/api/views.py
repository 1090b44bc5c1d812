"""The JSON API at /api/v1 (bearer tokens; no session, no CSRF)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from qa.api.auth import api_user, scope_required
from qa.api.errors import ApiError, error_response, handle_api_error
from qa.api.openapi import build_spec
from qa.api.services import call_json, get_visible_call, paginate, results_query, scorecard_json
from qa.api.tokens import effective_scopes
from qa.calls.models import Call
from qa.calls.services import (
    CallMetadata,
    MetadataError,
    allowed_extension,
    commit_and_dispatch,
    ingest,
)
from qa.config import MB
from qa.core.policy import visible_calls
from qa.db import db
from qa.extensions import csrf
from qa.kpis.services import ImportReport, KpiError, import_rows, read_csv
from qa.scorecards.models import ScorecardRecord
from qa.scorecards.services import scorecards_for_call
from transcription.export import FORMATS, export
from transcription.schema import Transcript

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiError, handle_api_error)

METADATA_FIELDS = (
    "agent_code",
    "queue",
    "language",
    "direction",
    "customer_ref",
    "started_at",
    "agent_channel",
)
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
TEXT_TYPES = {
    "vtt": "text/vtt; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "rttm": "text/plain; charset=utf-8",
}


def _http_error(exc: HTTPException) -> Response:
    code = (exc.name or "error").lower().replace(" ", "_")
    message = exc.description or exc.name
    if exc.code == 413:
        message = f"the request is over the {current_app.config['MAX_UPLOAD_MB']} MB upload limit"
    return error_response(exc.code or 500, code, message)


# by code too: the app's own handlers for a code (HTML pages) would win over a class handler
for _code in (400, 403, 404, 405, 413, 415, 500):
    bp.register_error_handler(_code, _http_error)
bp.register_error_handler(HTTPException, _http_error)


def _page(rows: list[Any], cursor: str | None, shape: Any) -> Response:
    return jsonify(data=[shape(r) for r in rows], next_cursor=cursor)


@bp.route("/<path:rest>", methods=[m.upper() for m in HTTP_METHODS])
def unknown(rest: str) -> Response:
    """Answer paths and methods the API does not serve with a JSON 404 or 405."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in HTTP_METHODS:
        try:
            endpoint, _args = adapter.match(method=method.upper())
        except HTTPException:
            continue
        if endpoint != "api.unknown":
            allowed.append(method.upper())
    if allowed:
        response = error_response(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed here; use {', '.join(allowed)}",
        )
        response.headers["Allow"] = ", ".join(allowed)
        return response
    return error_response(404, "not_found", f"no API endpoint {request.path}")


@bp.get("/openapi.json")
def openapi() -> Response:
    """Return the OpenAPI 3.1 document."""
    return jsonify(build_spec())


@bp.get("/me")
@scope_required("")
def me() -> Response:
    """Return the token's user and the scopes it holds now."""
    user = api_user()
    return jsonify(
        username=user.username,
        role=user.role,
        agent_code=user.agent_code,
        token=g.api_token.name,
        scopes=sorted(effective_scopes(g.api_token)),
    )


@bp.get("/calls")
@scope_required("calls:read")
def list_calls() -> Response:
    """Return a page of the calls the token's user may see."""
    rows, cursor = paginate(visible_calls(api_user()), Call.id, request.args)
    return _page(rows, cursor, call_json)


def _upload_size(stream: Any) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


@bp.post("/calls")
@scope_required("calls:write")
def create_call() -> tuple[Response, int] | Response:
    """Ingest a recording (multipart ``audio`` plus metadata fields)."""
    upload = request.files.get("audio")
    if upload is None or not upload.filename:
        raise ApiError(400, "missing_audio", "send the recording as multipart field 'audio'")
    if allowed_extension(upload.filename) is None:
        accepted = ", ".join(current_app.config["ALLOWED_AUDIO_EXTENSIONS"])
        raise ApiError(
            415, "unsupported_media_type", f"unsupported file type; accepted: {accepted}"
        )
    limit_mb = current_app.config["MAX_UPLOAD_MB"]
    if _upload_size(upload.stream) > limit_mb * MB:
        raise ApiError(413, "too_large", f"the file is over the {limit_mb} MB limit")
    try:
        meta = CallMetadata.from_strings({k: request.form.get(k) for k in METADATA_FIELDS})
    except MetadataError as exc:
        raise ApiError(400, "invalid_metadata", str(exc)) from None
    result = ingest(upload.stream, upload.filename, meta, uploaded_by=api_user())
    if result.status == "rejected":
        db.session.rollback()
        raise ApiError(400, "rejected", result.reason or "the recording was rejected")
    commit_and_dispatch([result])
    body = {
        "call_id": result.call_id,
        "job_id": result.job_id,
        "duplicate": result.status == "duplicate",
        "message": result.reason,
        "status_url": url_for("api.get_call", call_id=result.call_id),
    }
    if result.status == "duplicate":
        return jsonify(body), 200
    response = jsonify(body)
    response.headers["Location"] = body["status_url"]
    return response, 201


@bp.get("/calls/<int:call_id>")
@scope_required("calls:read")
def get_call(call_id: int) -> Response:
    """Return a call's metadata, status and job progress."""
    return jsonify(call_json(get_visible_call(api_user(), call_id)))


@bp.get("/calls/<int:call_id>/transcript")
@scope_required("calls:read")
def get_transcript(call_id: int) -> Response:
    """Return the transcript as stored, or exported as vtt, srt or rttm."""
    fmt = request.args.get("format", "json").lower()
    if fmt not in FORMATS:
        raise ApiError(400, "invalid_parameter", f"format must be one of {', '.join(FORMATS)}")
    call = get_visible_call(api_user(), call_id)
    if call.transcript is None:
        raise ApiError(
            404, "no_transcript", f"call #{call.id} has no transcript yet ({call.status})"
        )
    if fmt == "json":
        return jsonify(call.transcript.data)
    text = export(Transcript.from_dict(call.transcript.data), fmt, file_id=f"call{call.id}")
    return Response(text, content_type=TEXT_TYPES[fmt])


@bp.get("/calls/<int:call_id>/scorecards")
@scope_required("results:read")
def get_scorecards(call_id: int) -> Response:
    """Return the call's scorecards with items and evidence."""
    call = get_visible_call(api_user(), call_id)
    cards = scorecards_for_call(call.id)
    return jsonify(data=[scorecard_json(c, detail=True) for c in cards])


@bp.get("/results")
@scope_required("results:read")
def list_results() -> Response:
    """Return a filtered page of the scorecards the token's user may see."""
    rows, cursor = paginate(
        results_query(api_user(), request.args), ScorecardRecord.id, request.args
    )
    return _page(rows, cursor, scorecard_json)


def _import_response(report: ImportReport) -> Response:
    if not report.ok:
        db.session.rollback()
        errors = [{"row": e.row, "message": e.message} for e in report.errors]
        first = report.errors[0]
        where = f"row {first.row}: " if first.row else ""
        raise ApiError(
            400, "invalid_rows", f"nothing imported; {where}{first.message}", errors=errors
        )
    db.session.commit()
    return jsonify(created=report.created, updated=report.updated, errors=[])


@bp.post("/kpis")
@scope_required("kpis:write")
def import_kpis() -> Response:
    """Import KPI values from a JSON body ``{"source": ..., "rows": [...]}``."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
        raise ApiError(400, "invalid_body", 'send JSON {"source": "...", "rows": [...]}')
    source = body.get("source") if isinstance(body.get("source"), str) else "api"
    return _import_response(import_rows(body["rows"], source, user=api_user()))


@bp.post("/kpis/csv")
@scope_required("kpis:write")
def import_kpis_csv() -> Response:
    """Import KPI values from a CSV upload (multipart field ``file``)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, "missing_file", "send the CSV as multipart field 'file'")
    try:
        rows = read_csv(upload.stream)
    except KpiError as exc:
        raise ApiError(400, "invalid_csv", str(exc)) from None
    source = request.form.get("source") or upload.filename
    return _import_response(import_rows(rows, source, user=api_user()))


from qa.api import webhook_views  # noqa: E402,F401  (adds the webhook routes to ``bp``)
from qa.api.pages import pages_bp  # noqa: E402  (registered beside ``bp``)

__all__ = ["bp", "pages_bp"]
