"""Calibration pages: sessions list with the trend, create, score blind, figures, close."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from qa.auth.models import User
from qa.calibration.forms import AnswersForm, SessionForm, parse_answers
from qa.calibration.models import CalibrationSession
from qa.calibration.scoring import item_labels
from qa.calibration.services import (
    CalibrationError,
    answers_of,
    candidate_calls,
    close_session,
    create_session,
    is_blinded,
    list_sessions,
    raters_available,
    rubric_of,
    save_answers,
    session_result,
    set_final_answers,
    trend,
)
from qa.calls.models import Call
from qa.core.policy import (
    CALIBRATORS,
    calibration_results_visible,
    can_manage_calibration,
    require_calibration_access,
    roles_required,
)
from qa.db import db
from qa.rubrics.models import RubricVersion

bp = Blueprint("calibration", __name__, url_prefix="/calibration", template_folder="templates")

VIEWERS = (*CALIBRATORS, "manager")


@bp.app_template_global("calibration_blind")
def calibration_blind(call: Call) -> bool:
    """Return whether the current user must not see this call's scores (blind rater)."""
    return current_user.is_authenticated and is_blinded(current_user, call.id)


def _session(session_id: int) -> CalibrationSession:
    return require_calibration_access(current_user, db.session.get(CalibrationSession, session_id))


@bp.route("/")
@roles_required(*VIEWERS)
def index() -> str:
    """List sessions and chart agreement over closed sessions."""
    return render_template(
        "calibration/index.html", sessions=list_sessions(current_user), trend=trend()
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*CALIBRATORS)
def new() -> str | Response | tuple[str, int]:
    """Create a session."""
    form = SessionForm()
    versions = db.session.scalars(
        select(RubricVersion).where(RubricVersion.status != "draft").order_by(RubricVersion.id)
    ).all()
    form.rubric_version_id.choices = [
        (v.id, f"{v.rubric.name} v{v.version} ({v.status})") for v in versions
    ]
    form.call_ids.choices = [(c.id, f"#{c.id} {c.original_filename}") for c in candidate_calls()]
    form.rater_ids.choices = [(u.id, f"{u.name} ({u.role})") for u in raters_available()]
    if form.validate_on_submit():
        calls = [db.session.get(Call, i) for i in form.call_ids.data]
        raters = [db.session.get(User, i) for i in form.rater_ids.data]
        try:
            session = create_session(
                form.title.data,
                db.session.get(RubricVersion, form.rubric_version_id.data),
                calls,
                raters,
                current_user,
                form.notes.data,
            )
            db.session.commit()
        except CalibrationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return render_template("calibration/new.html", form=form), 400
        flash(_("Session created; the raters can start."), "success")
        return redirect(url_for("calibration.detail", session_id=session.id))
    return render_template("calibration/new.html", form=form)


@bp.route("/<int:session_id>")
@roles_required(*VIEWERS)
def detail(session_id: int) -> str:
    """Show the session; the figures only to those no longer blind."""
    session = _session(session_id)
    visible = calibration_results_visible(current_user, session)
    rubric = rubric_of(session)
    return render_template(
        "calibration/detail.html",
        session=session,
        rubric=rubric,
        result=session_result(session) if visible else None,
        final=answers_of(session, None) if visible else {},
        labels={i.key: item_labels(i) for i in rubric.items},
        rater=session.rater(current_user.id),
        can_manage=can_manage_calibration(current_user, session),
        form=AnswersForm(),
    )


@bp.route("/<int:session_id>/score", methods=["GET", "POST"])
@roles_required(*CALIBRATORS)
def score(session_id: int) -> str | Response | tuple[str, int]:
    """Let an invited rater answer every item of every call, without seeing other answers."""
    session = _session(session_id)
    rater = session.rater(current_user.id)
    if rater is None:
        abort(403)
    form = AnswersForm()
    rubric = rubric_of(session)
    mine = answers_of(session, current_user.id)
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        mine = parse_answers(request.form.to_dict(), "a")
        submit = request.form.get("action") == "submit"
        try:
            save_answers(session, current_user, mine, submit=submit)
            db.session.commit()
        except CalibrationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            status = 400
        else:
            flash(_("Answers submitted.") if submit else _("Draft saved."), "success")
            target = "calibration.detail" if submit else "calibration.score"
            return redirect(url_for(target, session_id=session.id))
    elif request.method == "POST":
        abort(400)
    page = render_template(
        "calibration/score.html",
        session=session,
        rubric=rubric,
        labels={i.key: item_labels(i) for i in rubric.items},
        mine=mine,
        rater=rater,
        form=form,
    )
    return (page, status) if status != 200 else page


def _managed(session_id: int) -> CalibrationSession:
    session = _session(session_id)
    if not can_manage_calibration(current_user, session):
        abort(403)
    return session


@bp.route("/<int:session_id>/final", methods=["POST"])
@roles_required(*CALIBRATORS)
def final(session_id: int) -> Response:
    """Store the lead's final answers (the agreed result where given)."""
    session = _managed(session_id)
    if not AnswersForm().validate_on_submit():
        abort(400)
    try:
        set_final_answers(session, current_user, parse_answers(request.form.to_dict(), "f"))
        db.session.commit()
        flash(_("Final answers saved."), "success")
    except CalibrationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("calibration.detail", session_id=session.id))


@bp.route("/<int:session_id>/close", methods=["POST"])
@roles_required(*CALIBRATORS)
def close(session_id: int) -> Response:
    """Close the session."""
    session = _managed(session_id)
    if not AnswersForm().validate_on_submit():
        abort(400)
    try:
        close_session(session, current_user)
        db.session.commit()
        flash(_("Session closed."), "success")
    except CalibrationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("calibration.detail", session_id=session.id))
