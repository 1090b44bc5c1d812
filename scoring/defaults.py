"""The default rubrics shipped with the library, and finding a rubric by name or file."""

from __future__ import annotations

import copy
from functools import lru_cache
from importlib import resources
from pathlib import Path

from scoring.errors import RubricError
from scoring.rubric import Rubric
from scoring.text import is_chinese


def load_default_rubrics() -> list[Rubric]:
    """Return the bundled rubrics (script adherence and etiquette, English and Chinese)."""
    return copy.deepcopy(list(_bundled()))


@lru_cache(maxsize=1)
def _bundled() -> tuple[Rubric, ...]:
    """Parse the bundled rubric files once."""
    folder = resources.files("scoring") / "rubrics"
    rubrics = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            try:
                rubrics.append(Rubric.from_yaml(entry.read_text(encoding="utf-8")))
            except RubricError as exc:
                raise RubricError(f"{entry.name}: {exc}") from exc
    return tuple(rubrics)


def find_rubric(name_or_file: str, language: str | None = None) -> Rubric:
    """Return a rubric from a YAML path, or a default one by key or name (matching language)."""
    path = Path(name_or_file)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        try:
            return Rubric.from_yaml(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise RubricError(f"cannot read rubric file: {exc}") from exc
    wanted = name_or_file.strip().lower()
    rubrics = _bundled()
    matches = [r for r in rubrics if r.key == wanted]
    if not matches:
        matches = [r for r in rubrics if r.name.lower().startswith(wanted)]
    if not matches:
        names = ", ".join(r.key for r in rubrics)
        raise RubricError(f"no rubric named {name_or_file!r} (defaults: {names})")
    chinese = is_chinese(language)
    for rubric in matches:
        if any(is_chinese(lang) == chinese for lang in rubric.languages):
            return copy.deepcopy(rubric)
    return copy.deepcopy(matches[0])
