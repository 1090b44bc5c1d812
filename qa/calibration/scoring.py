"""Labels a rater may give a rubric item, their points, and the total a set of labels gives."""

from __future__ import annotations

from typing import Any

from qa.scorecards.models import ScorecardRecord
from qa.scorecards.overrides import recompute
from scoring.rubric import Item, Rubric

NA = "na"


class LabelError(ValueError):
    """A label that a rubric item cannot take."""


def item_labels(item: Item) -> list[str]:
    """Return the labels ``item`` can take: pass/fail/na, or its scale levels and na."""
    if item.scoring.mode == "scale":
        return [str(level) for level in range(int(item.scoring.max or 0) + 1)] + [NA]
    return ["pass", "fail", NA]


def points_for(item: Item, label: str) -> float:
    """Return the points ``label`` earns on ``item`` (as an override of that result would)."""
    if label not in item_labels(item):
        raise LabelError(f"{label!r} is not a valid answer for item {item.key!r}")
    if label in (NA, "fail"):
        return 0.0
    if label == "pass":
        return float(item.weight)
    return round(item.weight * int(label) / int(item.scoring.max or 1), 4)


def labels_total(rubric: Rubric, labels: dict[str, str]) -> float:
    """Return the 0-100 total that ``labels`` (item key -> label) give under ``rubric``."""
    items: list[dict[str, Any]] = []
    for section in rubric.sections:
        for item in section.items:
            label = labels.get(item.key, NA)
            items.append(
                {
                    "key": item.key,
                    "section": section.key,
                    "result": NA if label == NA else ("scale" if label.isdigit() else label),
                    "points": points_for(item, label),
                    "max_points": float(item.weight),
                    "critical": item.critical is not None,
                    "needs_review": False,
                }
            )
    data = {"items": items, "sections": [{"key": s.key} for s in rubric.sections]}
    recompute(data, rubric)
    return float(data["total"])


def auto_labels(card: ScorecardRecord) -> dict[str, str]:
    """Return the auto-scorer's labels of a stored scorecard (before any override)."""
    values = {i["key"]: i.get("value") for i in card.data.get("items", [])}
    return {
        row.item_key: str(int(values.get(row.item_key) or 0))
        if row.auto_result == "scale"
        else row.auto_result
        for row in card.items
    }
