"""The weekly report's rows: a movement (this week against last) and the calls behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class CallRef:
    """A call behind a movement, with its score and the score the engine gave."""

    call_id: int
    agent: str
    total: float | None = None
    auto_total: float | None = None

    @property
    def change(self) -> float:
        """Return how far a reviewer moved the total from the automatic score."""
        if self.total is None or self.auto_total is None:
            return 0.0
        return round(self.total - self.auto_total, 2)


@dataclass
class Movement:
    """One figure this week and the week before, and the calls that explain it."""

    group: str
    key: str
    label: str
    this_week: float | None
    last_week: float | None
    calls: list[CallRef] = field(default_factory=list)
    higher_is_better: bool = True
    decimals: int = 1

    @property
    def delta(self) -> float | None:
        """Return this week minus last week (None when either is missing)."""
        if self.this_week is None or self.last_week is None:
            return None
        return round(self.this_week - self.last_week, 2)

    @property
    def trend(self) -> str:
        """Return "better", "worse" or "same" for the page's colours."""
        if not self.delta:
            return "same"
        return "better" if (self.delta > 0) == self.higher_is_better else "worse"


@dataclass
class WeeklyReport:
    """A team's week (Monday ``week``) against the week before."""

    team_id: int
    team_name: str
    week: date
    headline: list[Movement]
    agents: list[Movement]
    items: list[Movement]
    worst_calls: list[CallRef]
    changed_calls: list[CallRef]

    @property
    def previous_week(self) -> date:
        """Return the Monday of the week compared against."""
        return self.week - timedelta(days=7)

    @property
    def week_end(self) -> date:
        """Return the Sunday ending the week."""
        return self.week + timedelta(days=6)

    def movements(self) -> list[Movement]:
        """Return every movement of the report, headline first."""
        return [*self.headline, *self.agents, *self.items]
