"""Claims on calls, so two reviewers do not review the same call by accident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.auth.models import User
from qa.db import Base, utcnow
from qa.scorecards.models import ScorecardRecord


class ReviewClaim(Base):
    """A reviewer's claim on a call, valid until ``expires_at``."""

    __tablename__ = "review_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    user: Mapped[User] = relationship()


# covering indexes for the queue's reasons: the (large) scorecard rows are never read
SCORECARDS_CRITICAL = Index(
    "ix_scorecards_critical_call", ScorecardRecord.critical_failed, ScorecardRecord.call_id
)
SCORECARDS_UNSURE = Index(
    "ix_scorecards_review_call", ScorecardRecord.needs_review, ScorecardRecord.call_id
)
