"""The record that a person reviewed a call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.auth.models import User
from qa.db import Base, utcnow


class Review(Base):
    """A reviewer's sign-off on a call, with the scorecards as they stood then."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    scorecard_state: Mapped[list] = mapped_column(JSON, default=list)

    reviewer: Mapped[User] = relationship()
