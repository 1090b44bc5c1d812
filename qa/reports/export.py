"""The weekly report as CSV: one row per movement, with the calls behind it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from qa.reports.models import Movement, WeeklyReport

HEADER = ("group", "key", "label", "this_week", "previous_week", "delta", "call_ids", "call_links")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _cell(text: str) -> str:
    """Return ``text`` safe for spreadsheets (no formula injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(report: WeeklyReport, call_url: Callable[[int], str]) -> str:
    """Return the report as CSV text; ``call_url`` gives the link of a call id."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("team", report.team_name, "week", report.week.isoformat(), "previous_week", report.previous_week.isoformat(), "", ""))  # fmt: skip
    writer.writerow(HEADER)
    rows: list[Movement] = report.movements()
    rows += [
        Movement("worst_call", str(c.call_id), c.agent, c.total, None, [c])
        for c in report.worst_calls
    ]
    rows += [
        Movement("changed_call", str(c.call_id), c.agent, c.total, c.auto_total, [c])
        for c in report.changed_calls
    ]
    for m in rows:
        writer.writerow(
            (
                m.group,
                _cell(m.key),
                _cell(m.label),
                _number(m.this_week),
                _number(m.last_week),
                _number(m.delta),
                " ".join(str(c.call_id) for c in m.calls),
                " ".join(call_url(c.call_id) for c in m.calls),
            )
        )
    return out.getvalue()
