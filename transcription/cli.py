"""The ``transcribe`` command: print a call's transcript without touching any database."""

from __future__ import annotations

from pathlib import Path

import click

from transcription.errors import TranscriptionError
from transcription.export import FORMATS, export
from transcription.settings import ENGINES, SCRIPTS, TranscriptionSettings


@click.command("transcribe")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True)
@click.option("--model", default="base", show_default=True, help="base, tiny.en or a model dir")
@click.option("--language", default=None, help="Language code (zh, en, ...); detected if unset")
@click.option("--script", type=click.Choice(SCRIPTS), default="traditional", show_default=True)
@click.option("--agent-channel", type=click.IntRange(0, 1), default=0, show_default=True)
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--quiet", is_flag=True, help="Do not report progress on stderr")
def transcribe(
    file: Path,
    engine: str,
    model: str,
    language: str | None,
    script: str,
    agent_channel: int,
    cache_dir: Path | None,
    fmt: str,
    quiet: bool,
) -> None:
    """Transcribe FILE and print the diarised transcript to stdout."""
    from transcription.pipeline import transcribe_file

    settings = TranscriptionSettings(
        model=model,
        language=language,
        chinese_script=script,
        engine=engine,
        agent_channel=agent_channel,
    )
    if cache_dir is not None:
        settings.cache_dir = cache_dir

    def progress(fraction: float, message: str) -> None:
        click.echo(f"{fraction:4.0%} {message}", err=True)

    try:
        transcript = transcribe_file(file, settings, progress=None if quiet else progress)
    except TranscriptionError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(export(transcript, fmt, file_id=file.stem), nl=fmt == "json")


if __name__ == "__main__":
    transcribe()
