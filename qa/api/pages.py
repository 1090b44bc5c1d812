"""Pages: users manage their API tokens, admins their webhooks; everyone may read the docs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from qa.api.forms import TokenForm, WebhookForm
from qa.api.models import ApiToken, WebhookSubscription
from qa.api.openapi import build_spec
from qa.api.tokens import SCOPES, TokenError, allowed_scopes, create_token, revoke_token, tokens_of
from qa.api.webhooks import (
    WebhookError,
    create_subscription,
    delete_subscription,
    list_subscriptions,
    recent_deliveries,
    update_subscription,
)
from qa.core.policy import roles_required
from qa.db import db

pages_bp = Blueprint("api_pages", __name__, url_prefix="/api", template_folder="templates")


def _scope_choices() -> list[SelectChoice]:
    return [SelectChoice(s, f"{s} — {SCOPES[s]}") for s in allowed_scopes(current_user)]


@pages_bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> str | tuple[str, int]:
    """List the user's tokens and create one (its secret is shown on this response only)."""
    form = TokenForm()
    form.scopes.choices = _scope_choices()
    secret = None
    status = 200
    if form.validate_on_submit():
        try:
            token, secret = create_token(current_user, form.name.data, form.scopes.data)
        except TokenError as exc:
            flash(str(exc), "error")
            status = 400
        else:
            db.session.commit()
            flash(
                _("Token %(name)s created. Copy it now: it is not shown again.", name=token.name),
                "success",
            )
            form = TokenForm(formdata=None)
            form.scopes.choices = _scope_choices()
    elif form.is_submitted():
        status = 400
    page = render_template(
        "api/tokens.html", form=form, tokens=tokens_of(current_user), secret=secret
    )
    return page, status


@pages_bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> Response:
    """Revoke one of the user's own tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    revoke_token(token, by=current_user)
    db.session.commit()
    flash(_("Token %(name)s revoked.", name=token.name), "success")
    return redirect(url_for("api_pages.tokens"))


@pages_bp.route("/webhooks", methods=["GET", "POST"])
@roles_required("admin")
def webhooks() -> str | tuple[str, int]:
    """List webhook subscriptions with their latest attempts, and add one."""
    form = WebhookForm()
    created = None
    status = 200
    if form.validate_on_submit():
        try:
            created = create_subscription(
                form.url.data, form.event.data, secret=form.secret.data or None, by=current_user
            )
        except WebhookError as exc:
            flash(str(exc), "error")
            status = 400
        else:
            db.session.commit()
            flash(_("Webhook added. Copy its secret now: it is not shown again."), "success")
            form = WebhookForm(formdata=None)
    elif form.is_submitted():
        status = 400
    page = render_template(
        "api/webhooks.html",
        form=form,
        subscriptions=list_subscriptions(),
        deliveries=recent_deliveries(limit=30),
        created=created,
    )
    return page, status


def _subscription(webhook_id: int) -> WebhookSubscription:
    sub = db.session.get(WebhookSubscription, webhook_id)
    if sub is None:
        abort(404)
    return sub


@pages_bp.post("/webhooks/<int:webhook_id>/toggle")
@roles_required("admin")
def toggle_webhook(webhook_id: int) -> Response:
    """Pause or resume a subscription."""
    sub = _subscription(webhook_id)
    update_subscription(sub, by=current_user, active=not sub.active)
    db.session.commit()
    return redirect(url_for("api_pages.webhooks"))


@pages_bp.post("/webhooks/<int:webhook_id>/delete")
@roles_required("admin")
def delete_webhook(webhook_id: int) -> Response:
    """Remove a subscription and its delivery log."""
    delete_subscription(_subscription(webhook_id), by=current_user)
    db.session.commit()
    flash(_("Webhook removed."), "success")
    return redirect(url_for("api_pages.webhooks"))


@pages_bp.get("/docs")
def docs() -> str:
    """Show the API's endpoints, scopes and schemas from the OpenAPI document."""
    return render_template("api/docs.html", spec=build_spec())
