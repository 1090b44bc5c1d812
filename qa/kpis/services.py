"""Validate and import KPI values: FCR yes/no, CSAT 1-5, NPS 0-10, AHT in seconds.

Rows come either long (``call_id, kind, value``) or wide (``call_id`` plus one column per
kind: ``fcr, csat, nps, aht``). An import is all or nothing: any invalid row rejects it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from sqlalchemy import select

from qa.auth.models import User
from qa.calls.models import Call
from qa.core.policy import can_view_call
from qa.db import db, utcnow
from qa.kpis.models import KPI_KINDS, KpiValue

MAX_ROWS = 10_000
MAX_AHT_SECONDS = 24 * 3600
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class KpiError(ValueError):
    """A KPI value or an import file is invalid; the message says which and why."""


@dataclass
class RowError:
    """Why one input row was rejected (rows are numbered from 1)."""

    row: int
    message: str


@dataclass
class ImportReport:
    """The outcome of an import: values created and updated, or the rows' errors."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether the import was accepted."""
        return not self.errors


def _integer(raw: Any, low: int, high: int, kind: str) -> float:
    if isinstance(raw, bool):
        raise KpiError(f"{kind} must be a whole number from {low} to {high}")
    try:
        number = float(str(raw).strip())
    except ValueError:
        raise KpiError(
            f"{kind} must be a whole number from {low} to {high} (got {raw!r})"
        ) from None
    if not number.is_integer() or not low <= number <= high:
        raise KpiError(f"{kind} must be a whole number from {low} to {high} (got {raw!r})")
    return number


def _fcr(raw: Any) -> float:
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    text = str(raw).strip().lower()
    if text in YES:
        return 1.0
    if text in NO:
        return 0.0
    raise KpiError(f"fcr must be yes or no (got {raw!r})")


def _aht(raw: Any) -> float:
    if isinstance(raw, bool):
        raise KpiError("aht must be a number of seconds")
    try:
        seconds = float(str(raw).strip())
    except ValueError:
        raise KpiError(f"aht must be a number of seconds (got {raw!r})") from None
    if not 0 <= seconds <= MAX_AHT_SECONDS:
        raise KpiError(f"aht must be between 0 and {MAX_AHT_SECONDS} seconds (got {raw!r})")
    return seconds


PARSERS: dict[str, Callable[[Any], float]] = {
    "fcr": _fcr,
    "csat": lambda raw: _integer(raw, 1, 5, "csat"),
    "nps": lambda raw: _integer(raw, 0, 10, "nps"),
    "aht": _aht,
}


def parse_value(kind: str, raw: Any) -> float:
    """Return the stored number for ``raw``; raise :class:`KpiError` when it is invalid."""
    kind = (kind or "").strip().lower()
    if kind not in PARSERS:
        raise KpiError(f"unknown KPI kind {kind!r}; use one of {', '.join(KPI_KINDS)}")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise KpiError(f"{kind} has no value")
    return PARSERS[kind](raw)


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _row_values(row: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Return the (kind, raw value) pairs of a long or wide row."""
    if "kind" in row:
        extra = [k for k in KPI_KINDS if not _blank(row.get(k))]
        if extra:
            raise KpiError("a row has either kind/value or KPI columns, not both")
        return [(str(row.get("kind") or ""), row.get("value"))]
    pairs = [(k, row[k]) for k in KPI_KINDS if not _blank(row.get(k))]
    if not pairs:
        raise KpiError(f"the row has no KPI value (kind/value or columns {', '.join(KPI_KINDS)})")
    return pairs


def _call_id(row: Mapping[str, Any]) -> int:
    raw = row.get("call_id")
    if isinstance(raw, bool) or _blank(raw):
        raise KpiError("call_id is missing")
    try:
        return int(str(raw).strip())
    except ValueError:
        raise KpiError(f"call_id must be a call number (got {raw!r})") from None


def _visible_call(call_id: int, user: User | None) -> Call:
    call = db.session.get(Call, call_id)
    if call is None or (user is not None and not can_view_call(user, call)):
        raise KpiError(f"no call #{call_id}")
    return call


def import_rows(
    rows: Iterable[Mapping[str, Any]], source: str, user: User | None = None
) -> ImportReport:
    """Validate every row, then store all values or none; the caller commits.

    With ``user`` given, only calls that user may see are accepted.
    """
    source = (source or "").strip()[:80] or "import"
    parsed: dict[tuple[int, str], float] = {}
    report = ImportReport()
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            report.errors.append(RowError(number, f"too many rows (at most {MAX_ROWS})"))
            break
        if not isinstance(row, Mapping):
            report.errors.append(RowError(number, "each row must be an object"))
            continue
        try:
            call = _visible_call(_call_id(row), user)
            for kind, raw in _row_values(row):
                parsed[(call.id, kind.strip().lower())] = parse_value(kind, raw)
        except KpiError as exc:
            report.errors.append(RowError(number, str(exc)))
    if report.errors or not parsed:
        if not report.errors:
            report.errors.append(RowError(0, "there are no rows to import"))
        return report
    existing = {
        (v.call_id, v.kind): v
        for v in db.session.scalars(
            select(KpiValue).where(KpiValue.call_id.in_({c for c, _ in parsed}))
        )
    }
    now = utcnow()
    for (call_id, kind), value in parsed.items():
        current = existing.get((call_id, kind))
        if current is None:
            db.session.add(
                KpiValue(
                    call_id=call_id,
                    kind=kind,
                    value=value,
                    source=source,
                    imported_by_id=user.id if user else None,
                    imported_at=now,
                )
            )
            report.created += 1
        else:
            current.value, current.source, current.imported_at = value, source, now
            current.imported_by_id = user.id if user else None
            report.updated += 1
    db.session.flush()
    return report


def read_csv(stream: BinaryIO) -> list[dict[str, str]]:
    """Return the rows of a UTF-8 CSV file with a header; raise :class:`KpiError` if unreadable."""
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KpiError("the CSV file is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "call_id" not in header:
        raise KpiError("the CSV header must name a call_id column")
    try:
        return [
            {(k or "").strip().lower(): v for k, v in row.items() if k is not None}
            for row in reader
        ]
    except csv.Error as exc:
        raise KpiError(f"the CSV file is malformed: {exc}") from None


def kpis_for_call(call_id: int) -> dict[str, float]:
    """Return the call's KPI values by kind."""
    rows = db.session.scalars(select(KpiValue).where(KpiValue.call_id == call_id))
    return {v.kind: v.value for v in rows}
