"""``callqa ingest``: add recordings from files or folders."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from qa.calls.services import CallMetadata, IngestResult, MetadataError, commit_and_dispatch, ingest
from qa.db import db


def _expand(paths: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")
            )
        else:
            files.append(path)
    return files


def read_metadata(csv_path: Path) -> dict[str, dict[str, str]]:
    """Return metadata rows from a CSV keyed by the ``filename`` column."""
    with csv_path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "filename" not in reader.fieldnames:
            raise click.UsageError(f"{csv_path}: the metadata CSV needs a 'filename' column")
        return {Path(row["filename"]).name: row for row in reader if row.get("filename")}


def ingest_paths(
    paths: tuple[str, ...], defaults: dict[str, str], metadata: dict[str, dict[str, str]]
) -> list[IngestResult]:
    """Ingest every file under ``paths``, committing each accepted file on its own."""
    files = _expand(paths)
    results: list[IngestResult] = []
    with click.progressbar(
        files, label="Ingesting", show_pos=True, item_show_func=lambda p: p.name if p else ""
    ) as bar:
        for path in bar:
            values = {**defaults, **{k: v for k, v in metadata.get(path.name, {}).items() if v}}
            try:
                meta = CallMetadata.from_strings(values)
                if not path.exists():
                    result = IngestResult(path.name, "rejected", "no such file")
                else:
                    with path.open("rb") as fh:
                        result = ingest(fh, path.name, meta)
            except MetadataError as exc:
                result = IngestResult(path.name, "rejected", f"metadata: {exc}")
            if result.status == "rejected":
                db.session.rollback()
            else:
                commit_and_dispatch([result])
            results.append(result)
    return results


def print_summary(results: list[IngestResult]) -> None:
    """Print accepted / duplicate / rejected counts and each problem with its reason."""
    counts = Counter(r.status for r in results)
    click.echo(
        f"accepted: {counts['accepted']}  duplicate: {counts['duplicate']}  rejected: {counts['rejected']}"
    )
    for r in results:
        if r.status != "accepted":
            click.echo(f"  {r.status:9} {r.filename}: {r.reason}")


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--agent", "agent_code", help="Agent code for every file (CSV rows override).")
@click.option(
    "--metadata",
    "metadata_csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with a 'filename' column and any of: agent_code, queue, language, "
    "direction, customer_ref, started_at, agent_channel.",
)
@click.option("--queue", help="Queue / skill for every file.")
@click.option("--language", type=click.Choice(["en", "zh"]), help="Language for every file.")
@with_appcontext
def ingest_command(
    paths: tuple[str, ...],
    agent_code: str | None,
    metadata_csv: Path | None,
    queue: str | None,
    language: str | None,
) -> None:
    """Add call recordings (files or folders); print what was accepted and why not."""
    defaults = {
        k: v
        for k, v in {"agent_code": agent_code, "queue": queue, "language": language}.items()
        if v
    }
    metadata = read_metadata(metadata_csv) if metadata_csv else {}
    results = ingest_paths(paths, defaults, metadata)
    print_summary(results)
    if not current_app.config["JOBS_EAGER"] and any(r.status == "accepted" for r in results):
        click.echo(
            "Queued for processing; a running `callqa serve` or `callqa worker` picks them up."
        )
    if any(r.status == "rejected" for r in results):
        raise SystemExit(1)
