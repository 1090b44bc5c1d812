"""dashboard rollups per day, backfilled from the existing rows

Revision ID: c4d9e2f7a613
Revises: 5b7e2c9d41a8
Create Date: 2026-11-23 21:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4d9e2f7a613"
down_revision = "5b7e2c9d41a8"
branch_labels = None
depends_on = None

# the day a call counts for and a scorecard metric, per dialect
DAY = {
    "sqlite": "date(coalesce(c.started_at, c.created_at))",
    "postgresql": "CAST(coalesce(c.started_at, c.created_at) AS date)",
}
WEEK = {
    "sqlite": "date(coalesce(c.started_at, c.created_at), 'weekday 0', '-6 days')",
    "postgresql": "CAST(date_trunc('week', coalesce(c.started_at, c.created_at)) AS date)",
}
METRIC = {
    "sqlite": "CAST(json_extract(s.data, '$.metrics.{name}') AS FLOAT)",
    "postgresql": "CAST(s.data #>> '{{metrics,{name}}}' AS FLOAT)",
}
# the agent's current team: 0 for an agent without a team, -1 for a call without an agent
TEAM = "CASE WHEN c.agent_id IS NULL THEN -1 ELSE coalesce(u.team_id, 0) END"
CALLS = "calls c LEFT JOIN users u ON u.id = c.agent_id"
CHECKED = "(EXISTS (SELECT 1 FROM reviews r WHERE r.call_id = c.id) OR s.total != s.auto_total)"

AGENT_DAYS = """
INSERT INTO dashboard_agent_days (day, agent_id, week, scorecards, total)
SELECT {day}, coalesce(c.agent_id, 0), min({week}), count(s.id), sum(s.total)
FROM calls c JOIN scorecards s ON s.call_id = c.id
GROUP BY {day}, coalesce(c.agent_id, 0)
"""
AGENT_WEEKS = """
INSERT INTO dashboard_agent_weeks (week, agent_id, scorecards, total)
SELECT {week}, coalesce(c.agent_id, 0), count(s.id), sum(s.total)
FROM calls c JOIN scorecards s ON s.call_id = c.id
GROUP BY {week}, coalesce(c.agent_id, 0)
"""
TEAM_DAYS = """
INSERT INTO dashboard_team_days (day, team_id, calls, duration, scorecards, total,
    talk_ratio_sum, talk_ratio_n, dead_air_sum, dead_air_n, checked_items, agreed_items)
SELECT day, team_id, count(call), coalesce(sum(duration), 0.0), count(total),
    coalesce(sum(total), 0.0), coalesce(sum(ratio), 0.0), count(ratio),
    coalesce(sum(dead_air), 0.0), count(dead_air), count(agreed), coalesce(sum(agreed), 0)
FROM (
    SELECT {day} AS day, {team} AS team_id, 1 AS call, c.duration AS duration,
        CAST(NULL AS FLOAT) AS total, CAST(NULL AS FLOAT) AS ratio,
        CAST(NULL AS FLOAT) AS dead_air, CAST(NULL AS INTEGER) AS agreed
    FROM {calls}
    UNION ALL
    SELECT {day}, {team}, NULL, NULL, s.total, {ratio}, {dead_air}, NULL
    FROM {calls} JOIN scorecards s ON s.call_id = c.id
    UNION ALL
    SELECT {day}, {team}, NULL, NULL, NULL, NULL, NULL,
        CASE WHEN i.result = i.auto_result THEN 1 ELSE 0 END
    FROM {calls} JOIN scorecards s ON s.call_id = c.id JOIN item_results i ON i.scorecard_id = s.id
    WHERE {checked}
) AS parts
GROUP BY day, team_id
"""
KPI_DAYS = """
INSERT INTO dashboard_kpi_days (day, team_id, kind, n, total, ge9, le6, ge4)
SELECT {day}, {team}, k.kind, count(k.id), sum(k.value),
    sum(CASE WHEN k.value >= 9 THEN 1 ELSE 0 END), sum(CASE WHEN k.value <= 6 THEN 1 ELSE 0 END),
    sum(CASE WHEN k.value >= 4 THEN 1 ELSE 0 END)
