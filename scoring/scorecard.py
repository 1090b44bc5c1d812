"""The scorecard: the result of scoring one transcript against one rubric."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from scoring.errors import ScoringError

RESULTS = ("pass", "fail", "na", "scale")


@dataclass
class Evidence:
    """Where in the call a result was found: segments, quote and time span."""

    segment_ids: list[int]
    quote: str
    start: float
    end: float
    role: str


@dataclass
class ItemResult:
    """The outcome of one rubric item."""

    key: str
    title: str
    section: str
    stage: str
    result: str
    points: float
    max_points: float
    value: float | None = None
    critical: bool = False
    confidence: float = 1.0
    needs_review: bool = False
    reason: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class SectionScore:
    """Points earned in one rubric section; ``score`` is None when all items are N/A."""

    key: str
    title: str
    points: float
    max_points: float
    score: float | None


@dataclass
class Scorecard:
    """A scored call: total 0-100, pass/fail, section scores and item results."""

    rubric: str
    rubric_name: str
    rubric_version: int
    language: str | None
    total: float
    passed: bool
    critical_failures: list[str]
    needs_review: bool
    sections: list[SectionScore]
    items: list[ItemResult]
    metrics: dict[str, float] = field(default_factory=dict)

    def item(self, key: str) -> ItemResult:
        """Return the result of item ``key``."""
        for result in self.items:
            if result.key == key:
                return result
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        """Build a scorecard from its JSON form."""
        try:
            items = [
                ItemResult(
                    **{k: v for k, v in i.items() if k != "evidence"},
                    evidence=[Evidence(**e) for e in i.get("evidence", [])],
                )
                for i in data["items"]
            ]
            fields = {k: v for k, v in data.items() if k not in ("items", "sections")}
            return cls(
                **fields,
                sections=[SectionScore(**s) for s in data["sections"]],
                items=items,
            )
        except (KeyError, TypeError) as exc:
            raise ScoringError(f"not a scorecard document: {exc}") from exc
