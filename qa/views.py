"""Blueprint registration and error pages."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


def _error(code: int, title: str, message: str) -> tuple[str, int]:
    return render_template("error.html", code=code, title=title, message=message), code


def register_blueprints(app: Flask) -> None:
    """Attach every feature's blueprint and the error handlers."""
    import qa.auth.loader  # noqa: F401  (registers the user loader)
    from qa.admin.views import bp as admin_bp
    from qa.api.views import bp as api_bp
    from qa.api.views import pages_bp as api_pages_bp
    from qa.auth.views import bp as auth_bp
    from qa.calibration.views import bp as calibration_bp
    from qa.calls.views import bp as calls_bp
    from qa.coaching.views import bp as coaching_bp
    from qa.dashboards.views import bp as dashboards_bp
    from qa.disputes.views import bp as disputes_bp
    from qa.i18n.views import bp as i18n_bp
    from qa.queue.views import bp as queue_bp
    from qa.reports.views import bp as reports_bp
    from qa.review.views import bp as review_bp
    from qa.rubrics.views import bp as rubrics_bp

    for bp in (
        auth_bp,
        admin_bp,
        calls_bp,
        disputes_bp,
        calibration_bp,
        coaching_bp,
        review_bp,
        api_bp,
        api_pages_bp,
        queue_bp,
        dashboards_bp,
        reports_bp,
        i18n_bp,
        rubrics_bp,
    ):
        app.register_blueprint(bp)

    app.register_error_handler(
        403, lambda e: _error(403, _("Forbidden"), _("You do not have access to this page."))
    )
    app.register_error_handler(
        404, lambda e: _error(404, _("Not found"), _("There is nothing here."))
    )
    app.register_error_handler(
        413,
        lambda e: _error(
            413,
            _("Too large"),
            _("The upload is over the %(mb)d MB limit.", mb=app.config["MAX_UPLOAD_MB"]),
        ),
    )
    app.register_error_handler(
        CSRFError,
        lambda e: _error(
            400,
            _("Form expired"),
            _("%(reason)s Reload the page and try again.", reason=e.description),
        ),
    )