FROM {calls} JOIN kpi_values k ON k.call_id = c.id
GROUP BY {day}, {team}, k.kind
"""
ITEMS = """
INSERT INTO dashboard_item_{unit}s ({unit}, team_id, item_key, section, title, items, failed,
    applicable)
SELECT {{{unit}}}, {{team}}, i.item_key, i.section, i.title, count(i.id),
    sum(CASE WHEN i.result = 'fail' THEN 1 ELSE 0 END),
    sum(CASE WHEN i.result != 'na' THEN 1 ELSE 0 END)
FROM item_results i JOIN calls c ON c.id = i.call_id LEFT JOIN users u ON u.id = c.agent_id
GROUP BY {{{unit}}}, {{team}}, i.item_key, i.section, i.title
"""
ITEM_DAYS, ITEM_WEEKS = ITEMS.format(unit="day"), ITEMS.format(unit="week")


def _backfill() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    parts = {
        "day": DAY[dialect],
        "week": WEEK[dialect],
        "team": TEAM,
        "calls": CALLS,
        "ratio": METRIC[dialect].format(name="talk_ratio_agent"),
        "dead_air": METRIC[dialect].format(name="dead_air_total"),
        "checked": CHECKED,
    }
    for statement in (AGENT_DAYS, AGENT_WEEKS, TEAM_DAYS, KPI_DAYS, ITEM_DAYS, ITEM_WEEKS):
        bind.execute(sa.text(statement.format(**parts)))


def _day_table(
    name: str, owner: str, *columns: sa.Column, keys: tuple[str, ...] = (), unit: str = "day"
) -> None:
    op.create_table(
        name,
        sa.Column(unit, sa.Date(), nullable=False),
        sa.Column(owner, sa.Integer(), autoincrement=False, nullable=False),
        *columns,
        sa.PrimaryKeyConstraint(unit, owner, *keys, name=op.f(f"pk_{name}")),
    )
    op.create_index(f"ix_{name}_{owner.split('_')[0]}_{unit}", name, [owner, unit])


def _item_table(unit: str) -> None:
    name = f"dashboard_item_{unit}s"
    _day_table(
        name,
        "team_id",
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("section", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        *_counts("items", "failed", "applicable"),
        keys=("item_key", "section", "title"),
        unit=unit,
    )
    columns = ["item_key", "section", unit, "title", "failed", "applicable"]
    op.create_index(f"ix_{name}_item", name, columns)


def _counts(*names: str) -> list[sa.Column]:
    return [sa.Column(n, sa.Integer(), nullable=False) for n in names]


def _sums(*names: str) -> list[sa.Column]:
    return [sa.Column(n, sa.Double(), nullable=False) for n in names]


def upgrade() -> None:
    _day_table(
        "dashboard_agent_days",
        "agent_id",
        sa.Column("week", sa.Date(), nullable=False),
        *_counts("scorecards"),
        *_sums("total"),
    )
    _day_table(
        "dashboard_agent_weeks", "agent_id", *_counts("scorecards"), *_sums("total"), unit="week"
    )
    _day_table(
        "dashboard_team_days",
        "team_id",
        *_counts("calls"),
        *_sums("duration"),
        *_counts("scorecards"),
        *_sums("total", "talk_ratio_sum"),
        *_counts("talk_ratio_n"),
        *_sums("dead_air_sum"),
        *_counts("dead_air_n", "checked_items", "agreed_items"),
    )
    _day_table(
        "dashboard_kpi_days",
        "team_id",
        sa.Column("kind", sa.String(length=8), nullable=False),
        *_counts("n"),
        *_sums("total"),
        *_counts("ge9", "le6", "ge4"),
        keys=("kind",),
    )
    _item_table("day")
    _item_table("week")
    _backfill()


def downgrade() -> None:
    for name in ("item_days", "item_weeks"):
        op.drop_index(f"ix_dashboard_{name}_item", table_name=f"dashboard_{name}")
    for name, owner, unit in (
        ("item_weeks", "team", "week"),
        ("item_days", "team", "day"),
        ("kpi_days", "team", "day"),
        ("team_days", "team", "day"),
        ("agent_weeks", "agent", "week"),
        ("agent_days", "agent", "day"),
    ):
        op.drop_index(f"ix_dashboard_{name}_{owner}_{unit}", table_name=f"dashboard_{name}")
        op.drop_table(f"dashboard_{name}")
