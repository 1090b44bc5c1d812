"""Flask-Login's user loader."""

from __future__ import annotations

from qa.auth.models import User
from qa.db import db
from qa.extensions import login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the active user with this id."""
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None
