"""Admin pages: list, create and edit users and teams."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from qa.admin.forms import EditUserForm, TeamForm, UserForm
from qa.audit.services import record
from qa.auth.models import Team, User
from qa.auth.services import (
    AccountError,
    create_user,
    get_or_create_team,
    list_teams,
    list_users,
    update_user,
)
from qa.core.policy import roles_required
from qa.db import db

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _team_choices() -> list[tuple[str, str]]:
    return [("", "(none)")] + [(t.name, t.name) for t in list_teams()]


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin")
def users() -> str | Response:
    """List users and create one."""
    form = UserForm()
    form.team.choices = _team_choices()
    if form.validate_on_submit():
        try:
            create_user(
                form.username.data,
                form.password.data,
                form.role.data,
                name=form.name.data,
                email=form.email.data or None,
                team=form.team.data or None,
                agent_code=form.agent_code.data,
                actor_id=current_user.id,
            )
        except AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"User {form.username.data} created.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/users.html", users=list_users(), form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: int) -> str | Response:
    """Edit one user."""
    user = db.session.get(User, user_id) or abort(404)
    form = EditUserForm(obj=user, team=user.team.name if user.team else "")
    form.team.choices = _team_choices()
    if form.validate_on_submit():
        code = (form.agent_code.data or "").strip() or None
        clash = code and db.session.scalar(
            select(User).where(User.agent_code == code, User.id != user.id)
        )
        if clash:
            flash(f"agent code {code!r} is taken", "error")
        elif form.role.data == "agent" and not code:
            flash("agents need an agent code", "error")
        elif user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            flash("you cannot remove your own admin access", "error")
        else:
            team = (
                db.session.scalar(select(Team).where(Team.name == form.team.data))
                if form.team.data
                else None
            )
            update_user(
                user,
                actor_id=current_user.id,
                name=form.name.data,
                role=form.role.data,
                team_id=team.id if team else None,
                agent_code=code,
                active=form.active.data,
            )
            if form.password.data:
                user.set_password(form.password.data)
                record("update", "user", user.id, user_id=current_user.id, field="password")
            db.session.commit()
            flash("Saved.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/edit_user.html", user=user, form=form)


@bp.route("/teams", methods=["GET", "POST"])
@roles_required("admin")
def teams() -> str | Response:
    """List teams and create one."""
    form = TeamForm()
    if form.validate_on_submit():
        try:
            get_or_create_team(form.name.data)
        except AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Team saved.", "success")
            return redirect(url_for("admin.teams"))
    return render_template("admin/teams.html", teams=list_teams(), form=form)
