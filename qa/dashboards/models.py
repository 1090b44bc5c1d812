"""Per-day dashboard rollups, kept in step with the raw rows in the same transaction.

Each table sums one day (or one ISO week) of calls, the day of
``coalesce(started_at, created_at)`` as the dashboard buckets it, so a view adds up a few
rows per team or agent and week, plus single days at the edges of its range. Teams
are the agents' current teams. A primary key cannot hold NULL, so agent id ``NOBODY`` (0)
stands for "no agent", team id ``NO_TEAM`` (0) for an agent without a team and team id
``NO_AGENT`` (-1) for calls without an agent.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from qa.db import Base

NOBODY = 0
NO_TEAM = 0
NO_AGENT = -1


class AgentDay(Base):
    """One agent's scorecards of one day (for the per-agent score lines)."""

    __tablename__ = "dashboard_agent_days"
    __table_args__ = (Index("ix_dashboard_agent_days_agent_day", "agent_id", "day"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agent_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    week: Mapped[date] = mapped_column(Date)  # Monday of the day's ISO week, to group by
    scorecards: Mapped[int] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0.0)


class AgentWeek(Base):
    """One agent's scorecards of one ISO week (whole weeks of a range read these)."""

    __tablename__ = "dashboard_agent_weeks"
    __table_args__ = (Index("ix_dashboard_agent_weeks_agent_week", "agent_id", "week"),)

    week: Mapped[date] = mapped_column(Date, primary_key=True)
    agent_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    scorecards: Mapped[int] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0.0)


class TeamDay(Base):
    """One team's calls of one day: volumes, scorecard sums and agreement counts."""

    __tablename__ = "dashboard_team_days"
    __table_args__ = (Index("ix_dashboard_team_days_team_day", "team_id", "day"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    team_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    calls: Mapped[int] = mapped_column(default=0)
    duration: Mapped[float] = mapped_column(default=0.0)
    scorecards: Mapped[int] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0.0)
    talk_ratio_sum: Mapped[float] = mapped_column(default=0.0)
    talk_ratio_n: Mapped[int] = mapped_column(default=0)
    dead_air_sum: Mapped[float] = mapped_column(default=0.0)
    dead_air_n: Mapped[int] = mapped_column(default=0)
    checked_items: Mapped[int] = mapped_column(default=0)
    agreed_items: Mapped[int] = mapped_column(default=0)


class KpiDay(Base):
    """One team's imported KPI values of one kind on one day."""

    __tablename__ = "dashboard_kpi_days"
    __table_args__ = (Index("ix_dashboard_kpi_days_team_day", "team_id", "day"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    team_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0.0)
    ge9: Mapped[int] = mapped_column(default=0)
    le6: Mapped[int] = mapped_column(default=0)
    ge4: Mapped[int] = mapped_column(default=0)


class ItemDay(Base):
    """One rubric item's results on one team's calls of one day."""

    __tablename__ = "dashboard_item_days"
    __table_args__ = (
        Index("ix_dashboard_item_days_team_day", "team_id", "day"),
        # covers the all-teams failure query, so SQLite groups without sorting
        Index(
            "ix_dashboard_item_days_item",
            "item_key",
            "section",
            "day",
            "title",
            "failed",
            "applicable",
        ),
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    team_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    item_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    section: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), primary_key=True)
    items: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    applicable: Mapped[int] = mapped_column(default=0)


class ItemWeek(Base):
    """One rubric item's results on one team's calls of one ISO week."""

    __tablename__ = "dashboard_item_weeks"
    __table_args__ = (
        Index("ix_dashboard_item_weeks_team_week", "team_id", "week"),
        Index(
            "ix_dashboard_item_weeks_item",
            "item_key",
            "section",
            "week",
            "title",
            "failed",
            "applicable",
        ),
    )

    week: Mapped[date] = mapped_column(Date, primary_key=True)
    team_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    item_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    section: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), primary_key=True)
    items: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    applicable: Mapped[int] = mapped_column(default=0)
