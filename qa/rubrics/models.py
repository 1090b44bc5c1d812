"""Rubrics and their versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.auth.models import User
from qa.db import Base, utcnow

VERSION_STATUSES = ("draft", "published", "retired")


class RubricRecord(Base):
    """A rubric (e.g. "Script adherence (English)") across its versions."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    languages: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[RubricVersion]] = relationship(
        back_populates="rubric", order_by="RubricVersion.version"
    )


class RubricVersion(Base):
    """One immutable YAML version of a rubric: draft, published or retired."""

    __tablename__ = "rubric_versions"
    __table_args__ = (UniqueConstraint("rubric_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"), index=True)
    version: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    document: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()

    rubric: Mapped[RubricRecord] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
