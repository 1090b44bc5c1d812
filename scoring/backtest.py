"""Back-testing: how totals and item pass rates change between two sets of scorecards."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from scoring.scorecard import ItemResult, Scorecard


@dataclass
class ItemChange:
    """How one item's pass rate moves (over the calls where it applied)."""

    key: str
    old_pass_rate: float | None
    new_pass_rate: float | None
    delta: float | None
    changed_calls: int


@dataclass
class BacktestReport:
    """A summary of scoring the same calls with an old and a new rubric."""

    calls: int
    old_mean_total: float
    new_mean_total: float
    mean_delta: float
    max_increase: float
    max_decrease: float
    old_pass_rate: float
    new_pass_rate: float
    now_failing: list[int] = field(default_factory=list)
    now_passing: list[int] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return asdict(self)


def _passed(result: ItemResult) -> bool:
    return result.result == "pass" or (
        result.result == "scale" and result.points >= result.max_points
    )


def _pass_rate(results: list[ItemResult]) -> float | None:
    scored = [r for r in results if r.result != "na"]
    return round(sum(map(_passed, scored)) / len(scored), 4) if scored else None


def compare(old: list[Scorecard], new: list[Scorecard]) -> BacktestReport:
    """Return how ``new`` scorecards differ from ``old`` ones of the same calls (same order)."""
    if len(old) != len(new) or not old:
        raise ValueError("compare needs two equally long, non-empty lists of scorecards")
    deltas = [n.total - o.total for o, n in zip(old, new, strict=True)]
    n = len(old)
    report = BacktestReport(
        calls=n,
        old_mean_total=round(sum(s.total for s in old) / n, 2),
        new_mean_total=round(sum(s.total for s in new) / n, 2),
        mean_delta=round(sum(deltas) / n, 2),
        max_increase=round(max(0.0, *deltas), 2),
        max_decrease=round(min(0.0, *deltas), 2),
        old_pass_rate=round(sum(s.passed for s in old) / n, 4),
        new_pass_rate=round(sum(s.passed for s in new) / n, 4),
        now_failing=[
            i for i, (o, w) in enumerate(zip(old, new, strict=True)) if o.passed and not w.passed
        ],
        now_passing=[
            i for i, (o, w) in enumerate(zip(old, new, strict=True)) if w.passed and not o.passed
        ],
    )
    keys = list(dict.fromkeys([r.key for s in old + new for r in s.items]))
    for key in keys:
        before = [r for s in old for r in s.items if r.key == key]
        after = [r for s in new for r in s.items if r.key == key]
        pairs = [(_find(o, key), _find(w, key)) for o, w in zip(old, new, strict=True)]
        changed = sum(
            1
            for a, b in pairs
            if (a.result if a else None, a.points if a else None)
            != (b.result if b else None, b.points if b else None)
        )
        a_rate, b_rate = _pass_rate(before), _pass_rate(after)
        delta = round(b_rate - a_rate, 4) if a_rate is not None and b_rate is not None else None
        report.items.append(ItemChange(key, a_rate, b_rate, delta, changed))
    return report


def _find(card: Scorecard, key: str) -> ItemResult | None:
    for r in card.items:
        if r.key == key:
            return r
    return None
