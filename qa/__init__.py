"""The Flask app: ``create_app`` builds it from defaults, the environment and ``config``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from qa.config import MB, Config, from_env, instance_path_from_env, load_secret_key

ROOT = Path(__file__).resolve().parent.parent


def _apply_defaults(app: Flask) -> None:
    inst = Path(app.instance_path)
    cfg = app.config
    cfg["DATABASE_URL"] = cfg.get("DATABASE_URL") or f"sqlite:///{inst / 'callqa.sqlite'}"
    cfg["BROKER_URL"] = cfg.get("BROKER_URL") or f"sqla+sqlite:///{inst / 'broker.sqlite'}"
    cfg["AUDIO_STORE"] = cfg.get("AUDIO_STORE") or str(inst / "audio")
    cfg["MODEL_CACHE"] = cfg.get("MODEL_CACHE") or str(inst / "models")
    cfg["EMBEDDING_STORE"] = cfg.get("EMBEDDING_STORE") or str(inst / "embeddings")
    cfg["SECRET_KEY"] = cfg.get("SECRET_KEY") or load_secret_key(app.instance_path)
    # room for the form fields around the largest accepted file
    cfg["MAX_CONTENT_LENGTH"] = cfg["MAX_UPLOAD_MB"] * MB + MB


def _select_locale() -> str:
    from flask import has_request_context, request
    from flask_login import current_user

    if not has_request_context():  # CLI commands and workers
        return "en"
    if current_user and current_user.is_authenticated:
        return current_user.locale
    return request.accept_languages.best_match(["en", "zh"]) or "en"


def create_app(
    config: dict[str, Any] | type | None = None, instance_path: str | None = None
) -> Flask:
    """Return a configured app: defaults, then the environment, then ``config``."""
    app = Flask(
        __name__,
        instance_path=instance_path or instance_path_from_env(),
        instance_relative_config=True,
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(Config)
    app.config.update(from_env())
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    os.makedirs(app.instance_path, exist_ok=True)
    _apply_defaults(app)

    from qa.db import db
    from qa.extensions import babel, csrf, login_manager
    from qa.jobs.celery_app import init_celery

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    init_celery(app)

    from qa.views import register_blueprints

    register_blueprints(app)
    return app
