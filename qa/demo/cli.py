"""``callqa demo``: a ready-to-explore installation."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from qa.calls.cli import print_summary
from qa.core.migrate import upgrade_and_seed
from qa.demo.services import DEMO_PASSWORD, create_demo


@click.command("demo")
@click.option("--process", is_flag=True, help="Process the calls now instead of by the worker.")
@with_appcontext
def demo_command(process: bool) -> None:
    """Create demo users, teams and calls from the bundled recordings, and queue them."""
    app = current_app._get_current_object()
    upgrade_and_seed(app)
    if process:
        app.config["JOBS_EAGER"] = True
    report = create_demo()
    if report.users_created:
        click.echo(f"users created: {', '.join(report.users_created)} (password: {DEMO_PASSWORD})")
    print_summary(report.results)
    click.echo(
        "Sign in as 'admin' / 'qa' / 'manager' or an agent (e.g. 'agent.a101'), "
        f"password '{DEMO_PASSWORD}'."
    )
    if not process:
        click.echo("Calls are queued; `callqa serve` starts a worker that processes them.")
