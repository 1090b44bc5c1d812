"""What the rubric pages show: summaries, readable item rows and back-test figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa.db import db
from qa.rubrics.models import RubricRecord, RubricVersion
from qa.rubrics.services import parse
from scoring.backtest import BacktestReport
from scoring.rubric import Item, Rubric


@dataclass
class RubricSummary:
    """One line of the rubric list."""

    rubric: RubricRecord
    published: RubricVersion | None
    drafts: int

    @property
    def published_at(self) -> datetime | None:
        """Return when the current version was published."""
        return self.published.published_at if self.published else None


@dataclass
class ItemRow:
    """One rubric item as the pages show it, with its section and detector summary."""

    section: str
    item: Item
    detector: str


@dataclass
class ItemDelta:
    """How one item's pass rate would move with the back-tested version."""

    key: str
    title: str
    old_pass_rate: float | None
    new_pass_rate: float | None
    delta: float | None
    changed_calls: int


@dataclass
class BacktestView:
    """A back-test report with item titles and the affected calls' ids."""

    report: BacktestReport
    items: list[ItemDelta]
    now_failing: list[int]
    now_passing: list[int]


def published_version(rubric: RubricRecord) -> RubricVersion | None:
    """Return the published version of ``rubric``, if any."""
    return next((v for v in rubric.versions if v.status == "published"), None)


def rubric_summaries() -> list[RubricSummary]:
    """Return every rubric with its published version and number of drafts, by key."""
    rubrics = db.session.scalars(
        select(RubricRecord).options(selectinload(RubricRecord.versions)).order_by(RubricRecord.key)
    ).all()
    return [
        RubricSummary(r, published_version(r), sum(v.status == "draft" for v in r.versions))
        for r in rubrics
    ]


def _detector_summary(item: Item) -> str:
    """Return the detector type, with the types it combines, e.g. "any (phrase, semantic)"."""
    if item.detector is None:
        return str(item.detector_config.get("type", ""))
    inner = list(dict.fromkeys(d.type for d in item.detector.walk()[1:]))
    return f"{item.detector.type} ({', '.join(inner)})" if inner else item.detector.type


def item_rows(rubric: Rubric) -> list[ItemRow]:
    """Return the rubric's items in section order as readable rows."""
    return [
        ItemRow(section.title, item, _detector_summary(item))
        for section in rubric.sections
        for item in section.items
    ]


def backtest_view(
    version: RubricVersion, report: BacktestReport, call_ids: list[int]
) -> BacktestView:
    """Return ``report`` with item titles, items by largest change first, and call ids."""
    titles: dict[str, str] = {}
    current = published_version(version.rubric)
    for source in (current, version):
        if source is not None:
            titles.update({i.key: i.title for i in parse(source).items})
    items = [
        ItemDelta(
            c.key,
            titles.get(c.key, c.key),
            c.old_pass_rate,
            c.new_pass_rate,
            c.delta,
            c.changed_calls,
        )
        for c in report.items
    ]
    items.sort(key=lambda i: (i.delta is None, -abs(i.delta or 0.0), -i.changed_calls))
    return BacktestView(
        report,
        items,
        [call_ids[i] for i in report.now_failing],
        [call_ids[i] for i in report.now_passing],
    )
