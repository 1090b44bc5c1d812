"""Switch the signed-in user's interface language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from qa.db import db
from qa.i18n import LOCALES

bp = Blueprint("i18n", __name__)


def _back() -> str:
    target = request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return url_for("calls.index")


@bp.route("/locale", methods=["POST"])
@login_required
def set_locale() -> Response:
    """Save the chosen interface language on the user and go back to the page."""
    locale = request.form.get("locale", "")
    if locale not in LOCALES:
        abort(400, description=f"unknown language {locale!r}")
    current_user.locale = locale
    db.session.commit()
    return redirect(_back())
