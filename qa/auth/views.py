"""Login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response

from qa.auth.forms import LoginForm
from qa.auth.services import authenticate
from qa.db import db

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    if (
        target
        and not urlsplit(target).netloc
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("calls.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Show the login form and sign the user in."""
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(form.username.data, form.password.data, request.remote_addr or "-")
        db.session.commit()
        if result.user is not None:
            login_user(result.user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        flash(result.error, "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Sign out."""
    logout_user()
    return redirect(url_for("auth.login"))
