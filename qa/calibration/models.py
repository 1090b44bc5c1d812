"""Calibration sessions, their calls, raters and the raters' answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.auth.models import User
from qa.calls.models import Call
from qa.db import Base, utcnow
from qa.rubrics.models import RubricVersion

STATUSES = ("open", "closed")


class CalibrationSession(Base):
    """A set of calls that invited raters score blind against one rubric version."""

    __tablename__ = "calibration_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column()

    rubric_version: Mapped[RubricVersion] = relationship()
    lead: Mapped[User] = relationship()
    calls: Mapped[list[CalibrationCall]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="CalibrationCall.id"
    )
    raters: Mapped[list[CalibrationRater]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="CalibrationRater.id"
    )

    def rater(self, user_id: int) -> CalibrationRater | None:
        """Return the invitation of ``user_id``, if invited."""
        return next((r for r in self.raters if r.user_id == user_id), None)


class CalibrationCall(Base):
    """One call of a session."""

    __tablename__ = "calibration_calls"
    __table_args__ = (UniqueConstraint("session_id", "call_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"), index=True
    )
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)

    session: Mapped[CalibrationSession] = relationship(back_populates="calls")
    call: Mapped[Call] = relationship()


class CalibrationRater(Base):
    """An invited rater and when they submitted their answers."""

    __tablename__ = "calibration_raters"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column()

    session: Mapped[CalibrationSession] = relationship(back_populates="raters")
    user: Mapped[User] = relationship()


class CalibrationAnswer(Base):
    """One rater's label for one item of one call; ``rater_id`` None is the lead's final answer."""

    __tablename__ = "calibration_answers"
    __table_args__ = (UniqueConstraint("session_id", "call_id", "item_key", "rater_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"), index=True
    )
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(80))
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    label: Mapped[str] = mapped_column(String(8))
