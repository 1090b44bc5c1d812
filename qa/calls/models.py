"""Calls and their transcripts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.auth.models import User
from qa.db import Base, utcnow

CALL_STATUSES = ("received", "transcribing", "scoring", "scored", "failed")
DIRECTIONS = ("inbound", "outbound")


class Call(Base):
    """One recorded call, stored once per distinct audio content."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(16))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    duration: Mapped[float] = mapped_column()
    channels: Mapped[int] = mapped_column()
    sample_rate: Mapped[int] = mapped_column()
    language: Mapped[str | None] = mapped_column(String(8))
    direction: Mapped[str | None] = mapped_column(String(16))
    queue: Mapped[str | None] = mapped_column(String(80), index=True)
    customer_ref: Mapped[str | None] = mapped_column(String(120))
    agent_channel: Mapped[int | None] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column(index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    agent: Mapped[User | None] = relationship(foreign_keys=[agent_id])
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    transcript: Mapped[TranscriptRecord | None] = relationship(
        back_populates="call", cascade="all, delete-orphan"
    )

    @property
    def storage_key(self) -> str:
        """Return the audio store key of the recording."""
        return f"{self.sha256}.{self.format}"


class TranscriptRecord(Base):
    """The stored transcript of a call (one per call)."""

    __tablename__ = "transcripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), unique=True)
    language: Mapped[str | None] = mapped_column(String(8))
    engine: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="transcript")
