"""Error types raised by the scoring library."""

from __future__ import annotations


class RubricError(ValueError):
    """A rubric document is invalid; the message names the bad field (and line)."""

    def __init__(self, message: str, path: str = "", line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = path or "rubric"
        if line is not None:
            where = f"{where} (line {line})"
        super().__init__(f"{where}: {message}")


class ScoringError(ValueError):
    """A transcript or scorecard document cannot be read."""
