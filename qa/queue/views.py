"""Review queue pages: the queue, claim and release."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from qa.calls.models import Call
from qa.core.policy import STAFF, can_review_call, require_call_access, roles_required
from qa.db import db, utcnow
from qa.queue.claims import ClaimError, claim_call, release_call
from qa.queue.services import QueueSettings, review_queue

bp = Blueprint("queue", __name__, url_prefix="/queue", template_folder="templates")


@bp.route("/")
@roles_required(*STAFF)
def index() -> str:
    """Show the user's review queue, most urgent first."""
    page = max(request.args.get("page", 1, type=int), 1)
    result = review_queue(
        current_user,
        utcnow(),
        QueueSettings.from_config(current_app.config),
        page,
        current_app.config["CALL_LIST_PAGE_SIZE"],
    )
    return render_template("queue/index.html", result=result)


def _reviewable_call(call_id: int) -> Call:
    call = require_call_access(current_user, db.session.get(Call, call_id))
    if not can_review_call(current_user, call):
        abort(403)
    return call


@bp.route("/<int:call_id>/claim", methods=["POST"])
@roles_required(*STAFF)
def claim(call_id: int) -> Response:
    """Claim a call for review and open it."""
    call = _reviewable_call(call_id)
    minutes = current_app.config["REVIEW_CLAIM_MINUTES"]
    try:
        claim_call(call, current_user, utcnow(), minutes)
    except ClaimError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("queue.index"))
    db.session.commit()
    flash(
        _("Call %(call)d is yours to review for %(n)d minutes.", call=call.id, n=minutes), "success"
    )
    return redirect(url_for("calls.detail", call_id=call.id))


@bp.route("/<int:call_id>/release", methods=["POST"])
@roles_required(*STAFF)
def release(call_id: int) -> Response:
    """Give a claimed call back to the queue."""
    call = _reviewable_call(call_id)
    try:
        release_call(call, current_user, utcnow())
    except ClaimError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("queue.index"))
    db.session.commit()
    flash(_("Call %(call)d is back in the queue.", call=call.id), "success")
    return redirect(url_for("queue.index"))
