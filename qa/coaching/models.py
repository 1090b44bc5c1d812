"""A coaching note for an agent, optionally about one call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.auth.models import User
from qa.calls.models import Call
from qa.db import Base, utcnow


class CoachingNote(Base):
    """Feedback written by QA or a manager that the agent acknowledges."""

    __tablename__ = "coaching_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(index=True)
    agent_reply: Mapped[str | None] = mapped_column(Text)

    agent: Mapped[User] = relationship(foreign_keys=[agent_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    call: Mapped[Call | None] = relationship()

    @property
    def acknowledged(self) -> bool:
        """Return whether the agent has acknowledged the note."""
        return self.acknowledged_at is not None
