"""Scorecard arithmetic after human changes, and keeping overrides through a re-score."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from qa.audit.models import AuditEntry
from qa.audit.services import record
from qa.db import db
from qa.scorecards.models import ScorecardRecord
from scoring.rubric import Rubric

HUMAN_RESULT_ACTIONS = ("override", "override_kept")  # audit actions that set a result


def recompute(data: dict[str, Any], rubric: Rubric) -> None:
    """Recompute sections, total, pass and flags of a scorecard document, as the engine does."""
    items = data["items"]
    for section in data["sections"]:
        mine = [i for i in items if i["section"] == section["key"] and i["result"] != "na"]
        got, top = sum(i["points"] for i in mine), sum(i["max_points"] for i in mine)
        section["points"], section["max_points"] = round(got, 4), round(top, 4)
        section["score"] = round(100.0 * got / top, 2) if top else None
    got = sum(i["points"] for i in items if i["result"] != "na")
    top = sum(i["max_points"] for i in items if i["result"] != "na")
    total = round(100.0 * got / top, 2) if top else 100.0
    failures = [i["key"] for i in items if i["critical"] and i["result"] == "fail"]
    zeroing = {i.key for i in rubric.items if i.critical == "zero"}
    if any(key in zeroing for key in failures):
        total = 0.0
    data["total"] = total
    data["passed"] = not failures and total >= rubric.pass_mark
    data["critical_failures"] = failures
    data["needs_review"] = any(i["needs_review"] for i in items)


def apply_document(card: ScorecardRecord, data: dict[str, Any]) -> None:
    """Store a recomputed document on ``card`` and copy its headline figures to columns."""
    card.data = data
    card.total, card.passed = data["total"], data["passed"]
    card.needs_review, card.critical_failed = data["needs_review"], bool(data["critical_failures"])


@dataclass(frozen=True)
class KeptOverride:
    """A human result on one item that a re-score of the same rubric version must keep."""

    result: str
    points: float
    user_id: int | None
    reason: str | None


def human_results(cards: Iterable[ScorecardRecord]) -> dict[tuple[int, str], KeptOverride]:
    """Return the items people overrode on ``cards``, by (rubric version id, item key).

    An item counts as overridden when the audit log holds an override of it made after its
    scorecard was created; its current result and points are what the person decided.
    """
    cards = list(cards)
    if not cards:
        return {}
    stmt = (
        select(AuditEntry)
        .where(
            AuditEntry.object_type == "call",
            AuditEntry.object_id.in_({str(c.call_id) for c in cards}),
            AuditEntry.action.in_(HUMAN_RESULT_ACTIONS),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    entries = list(db.session.scalars(stmt))
    kept: dict[tuple[int, str], KeptOverride] = {}
    for card in cards:
        items = {i["key"]: i for i in card.data["items"]}
        prefix = f"{card.data['rubric']}/"
        for entry in entries:
            field = entry.field or ""
            key = field[len(prefix) :]
            if not field.startswith(prefix) or key not in items or entry.at < card.created_at:
                continue
            item = items[key]
            by = entry.user_id if entry.action == "override" else (entry.new_value or {}).get("by")
            kept[(card.rubric_version_id, key)] = KeptOverride(
                item["result"], item["points"], by, entry.reason
            )
    return kept


def reapply(
    card: ScorecardRecord, rubric: Rubric, kept: dict[tuple[int, str], KeptOverride]
) -> int:
    """Put the kept human results back on a freshly scored ``card``; return how many.

    Each one is logged as ``override_kept`` with the engine's new result as the old value, so
    a reviewer sees where the machine now disagrees with the person.
    """
    mine = {key: k for (version, key), k in kept.items() if version == card.rubric_version_id}
    if not mine:
        return 0
    data = dict(card.data, items=[dict(i) for i in card.data["items"]])
    rows = {r.item_key: r for r in card.items}
    applied = 0
    for item in data["items"]:
        human = mine.get(item["key"])
        if human is None:  # same rubric version: the item means what it meant
            continue
        auto = {"result": item["result"], "points": item["points"]}
        item.update(result=human.result, points=human.points, needs_review=False)
        row = rows.get(item["key"])
        if row is not None:
            row.result, row.points, row.needs_review = human.result, human.points, False
        record(
            "override_kept",
            "call",
            card.call_id,
            field=f"{data['rubric']}/{item['key']}",
            old=auto,
            new={"result": human.result, "points": human.points, "by": human.user_id},
            reason=human.reason,
        )
        applied += 1
    if applied:
        recompute(data, rubric)
        apply_document(card, data)
    return applied
