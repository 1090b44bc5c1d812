"""Coaching pages: my coaching / the team's notes, writing and acknowledging a note."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from qa.auth.models import User
from qa.calls.models import Call
from qa.coaching.forms import AcknowledgeForm, NoteForm
from qa.coaching.models import CoachingNote
from qa.coaching.services import (
    STATES,
    CoachingError,
    acknowledge,
    add_note,
    coachable_agents,
    list_notes,
    notes_for_call,
)
from qa.core.policy import (
    RESOLVERS,
    can_acknowledge_note,
    can_coach,
    require_call_access,
    require_note_access,
    roles_required,
)
from qa.db import db

bp = Blueprint("coaching", __name__, url_prefix="/coaching", template_folder="templates")


@bp.app_template_global("coaching_panel")
def coaching_panel(call: Call) -> dict:
    """Return what the call page's coaching panel shows to the current user."""
    return {
        "notes": notes_for_call(current_user, call.id),
        "can_add": can_coach(current_user, call.agent),
    }


@bp.route("/")
@login_required
def index() -> str:
    """List coaching notes: the agent's own, or those of the agents the user may see."""
    state = request.args.get("state") or None
    if state not in (None, *STATES):
        abort(400)
    agent_id = request.args.get("agent", type=int)
    return render_template(
        "coaching/index.html",
        notes=list_notes(current_user, state, agent_id),
        state=state,
        agents=coachable_agents(current_user) if current_user.role in RESOLVERS else [],
        agent_id=agent_id,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*RESOLVERS)
def new() -> str | Response | tuple[str, int]:
    """Write a coaching note for an agent, optionally about one call."""
    form = NoteForm()
    call_id = request.values.get("call_id", type=int)
    call = require_call_access(current_user, db.session.get(Call, call_id)) if call_id else None
    agents = [call.agent] if call is not None and call.agent else coachable_agents(current_user)
    if call is not None and not can_coach(current_user, call.agent):
        abort(403)
    form.agent_id.choices = [(a.id, f"{a.name} ({a.agent_code or a.username})") for a in agents]
    if request.method == "GET":
        form.call_id.data = str(call.id) if call else ""
        form.agent_id.data = request.args.get("agent", type=int) or form.agent_id.data
    if form.validate_on_submit():
        try:
            note = add_note(
                current_user, db.session.get(User, form.agent_id.data), form.body.data, call
            )
            db.session.commit()
        except CoachingError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return render_template("coaching/new.html", form=form, call=call), 400
        flash(_("Coaching note saved."), "success")
        return redirect(url_for("coaching.detail", note_id=note.id))
    return render_template("coaching/new.html", form=form, call=call)


@bp.route("/<int:note_id>")
@login_required
def detail(note_id: int) -> str:
    """Show one note (the agent may acknowledge it here)."""
    note = require_note_access(current_user, db.session.get(CoachingNote, note_id))
    return render_template(
        "coaching/detail.html",
        note=note,
        form=AcknowledgeForm(),
        can_ack=note.acknowledged_at is None and can_acknowledge_note(current_user, note),
    )


@bp.route("/<int:note_id>/acknowledge", methods=["POST"])
@login_required
def acknowledge_note(note_id: int) -> Response | tuple[str, int]:
    """Record that the agent read the note."""
    note = require_note_access(current_user, db.session.get(CoachingNote, note_id))
    if not can_acknowledge_note(current_user, note):
        abort(403)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        acknowledge(note, current_user, form.reply.data)
        db.session.commit()
        flash(_("Thank you; the note is acknowledged."), "success")
    except CoachingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("coaching.detail", note_id=note.id))
