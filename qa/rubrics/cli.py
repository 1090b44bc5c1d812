"""``callqa rubrics``: list, import, export, publish and back-test rubric versions."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from qa.db import db
from qa.rubrics.backtest import NothingToCompare, backtest
from qa.rubrics.models import RubricRecord, RubricVersion
from qa.rubrics.services import add_version, get_rubric, publish
from scoring.errors import RubricError


def _version(key: str, number: int | None) -> RubricVersion:
    rubric = get_rubric(key)
    if rubric is None:
        raise click.ClickException(f"no rubric {key!r}")
    if number is None:
        published = [v for v in rubric.versions if v.status == "published"]
        return (published or rubric.versions)[-1]
    for version in rubric.versions:
        if version.version == number:
            return version
    raise click.ClickException(f"{key} has no version {number}")


@click.group("rubrics")
def rubrics_cli() -> None:
    """Manage scoring rubrics."""


@rubrics_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List rubrics and their versions."""
    for rubric in db.session.scalars(select(RubricRecord).order_by(RubricRecord.key)):
        versions = ", ".join(f"v{v.version} {v.status}" for v in rubric.versions)
        click.echo(f"{rubric.key:24} {rubric.name:40} [{', '.join(rubric.languages)}] {versions}")


@rubrics_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", "do_publish", is_flag=True, help="Publish it at once.")
@with_appcontext
def import_command(path: Path, do_publish: bool) -> None:
    """Add a YAML file as the next version of its rubric (a draft unless --publish)."""
    try:
        version = add_version(path.read_text(encoding="utf-8"), note=f"imported from {path.name}")
    except RubricError as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    if do_publish:
        publish(version)
    db.session.commit()
    click.echo(f"{version.rubric.key} v{version.version} {version.status}")


@rubrics_cli.command("export")
@click.argument("key")
@click.option("--version", "number", type=int, help="Default: the published version.")
@with_appcontext
def export_command(key: str, number: int | None) -> None:
    """Print a rubric version as YAML."""
    click.echo(_version(key, number).document, nl=False)


@rubrics_cli.command("publish")
@click.argument("key")
@click.argument("number", type=int)
@with_appcontext
def publish_command(key: str, number: int) -> None:
    """Publish a version: new calls are scored with it; old scorecards stay as they are."""
    publish(_version(key, number))
    db.session.commit()
    click.echo(f"{key} v{number} published")


@rubrics_cli.command("backtest")
@click.argument("key")
@click.argument("number", type=int)
@click.option("--limit", default=500, show_default=True, help="Most recent calls to use.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def backtest_command(key: str, number: int, limit: int, as_json: bool) -> None:
    """Show how totals and item pass rates would change with a version, before publishing."""
    try:
        report, call_ids = backtest(_version(key, number), limit)
    except (NothingToCompare, RubricError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(
            json.dumps({**report.to_dict(), "call_ids": call_ids}, ensure_ascii=False, indent=2)
        )
        return
    click.echo(
        f"{report.calls} calls: mean total {report.old_mean_total} -> {report.new_mean_total} "
        f"({report.mean_delta:+.2f}); pass rate {report.old_pass_rate:.0%} -> {report.new_pass_rate:.0%}"
    )
    click.echo(
        f"now failing: {[call_ids[i] for i in report.now_failing]}  "
        f"now passing: {[call_ids[i] for i in report.now_passing]}"
    )
    for item in report.items:
        if item.delta:
            click.echo(
                f"  {item.key:28} {item.old_pass_rate} -> {item.new_pass_rate} ({item.changed_calls} calls change)"
            )
