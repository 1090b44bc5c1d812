"""Scorecards and their per-item results (rows, for filters and dashboards)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.calls.models import Call
from qa.db import Base, utcnow
from qa.rubrics.models import RubricVersion


class ScorecardRecord(Base):
    """One call scored against one rubric version."""

    __tablename__ = "scorecards"
    __table_args__ = (UniqueConstraint("call_id", "rubric_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"), index=True)
    total: Mapped[float] = mapped_column()
    auto_total: Mapped[float] = mapped_column()
    passed: Mapped[bool] = mapped_column()
    needs_review: Mapped[bool] = mapped_column(default=False, index=True)
    critical_failed: Mapped[bool] = mapped_column(default=False, index=True)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    call: Mapped[Call] = relationship()
    rubric_version: Mapped[RubricVersion] = relationship()
    items: Mapped[list[ItemResultRecord]] = relationship(
        back_populates="scorecard", cascade="all, delete-orphan", order_by="ItemResultRecord.id"
    )


class ItemResultRecord(Base):
    """One rubric item's result on a scorecard."""

    __tablename__ = "item_results"
    __table_args__ = (
        UniqueConstraint("scorecard_id", "item_key"),
        Index("ix_item_results_key_result", "item_key", "result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="CASCADE"))
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(80))
    section: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(String(8))
    auto_result: Mapped[str] = mapped_column(String(8))
    points: Mapped[float] = mapped_column()
    max_points: Mapped[float] = mapped_column()
    confidence: Mapped[float] = mapped_column()
    needs_review: Mapped[bool] = mapped_column(default=False)
    critical: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(Text)

    scorecard: Mapped[ScorecardRecord] = relationship(back_populates="items")
