"""A dispute of one item result on an agent's scorecard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.auth.models import User
from qa.calls.models import Call
from qa.db import Base, utcnow
from qa.scorecards.models import ItemResultRecord

STATUSES = ("open", "accepted", "rejected")


class Dispute(Base):
    """An agent's objection to one item result, and how it was resolved."""

    __tablename__ = "disputes"
    __table_args__ = (
        # at most one open dispute per item (partial unique index; SQLite and PostgreSQL)
        Index(
            "uq_disputes_open_item",
            "item_result_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_result_id: Mapped[int] = mapped_column(
        ForeignKey("item_results.id", ondelete="CASCADE"), index=True
    )
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    against_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    comment: Mapped[str] = mapped_column(Text)
    result_at_open: Mapped[str] = mapped_column(String(8))
    corrected_result: Mapped[str | None] = mapped_column(String(8))
    resolution_reason: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column()
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    item: Mapped[ItemResultRecord] = relationship()
    call: Mapped[Call] = relationship()
    agent: Mapped[User] = relationship(foreign_keys=[agent_id])
    against: Mapped[User | None] = relationship(foreign_keys=[against_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def hours_to_resolve(self) -> float | None:
        """Return the hours between opening and resolution (None while open)."""
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.created_at).total_seconds() / 3600.0
