"""KPI values per call, imported from telephony or survey systems."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.calls.models import Call
from qa.db import Base, utcnow

KPI_KINDS = ("fcr", "csat", "nps", "aht")


class KpiValue(Base):
    """One KPI of one call (one value per kind; a new import replaces it)."""

    __tablename__ = "kpi_values"
    __table_args__ = (UniqueConstraint("call_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8), index=True)
    value: Mapped[float] = mapped_column()
    source: Mapped[str] = mapped_column(String(80))
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    call: Mapped[Call] = relationship()
