"""Blueprint registration and error pages."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError


def _error(code: int, title: str, message: str) -> tuple[str, int]:
    return render_template("error.html", code=code, title=title, message=message), code


def register_blueprints(app: Flask) -> None:
    """Attach every feature's blueprint and the error handlers."""
    import qa.auth.loader  # noqa: F401  (registers the user loader)
    from qa.admin.views import bp as admin_bp
    from qa.auth.views import bp as auth_bp
    from qa.calls.views import bp as calls_bp

    for bp in (auth_bp, admin_bp, calls_bp):
        app.register_blueprint(bp)

    app.register_error_handler(
        403, lambda e: _error(403, "Forbidden", "You do not have access to this page.")
    )
    app.register_error_handler(404, lambda e: _error(404, "Not found", "There is nothing here."))
    app.register_error_handler(
        413,
        lambda e: _error(
            413,
            "Too large",
            f"The upload is over the {app.config['MAX_UPLOAD_MB']} MB limit.",
        ),
    )
    app.register_error_handler(
        CSRFError,
        lambda e: _error(400, "Form expired", f"{e.description} Reload the page and try again."),
    )
