"""The weekly team report: page, printable page and CSV."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from qa.auth.models import Team
from qa.core.policy import STAFF, can_see_team_report, roles_required
from qa.dashboards.buckets import week_start
from qa.db import db, utcnow
from qa.reports.export import report_csv
from qa.reports.models import WeeklyReport
from qa.reports.services import ReportError, weekly_report

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")


def _team_id() -> int:
    if current_user.role == "manager":
        return current_user.team_id or abort(404)
    team_id = request.args.get("team", type=int)
    if team_id is None:
        team_id = db.session.scalar(select(Team.id).order_by(Team.name).limit(1))
    return team_id if team_id is not None else abort(404)


def _week() -> date:
    raw = request.args.get("week", "")
    try:
        return week_start(date.fromisoformat(raw)) if raw else _last_full_week()
    except ValueError:
        abort(400, description="week must be a date (YYYY-MM-DD)")


def _last_full_week() -> date:
    return week_start(utcnow().date()) - timedelta(days=7)


def _report() -> WeeklyReport:
    team_id = _team_id()
    if not can_see_team_report(current_user, team_id):
        abort(404)
    try:
        return weekly_report(current_user, team_id, _week())
    except ReportError:
        abort(404)


def _teams() -> list[Team]:
    stmt = select(Team).order_by(Team.name)
    if current_user.role == "manager":
        stmt = stmt.where(Team.id == current_user.team_id)
    return list(db.session.scalars(stmt))


@bp.route("/weekly")
@roles_required(*STAFF)
def weekly() -> str:
    """Show what moved in a team's week and the calls behind each movement."""
    return render_template("reports/weekly.html", report=_report(), teams=_teams())


@bp.route("/weekly/print")
@roles_required(*STAFF)
def weekly_print() -> str:
    """Show the weekly report as a printable page (print or save as PDF from the browser)."""
    return render_template("reports/print.html", report=_report())


@bp.route("/weekly.csv")
@roles_required(*STAFF)
def weekly_csv() -> Response:
    """Download the weekly report as CSV."""
    report = _report()
    body = report_csv(report, lambda cid: url_for("calls.detail", call_id=cid, _external=True))
    name = f"weekly-report-team{report.team_id}-{report.week.isoformat()}.csv"
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
