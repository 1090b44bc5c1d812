"""The ``callqa`` command: serve, worker, ingest, demo, users, db, transcribe, score."""

from __future__ import annotations

import gc
import signal
import subprocess
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from qa import create_app
from qa.api.cli import tokens_cli
from qa.auth.cli import users_cli
from qa.calls.cli import ingest_command
from qa.config import child_env
from qa.dashboards.cli import dashboards_cli
from qa.demo.cli import demo_command
from qa.i18n.cli import i18n_cli
from qa.rubrics.cli import rubrics_cli


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False, load_dotenv=False)
def cli() -> None:
    """Contact-centre QA and agent training."""


@cli.group("db")
def db_cli() -> None:
    """Database schema."""


@db_cli.command("upgrade")
@click.option("--revision", default="heads")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Create or migrate the database schema."""
    from qa.core.migrate import upgrade, upgrade_and_seed

    if revision == "heads":
        created = upgrade_and_seed(current_app._get_current_object())
        if created:
            click.echo(f"installed rubrics: {', '.join(created)}")
    else:
        upgrade(current_app, revision)
    click.echo(f"database at {revision}")


@cli.command("worker")
@click.option("--concurrency", default=1, show_default=True, help="Jobs run at once.")
@click.option("--loglevel", default="INFO")
@with_appcontext
def worker(concurrency: int, loglevel: str) -> None:
    """Run a job worker (any number, on any machine sharing DATABASE_URL and BROKER_URL)."""
    from qa.jobs.worker import run_worker

    run_worker(current_app._get_current_object(), concurrency, loglevel)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--threads", default=8, show_default=True)
@click.option("--no-worker", is_flag=True, help="Do not start the embedded job worker.")
@with_appcontext
def serve(host: str, port: int, threads: int, no_worker: bool) -> None:
    """Run the web server and, by default, a job worker beside it."""
    from waitress import serve as waitress_serve

    from qa.core.migrate import upgrade_and_seed

    app = current_app._get_current_object()
    upgrade_and_seed(app)
    worker_proc = None
    if not no_worker:
        worker_proc = subprocess.Popen(
            [sys.executable, "-m", "qa.cli", "worker"], env=child_env(app.instance_path)
        )
        click.echo(f"job worker started (pid {worker_proc.pid})")
    click.echo(f"CallQA on http://{host}:{port}/  (instance: {app.instance_path})")
    # stop the embedded worker too when the server is told to stop
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # The app's startup objects live as long as the process: keep full garbage collections
    # from walking them on every few requests (they set the slowest response times).
    gc.collect()
    gc.freeze()
    try:
        waitress_serve(app, host=host, port=port, threads=threads)
    finally:
        if worker_proc is not None:
            worker_proc.terminate()
            try:
                worker_proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker_proc.kill()


cli.add_command(users_cli)
cli.add_command(tokens_cli)
cli.add_command(ingest_command)
cli.add_command(demo_command)
cli.add_command(rubrics_cli)
cli.add_command(i18n_cli)
cli.add_command(dashboards_cli)


def _add_library_commands() -> None:
    from scoring.cli import score_command
    from transcription.cli import transcribe

    cli.add_command(transcribe)
    cli.add_command(score_command)


def main() -> None:
    """Entry point of the ``callqa`` script."""
    _add_library_commands()
    cli.main(prog_name="callqa")


if __name__ == "__main__":
    main()
