"""Rubrics: versioned YAML documents of sections and items, validated on load."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

import yaml

from scoring.detectors import Detector
from scoring.errors import RubricError
from scoring.metrics import MetricSettings

STAGES = ("opening", "verification", "needs", "resolution", "follow-up", "closing", "etiquette")
ROLES = ("agent", "customer")
MODES = ("pass_fail", "scale", "deduction")
CRITICAL = ("fail", "zero")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Scoring:
    """How an item earns points: pass/fail, a 0..max scale, or deductions per occurrence."""

    mode: str = "pass_fail"
    max: int | None = None
    per: float | None = None
    cap: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the YAML-ready form without unset fields."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass
class Item:
    """One thing the rubric checks, with the detector that checks it."""

    key: str
    title: str
    stage: str
    detector_config: dict[str, Any]
    description: str = ""
    role: str = "agent"
    weight: float = 1.0
    scoring: Scoring = field(default_factory=Scoring)
    critical: str | None = None
    applies_when: dict[str, Any] | None = None
    detector: Detector | None = field(default=None, repr=False, compare=False)
    condition: Detector | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the YAML-ready form."""
        data: dict[str, Any] = {
            "key": self.key,
            "title": self.title,
            "description": self.description,
            "stage": self.stage,
            "role": self.role,
            "weight": self.weight,
            "scoring": self.scoring.to_dict(),
        }
        if self.critical:
            data["critical"] = self.critical
        if self.applies_when is not None:
            data["applies_when"] = self.applies_when
        data["detector"] = self.detector_config
        return data


@dataclass
class Section:
    """A titled group of items."""

    key: str
    title: str
    items: list[Item]

    def to_dict(self) -> dict[str, Any]:
        """Return the YAML-ready form."""
        return {"key": self.key, "title": self.title, "items": [i.to_dict() for i in self.items]}


@dataclass
class Rubric:
    """A versioned scoring rubric."""

    key: str
    name: str
    version: int
    languages: list[str]
    sections: list[Section]
    description: str = ""
    pass_mark: float = 80.0
    review_below: float = 0.6
    metrics: MetricSettings = field(default_factory=MetricSettings)

    @property
    def items(self) -> list[Item]:
        """Return every item in section order."""
        return [item for section in self.sections for item in section.items]

    @property
    def uses_embeddings(self) -> bool:
        """Return whether any item (or its N/A rule) compares meanings with embeddings."""
        return any(
            d.type == "semantic"
            for item in self.items
            for top in (item.detector, item.condition)
            if top is not None
            for d in top.walk()
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the YAML-ready form."""
        data: dict[str, Any] = {
            "key": self.key,
            "name": self.name,
            "version": self.version,
            "languages": list(self.languages),
            "description": self.description,
            "pass_mark": self.pass_mark,
            "review_below": self.review_below,
        }
        changed = {
            f.name: getattr(self.metrics, f.name)
            for f in fields(MetricSettings)
            if getattr(self.metrics, f.name) != f.default
        }
        if changed:
            data["metrics"] = changed
        data["sections"] = [s.to_dict() for s in self.sections]
        return data

    def to_yaml(self) -> str:
        """Return the rubric as a YAML document."""
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=100)

    @classmethod
    def from_dict(cls, data: Any) -> Rubric:
        """Build and validate a rubric from its mapping form."""
        from scoring.rubric_parse import parse_rubric

        return parse_rubric(data)

    @classmethod
    def from_yaml(cls, text: str) -> Rubric:
        """Build and validate a rubric from YAML; errors name the field and its line."""
        try:
            data = yaml.safe_load(text)
            root = yaml.compose(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            raise RubricError(f"not valid YAML: {getattr(exc, 'problem', exc)}", "", line) from exc
        try:
            return cls.from_dict(data)
        except RubricError as exc:
            lines: dict[str, int] = {}
            _node_lines(root, "", lines)
            path = exc.path
            while path and path not in lines:
                path = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path)
            raise RubricError(str(exc).split(": ", 1)[-1], exc.path, lines.get(path)) from exc


def compiled_rubric(document: str) -> Rubric:
    """Return the rubric of a YAML ``document``, parsed and compiled once per distinct text.

    Each call returns its own shallow copy, so callers may set top-level fields (``version``)
    without touching the cached rubric; sections, items and detectors are shared read-only.
    """
    return copy.copy(_compile(document))


@lru_cache(maxsize=128)
def _compile(document: str) -> Rubric:
    """Return the rubric parsed from ``document`` (cached)."""
    return Rubric.from_yaml(document)


def _node_lines(node: yaml.Node | None, path: str, out: dict[str, int]) -> None:
    """Record the line of every mapping key and list entry under ``node``."""
    if node is None:
        return
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = f"{path}.{key.value}" if path else str(key.value)
            out[sub] = key.start_mark.line + 1
            _node_lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _node_lines(value, f"{path}[{i}]", out)


def valid_key(value: Any) -> bool:
    """Return whether ``value`` is a lower-case identifier usable as a key."""
    return isinstance(value, str) and _KEY.match(value) is not None
