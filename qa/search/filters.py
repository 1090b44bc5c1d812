"""The call list's filters, parsed from query-string arguments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from flask_babel import gettext as _

SORTS = ("date", "score", "duration", "agent")
ORDERS = ("desc", "asc")
REVIEWED = ("yes", "no")
MAX_QUERY_LENGTH = 200


class FilterError(ValueError):
    """A filter value that cannot be understood."""


@dataclass(frozen=True)
class CallFilters:
    """What the user asked the call list to show."""

    q: str = ""
    agent_id: int | None = None
    team_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    queue: str = ""
    language: str = ""
    rubric_id: int | None = None
    score_min: float | None = None
    score_max: float | None = None
    critical_failed: bool = False
    needs_review: bool = False
    reviewed: str = ""
    sort: str = "date"
    order: str = "desc"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> CallFilters:
        """Return the filters in ``args``; raise :class:`FilterError` on a bad value."""
        values: dict[str, Any] = {
            "q": _text(args, "q", MAX_QUERY_LENGTH),
            "queue": _text(args, "queue", 80),
            "language": _text(args, "language", 8),
            "agent_id": _number(args, "agent", int),
            "team_id": _number(args, "team", int),
            "rubric_id": _number(args, "rubric", int),
            "score_min": _number(args, "score_min", float),
            "score_max": _number(args, "score_max", float),
            "date_from": _date(args, "from"),
            "date_to": _date(args, "to"),
            "critical_failed": _flag(args, "critical"),
            "needs_review": _flag(args, "low_confidence"),
            "reviewed": _choice(args, "reviewed", ("", *REVIEWED), ""),
            "sort": _choice(args, "sort", SORTS, "date"),
            "order": _choice(args, "order", ORDERS, "desc"),
            "page": _number(args, "page", int),
        }
        if values["page"] is None:
            values["page"] = 1
        filters = cls(**values)
        filters.check()
        return filters

    def check(self) -> None:
        """Raise :class:`FilterError` when the values contradict each other."""
        if self.page < 1:
            raise FilterError(_("The page number must be 1 or more."))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise FilterError(_("The start date is after the end date."))
        for value in (self.score_min, self.score_max):
            if value is not None and not 0 <= value <= 100:
                raise FilterError(_("Scores range from 0 to 100."))
        if None not in (self.score_min, self.score_max) and self.score_min > self.score_max:
            raise FilterError(_("The lowest score is above the highest score."))

    def to_args(self, **changes: Any) -> dict[str, str]:
        """Return the query-string arguments of these filters (defaults left out)."""
        names = {
            "agent_id": "agent",
            "team_id": "team",
            "rubric_id": "rubric",
            "date_from": "from",
            "date_to": "to",
            "critical_failed": "critical",
            "needs_review": "low_confidence",
        }
        defaults = asdict(CallFilters())
        args: dict[str, str] = {}
        for field, value in asdict(replace(self, **changes)).items():
            if value == defaults[field] or value in (None, ""):
                continue
            args[names.get(field, field)] = "1" if value is True else str(value)
        return args

    @property
    def active(self) -> bool:
        """Return whether any filter (not sorting or paging) narrows the list."""
        return bool(self.to_args(sort="date", order="desc", page=1))


def _text(args: Mapping[str, str], name: str, limit: int) -> str:
    value = (args.get(name) or "").strip()
    if len(value) > limit:
        raise FilterError(
            _("%(name)s is longer than %(limit)d characters.", name=name, limit=limit)
        )
    return value


def _number(args: Mapping[str, str], name: str, kind: type) -> Any:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = kind(raw)
    except ValueError:
        raise FilterError(
            _("%(name)s must be a number (got %(raw)s).", name=name, raw=raw)
        ) from None
    if kind is float and value != value:  # NaN
        raise FilterError(_("%(name)s must be a number (got %(raw)s).", name=name, raw=raw))
    return value


def _date(args: Mapping[str, str], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilterError(
            _("%(name)s must be a date like 2024-05-31 (got %(raw)s).", name=name, raw=raw)
        ) from None


def _flag(args: Mapping[str, str], name: str) -> bool:
    return (args.get(name) or "").strip().lower() in ("1", "on", "true", "yes")


def _choice(args: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = (args.get(name) or "").strip() or default
    if value not in choices:
        raise FilterError(
            _(
                "%(name)s must be one of %(choices)s.",
                name=name,
                choices=", ".join(c for c in choices if c),
            )
        )
    return value
