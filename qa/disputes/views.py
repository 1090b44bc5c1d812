"""Dispute pages: the list, opening a dispute, resolving it and the statistics."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from qa.calls.models import Call
from qa.core.policy import (
    RESOLVERS,
    can_open_dispute,
    can_resolve_dispute,
    require_call_access,
    require_dispute_access,
    roles_required,
)
from qa.db import db
from qa.disputes.forms import AcceptForm, DisputeForm, RejectForm
from qa.disputes.models import STATUSES, Dispute
from qa.disputes.services import (
    DisputeError,
    accept_dispute,
    deadline,
    disputable_items,
    dispute_stats,
    disputes_for_call,
    item_stats,
    labels_for,
    list_disputes,
    open_dispute,
    reject_dispute,
)
from qa.scorecards.services import scorecards_for_call

bp = Blueprint("disputes", __name__, url_prefix="/disputes", template_folder="templates")


def _window() -> int:
    return int(current_app.config["DISPUTE_WINDOW_DAYS"])


@bp.app_template_global("dispute_panel")
def dispute_panel(call: Call) -> dict:
    """Return what the call page's dispute panel shows to the current user."""
    cards = scorecards_for_call(call.id)
    items = (
        disputable_items(current_user, cards, _window())
        if can_open_dispute(current_user, call)
        else []
    )
    return {
        "disputes": disputes_for_call(current_user, call.id),
        "can_open": bool(items),
        "deadlines": [(c, deadline(c, _window())) for c in cards],
    }


@bp.route("/")
@login_required
def index() -> str:
    """List the disputes the user may see (agents: their own)."""
    status = request.args.get("status") or None
    if status not in (None, *STATUSES):
        abort(400)
    return render_template(
        "disputes/index.html", disputes=list_disputes(current_user, status), status=status
    )


@bp.route("/new/<int:call_id>", methods=["GET", "POST"])
@login_required
def new(call_id: int) -> str | Response | tuple[str, int]:
    """Let the call's agent dispute one item result."""
    call = require_call_access(current_user, db.session.get(Call, call_id))
    if not can_open_dispute(current_user, call):
        abort(403)
    items = disputable_items(current_user, scorecards_for_call(call.id), _window())
    form = DisputeForm()
    form.item_id.choices = [(i.id, f"{i.title} ({i.result})") for i in items]
    if request.method == "GET" and request.args.get("item", type=int):
        form.item_id.data = request.args.get("item", type=int)
    if form.validate_on_submit():
        item = next(i for i in items if i.id == form.item_id.data)
        try:
            dispute = open_dispute(item, current_user, form.comment.data, window_days=_window())
            db.session.commit()
        except DisputeError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return render_template("disputes/new.html", form=form, call=call), 400
        except IntegrityError:
            db.session.rollback()
            flash(_("This item already has an open dispute."), "error")
            return render_template("disputes/new.html", form=form, call=call), 409
        flash(_("Dispute opened."), "success")
        return redirect(url_for("disputes.detail", dispute_id=dispute.id))
    if not items and request.method == "GET":
        flash(_("Nothing on this call can be disputed now."), "info")
    return render_template("disputes/new.html", form=form, call=call)


def _resolve_forms(dispute: Dispute) -> tuple[AcceptForm, RejectForm]:
    accept = AcceptForm(prefix="accept")
    accept.corrected.choices = [("", _("keep the result"))] + [
        (label, label) for label in labels_for(dispute.item)
    ]
    return accept, RejectForm(prefix="reject")


@bp.route("/<int:dispute_id>")
@login_required
def detail(dispute_id: int) -> str:
    """Show a dispute with its item and, to resolvers, the resolve forms."""
    dispute = require_dispute_access(current_user, db.session.get(Dispute, dispute_id))
    accept, reject = _resolve_forms(dispute)
    return render_template(
        "disputes/detail.html",
        dispute=dispute,
        accept_form=accept,
        reject_form=reject,
        can_resolve=dispute.status == "open" and can_resolve_dispute(current_user, dispute),
    )


def _finish(dispute: Dispute, action: Callable[[], object]) -> str | Response | tuple[str, int]:
    try:
        action()
        db.session.commit()
    except DisputeError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    except StaleDataError:
        db.session.rollback()
        flash(_("The scorecard was changed by someone else; reload and try again."), "error")
    else:
        flash(_("Dispute %(status)s.", status=dispute.status), "success")
        return redirect(url_for("disputes.detail", dispute_id=dispute.id))
    accept, reject = _resolve_forms(dispute)
    return (
        render_template(
            "disputes/detail.html",
            dispute=dispute,
            accept_form=accept,
            reject_form=reject,
            can_resolve=dispute.status == "open",
        ),
        400,
    )


def _resolvable(dispute_id: int) -> Dispute:
    dispute = require_dispute_access(current_user, db.session.get(Dispute, dispute_id))
    if not can_resolve_dispute(current_user, dispute):
        abort(403)
    return dispute


@bp.route("/<int:dispute_id>/accept", methods=["POST"])
@roles_required(*RESOLVERS)
def accept(dispute_id: int) -> str | Response | tuple[str, int]:
    """Accept a dispute, optionally applying the corrected result."""
    dispute = _resolvable(dispute_id)
    form, _reject = _resolve_forms(dispute)
    if not form.validate_on_submit():
        flash(_("Choose a valid corrected result."), "error")
        return redirect(url_for("disputes.detail", dispute_id=dispute.id))
    return _finish(
        dispute,
        lambda: accept_dispute(
            dispute,
            current_user,
            corrected=form.corrected.data or None,
            points=form.points.data,
            reason=form.reason.data,
        ),
    )


@bp.route("/<int:dispute_id>/reject", methods=["POST"])
@roles_required(*RESOLVERS)
def reject(dispute_id: int) -> str | Response | tuple[str, int]:
    """Reject a dispute; the reason is required."""
    dispute = _resolvable(dispute_id)
    _accept, form = _resolve_forms(dispute)
    if not form.validate_on_submit():
        flash(_("A reason is required to reject a dispute."), "error")
        accept_form, _unused = _resolve_forms(dispute)
        return (
            render_template(
                "disputes/detail.html",
                dispute=dispute,
                accept_form=accept_form,
                reject_form=form,
                can_resolve=True,
            ),
            400,
        )
    return _finish(dispute, lambda: reject_dispute(dispute, current_user, form.reason.data))


@bp.route("/stats")
@roles_required(*RESOLVERS)
def stats() -> str:
    """Show dispute figures per scorer and per resolver."""
    against, resolvers = dispute_stats(current_user)
    return render_template(
        "disputes/stats.html",
        against=against,
        resolvers=resolvers,
        items=item_stats(current_user),
    )
