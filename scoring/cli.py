"""Command line: score a transcript JSON file against a rubric, no database needed."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scoring.defaults import find_rubric
from scoring.engine import score as score_transcript
from scoring.errors import RubricError, ScoringError
from scoring.scorecard import Scorecard
from transcription.schema import Transcript

MARKS = {"pass": "PASS", "fail": "FAIL", "na": "N/A ", "scale": "    "}


def read_transcript(path: Path) -> Transcript:
    """Return the transcript stored as JSON at ``path``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "segments" not in data:
            raise ScoringError(f"{path}: not a transcript document (no 'segments')")
        return Transcript.from_dict(data)
    except (OSError, json.JSONDecodeError, TypeError) as exc:
        raise ScoringError(f"{path}: cannot read transcript: {exc}") from exc


def render(card: Scorecard) -> str:
    """Return a readable text form of a scorecard."""
    verdict = "PASSED" if card.passed else "FAILED"
    lines = [
        f"{card.rubric_name} v{card.rubric_version} ({card.rubric})",
        f"Total: {card.total:.1f}/100  {verdict}"
        + (f"  critical: {', '.join(card.critical_failures)}" if card.critical_failures else "")
        + ("  [needs review]" if card.needs_review else ""),
        "",
    ]
    for section in card.sections:
        pct = "n/a" if section.score is None else f"{section.score:.0f}%"
        lines.append(f"{section.title}: {section.points:g}/{section.max_points:g} ({pct})")
        for item in (i for i in card.items if i.section == section.key):
            mark = MARKS[item.result] if item.result != "scale" else f"{item.value:>4g}"
            flag = " ?" if item.needs_review else ""
            lines.append(f"  [{mark}] {item.title}: {item.points:g}/{item.max_points:g}{flag}")
            if item.reason:
                lines.append(f"         {item.reason}")
            for ev in item.evidence[:2]:
                lines.append(f"         {ev.start:7.1f}s {ev.role}: {ev.quote[:90]}")
    return "\n".join(lines)


@click.command("score")
@click.argument("transcript", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rubric", "rubric_name", required=True, help="Rubric key, name or YAML file.")
@click.option("--json", "as_json", is_flag=True, help="Print the scorecard as JSON.")
def score_command(transcript: Path, rubric_name: str, as_json: bool) -> None:
    """Score TRANSCRIPT.json against a rubric and print the scorecard."""
    try:
        call = read_transcript(transcript)
        rubric = find_rubric(rubric_name, call.language)
        card = score_transcript(call, rubric)
    except (RubricError, ScoringError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(card.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(card))


if __name__ == "__main__":
    score_command()
