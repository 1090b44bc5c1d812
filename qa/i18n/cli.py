"""``callqa i18n``: extract, update and compile the interface translations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "qa" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"


def _pybabel(*args: str) -> None:
    cmd = [sys.executable, "-m", "babel.messages.frontend", *args]
    subprocess.run(cmd, check=True, cwd=ROOT)


@click.group("i18n")
def i18n_cli() -> None:
    """Interface translations (qa/translations)."""


@i18n_cli.command("update")
def update() -> None:
    """Extract the strings of the code and templates and merge them into the catalogues."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--no-location",
        "--project",
        "CallQA",
        "-o",
        str(TEMPLATE),
        ".",
    )
    _pybabel("update", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "--no-fuzzy-matching")
    click.echo(f"updated catalogues in {TRANSLATIONS}; translate the empty msgstr entries")


@i18n_cli.command("compile")
def compile_() -> None:
    """Compile the catalogues (.po) into the files the app reads (.mo)."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@i18n_cli.command("init")
@click.argument("locale")
def init(locale: str) -> None:
    """Start the catalogue of a new language."""
    _pybabel("init", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", locale)
