"""Review actions on the call page: override an item, swap roles, mark reviewed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from qa.calls.models import Call
from qa.core.policy import can_review_call, require_call_access
from qa.db import db
from qa.jobs.services import dispatch, jobs_for_call
from qa.review.forms import OverrideForm, ReviewedForm, SwapRolesForm
from qa.review.page import CallPage, call_page, transcript_html
from qa.review.services import (
    OverrideConflict,
    OverrideRequest,
    ReviewError,
    mark_reviewed,
    override_item,
    record_gone,
    record_rejected,
    swap_speaker_roles,
)
from qa.scorecards.models import ScorecardRecord

bp = Blueprint("review", __name__, template_folder="templates")


@bp.app_context_processor
def _inject() -> dict[str, Any]:
    """Let the call page (owned by ``calls``) load its review side."""

    def review_page(call: Call) -> CallPage:
        return call_page(call, current_user)

    return {
        "review_page": review_page,
        "scorecard_stamp": _stamp,
        "transcript_html": transcript_html,
    }


def _reviewable(call_id: int) -> Call:
    """Return the call or abort: 404 when not visible, 403 when the user may not review it."""
    call = require_call_access(current_user, db.session.get(Call, call_id))
    if not can_review_call(current_user, call):
        abort(403)
    return call


def _page(call: Call, status: int, pending: dict[str, Any]) -> tuple[str, int]:
    """Render the call page again with the reviewer's unsaved override and why it failed."""
    html = render_template(
        "calls/detail.html", call=call, jobs=jobs_for_call(call.id), pending=pending
    )
    return html, status


def _stamp(card: ScorecardRecord) -> str:
    """Return what tells this scorecard from a later one stored under the same id."""
    return card.created_at.isoformat()


def _request(form: OverrideForm) -> OverrideRequest:
    return OverrideRequest(
        item_key=form.item_key.data,
        result=form.result.data,
        points=form.points.data,
        reason=form.reason.data or "",
        lock_version=form.lock_version.data,
        seen_result=form.seen_result.data,
        seen_points=form.seen_points.data,
    )


@bp.route("/calls/<int:call_id>/override", methods=["POST"])
@login_required
def override(call_id: int) -> Response | tuple[str, int]:
    """Override one item's result with a reason; totals are recomputed."""
    call = _reviewable(call_id)
    form = OverrideForm()
    pending = {
        "card_id": form.scorecard_id.data,
        "item_key": form.item_key.data,
        "result": form.result.data,
        "points": form.points.data,
        "reason": form.reason.data,
    }
    if not form.validate_on_submit():
        errors = [e for field in form.errors.values() for e in field]
        return _page(call, 400, {**pending, "error": " ".join(str(e) for e in errors)})
    card = db.session.get(ScorecardRecord, form.scorecard_id.data)
    change = _request(form)
    if card is not None and card.call_id != call.id:
        abort(404)
    if card is None or (form.scored_at.data and form.scored_at.data != _stamp(card)):
        # replaced by a re-score since the page was loaded (ids may be reused)
        record_gone(call, form.scorecard_id.data, change, current_user)
        db.session.commit()
        message = _(
            "That scorecard was replaced when the call was scored again, so your change "
            "(%(result)s, “%(reason)s”) was not applied. Apply it again below if it still holds.",
            result=change.result,
            reason=change.reason,
        )
        flash(message, "warning")
        return _page(call, 409, {})
    conflict = None
    for _attempt in range(3):
        try:
            override_item(card, change, current_user)
            db.session.commit()
        except StaleDataError:  # another reviewer saved between our read and our write
            db.session.rollback()
            continue
        except OverrideConflict as exc:
            db.session.rollback()
            conflict = exc
            break
        except ReviewError as exc:
            db.session.rollback()
            return _page(call, 400, {**pending, "error": exc.translated()})
        flash(
            _("Override saved; the scorecard total is now %(total)s.", total=card.total), "success"
        )
        anchor = f"item-{card.id}-{change.item_key}"
        return redirect(url_for("calls.detail", call_id=call.id, _anchor=anchor))
    message = (conflict or OverrideConflict({}, [])).translated()
    record_rejected(card, change, current_user)
    db.session.commit()
    return _page(call, 409, {**pending, "error": message, "conflict": True})


@bp.route("/calls/<int:call_id>/swap-roles", methods=["POST"])
@login_required
def swap(call_id: int) -> Response:
    """Swap agent and customer on the transcript and score the call again."""
    call = _reviewable(call_id)
    form = SwapRolesForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        job = swap_speaker_roles(call, current_user, form.reason.data)
    except ReviewError as exc:
        db.session.rollback()
        flash(exc.translated(), "error")
    else:
        db.session.commit()
        dispatch(job.id)
        flash(_("Agent and customer swapped; the call is being scored again."), "success")
    return redirect(url_for("calls.detail", call_id=call.id))


@bp.route("/calls/<int:call_id>/reviewed", methods=["POST"])
@login_required
def reviewed(call_id: int) -> Response:
    """Mark the call reviewed, keeping the scorecards as they stand now."""
    call = _reviewable(call_id)
    form = ReviewedForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        mark_reviewed(call, current_user, form.notes.data)
    except ReviewError as exc:
        db.session.rollback()
        flash(exc.translated(), "error")
    else:
        db.session.commit()
        flash(_("Call marked reviewed."), "success")
    return redirect(url_for("calls.detail", call_id=call.id))
