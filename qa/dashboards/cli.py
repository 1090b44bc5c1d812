"""``callqa dashboards``: maintain the dashboard rollups."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from qa.dashboards.rollups import rebuild
from qa.dashboards.services import invalidate
from qa.db import db


@click.group("dashboards")
def dashboards_cli() -> None:
    """Maintain the dashboard rollups."""


@dashboards_cli.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Recompute every dashboard rollup from the calls, scorecards and KPI values."""
    counts = rebuild(db.session)
    db.session.commit()
    invalidate()
    for table, rows in counts.items():
        click.echo(f"{table}: {rows} rows")
