"""The dashboard page and the KPI import page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from qa.core.policy import STAFF, roles_required
from qa.dashboards.charts import all_figures
from qa.dashboards.filters import FilterError, default_filter, filter_choices, parse_filter
from qa.dashboards.forms import KpiImportForm
from qa.dashboards.services import agent_summaries, dashboard_data, install_invalidation
from qa.dashboards.tracking import install_tracking
from qa.db import db, utcnow
from qa.kpis.services import KpiError, import_rows, read_csv

bp = Blueprint("dashboards", __name__, template_folder="templates")
bp.record_once(lambda _state: install_invalidation())
bp.record_once(lambda _state: install_tracking())


@bp.route("/dashboard")
@login_required
def index() -> str:
    """Show QA scores, item failures, agreement, volumes and KPIs for the user's reach."""
    today = utcnow().date()
    try:
        flt = parse_filter(request.args, current_user, today)
    except FilterError as exc:
        flash(str(exc), "error")
        flt = parse_filter({}, current_user, today)
    data = dashboard_data(current_user, flt, current_app.config["DASHBOARD_CACHE_SECONDS"])
    by_team = request.args.get("by") == "team" and current_user.role != "agent"
    return render_template(
        "dashboards/index.html",
        flt=flt,
        default=default_filter(today),
        choices=filter_choices(current_user),
        data=data,
        by_team=by_team,
        agents=agent_summaries(data.scores_by_agent),
        figures=all_figures(data, by_team),
    )


@bp.route("/dashboard/kpis", methods=["GET", "POST"])
@roles_required(*STAFF)
def import_kpis() -> str | Response:
    """Import KPI values (FCR, CSAT, NPS, AHT) per call from a CSV file."""
    form = KpiImportForm()
    report = None
    if form.validate_on_submit():
        try:
            rows = read_csv(form.file.data.stream)
        except KpiError as exc:
            flash(str(exc), "error")
            return render_template("dashboards/kpi_import.html", form=form, report=None), 400
        source = form.source.data or form.file.data.filename or "csv"
        report = import_rows(rows, source, current_user)
        if report.ok:
            db.session.commit()
            flash(
                _(
                    "Imported %(created)d new and %(updated)d updated KPI values.",
                    created=report.created,
                    updated=report.updated,
                ),
                "success",
            )
            return redirect(url_for("dashboards.index"))
        db.session.rollback()
        flash(_("Nothing was imported: fix the rows below and upload the file again."), "error")
        return render_template("dashboards/kpi_import.html", form=form, report=report), 400
    return render_template("dashboards/kpi_import.html", form=form, report=report)
