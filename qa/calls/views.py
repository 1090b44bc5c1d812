"""Call pages: list, upload, detail, live job status and the audio itself."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from qa.auth.services import list_agents
from qa.calls.forms import UploadForm
from qa.calls.models import Call
from qa.calls.services import CallMetadata, MetadataError, commit_and_dispatch, ingest
from qa.calls.storage import get_store
from qa.core.policy import REVIEWERS, require_call_access, roles_required
from qa.db import db
from qa.jobs.services import job_status, jobs_for_call
from qa.search.filters import CallFilters, FilterError
from qa.search.services import filter_choices, list_calls

bp = Blueprint("calls", __name__, template_folder="templates")


@bp.route("/")
@login_required
def index() -> tuple[str, int] | str:
    """List and search the calls the user may see, filtered and sorted as asked."""
    cfg = current_app.config
    choices = filter_choices(current_user)
    try:
        filters = CallFilters.from_args(request.args)
        cap = cfg["SEARCH_COUNT_CAP"] if filters.q else cfg["CALL_LIST_COUNT_CAP"]
        result = list_calls(current_user, filters, cfg["CALL_LIST_PAGE_SIZE"], cap)
    except FilterError as exc:
        flash(str(exc), "error")
        return render_template(
            "calls/index.html", result=None, filters=CallFilters(), choices=choices
        ), 400
    return render_template("calls/index.html", result=result, filters=filters, choices=choices)


@bp.route("/calls/upload", methods=["GET", "POST"])
@roles_required(*REVIEWERS)
def upload() -> str | Response:
    """Upload a recording with the same validation as ``callqa ingest``."""
    form = UploadForm()
    form.agent_code.choices = [("", "(unknown)")] + [
        (a.agent_code, f"{a.name} ({a.agent_code})") for a in list_agents()
    ]
    if form.validate_on_submit():
        values = {
            name: getattr(form, name).data
            for name in (
                "agent_code",
                "queue",
                "language",
                "direction",
                "agent_channel",
                "customer_ref",
            )
        }
        try:
            meta = CallMetadata.from_strings(values)
        except MetadataError as exc:
            flash(str(exc), "error")
            return render_template("calls/upload.html", form=form), 400
        meta.started_at = form.started_at.data
        upload = form.audio.data
        result = ingest(upload.stream, upload.filename, meta, uploaded_by=current_user)
        if result.status == "rejected":
            db.session.rollback()
            flash(f"{result.filename}: {result.reason}", "error")
            return render_template("calls/upload.html", form=form), 400
        commit_and_dispatch([result])
        if result.status == "duplicate":
            flash(f"{result.filename}: {result.reason}", "warning")
        else:
            flash(f"{result.filename} uploaded; processing has started.", "success")
        return redirect(url_for("calls.detail", call_id=result.call_id))
    return render_template("calls/upload.html", form=form)


@bp.route("/calls/<int:call_id>")
@login_required
def detail(call_id: int) -> str:
    """Show a call: metadata, processing progress, transcript."""
    call = require_call_access(current_user, db.session.get(Call, call_id))
    return render_template("calls/detail.html", call=call, jobs=jobs_for_call(call.id))


@bp.route("/calls/<int:call_id>/status")
@login_required
def status(call_id: int) -> Response:
    """Return the call's status and job progress as JSON (polled by the page)."""
    call = require_call_access(current_user, db.session.get(Call, call_id))
    jobs = [job_status(j) for j in jobs_for_call(call.id)]
    return jsonify(call_id=call.id, status=call.status, error=call.error_message, jobs=jobs)


@bp.route("/calls/<int:call_id>/audio")
@login_required
def audio(call_id: int) -> Response:
    """Stream the recording (range requests allowed, for seeking)."""
    call = require_call_access(current_user, db.session.get(Call, call_id))
    path = get_store().path(call.storage_key)
    return send_file(path, conditional=True, download_name=call.original_filename)
