"""Write and read the audit log."""

from __future__ import annotations

from sqlalchemy import select

from qa.audit.models import AuditEntry
from qa.db import db


def record(
    action: str,
    obj_type: str,
    obj_id: object,
    *,
    user_id: int | None = None,
    field: str | None = None,
    old: object = None,
    new: object = None,
    reason: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the session (the caller commits)."""
    entry = AuditEntry(
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        user_id=user_id,
        field=field,
        old_value=old,
        new_value=new,
        reason=reason,
    )
    db.session.add(entry)
    return entry


def history(obj_type: str, obj_id: object) -> list[AuditEntry]:
    """Return the entries for one object, oldest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.object_type == obj_type, AuditEntry.object_id == str(obj_id))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(db.session.scalars(stmt))
