"""Validate a rubric mapping and build the rubric objects from it."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from scoring.detectors import build_detector
from scoring.errors import RubricError
from scoring.metrics import MetricSettings
from scoring.rubric import CRITICAL, MODES, ROLES, STAGES, Item, Rubric, Scoring, Section, valid_key

RUBRIC_FIELDS = {
    "key",
    "name",
    "version",
    "languages",
    "description",
    "pass_mark",
    "review_below",
    "metrics",
    "sections",
}
ITEM_FIELDS = {
    "key",
    "title",
    "description",
    "stage",
    "role",
    "weight",
    "scoring",
    "critical",
    "applies_when",
    "detector",
}


def _mapping(value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RubricError("must be a mapping", path)
    unknown = sorted(set(map(str, value)) - allowed)
    if unknown:
        raise RubricError(
            f"unknown field {unknown[0]!r}", f"{path}.{unknown[0]}" if path else unknown[0]
        )
    return value


def _text(data: dict[str, Any], key: str, path: str, required: bool = True) -> str:
    value = data.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise RubricError(
            "must be a non-empty string" if required else "must be a string", _join(path, key)
        )
    return value


def _number(
    data: dict[str, Any], key: str, path: str, default: float, lo: float, hi: float
) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise RubricError(f"must be a number from {lo:g} to {hi:g}", _join(path, key))
    return float(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_rubric(data: Any) -> Rubric:
    """Return the rubric ``data`` describes, or raise :class:`RubricError`."""
    data = _mapping(data, "", RUBRIC_FIELDS)
    key = data.get("key")
    if not valid_key(key):
        raise RubricError("must be a lower-case identifier like 'script_en'", "key")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RubricError("must be a positive whole number", "version")
    languages = data.get("languages")
    if isinstance(languages, str):
        languages = [languages]
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(x, str) for x in languages)
    ):
        raise RubricError("must be a language code or a list of them", "languages")
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise RubricError("must be a non-empty list", "sections")
    rubric = Rubric(
        key=key,
        name=_text(data, "name", ""),
        version=version,
        languages=languages,
        description=_text(data, "description", "", required=False),
        pass_mark=_number(data, "pass_mark", "", 80.0, 0, 100),
        review_below=_number(data, "review_below", "", 0.6, 0, 1),
        metrics=_metric_settings(data.get("metrics", {})),
        sections=[_section(s, f"sections[{i}]") for i, s in enumerate(sections)],
    )
    seen: set[str] = set()
    for i, section in enumerate(rubric.sections):
        for j, item in enumerate(section.items):
            if item.key in seen:
                raise RubricError(
                    f"duplicate item key {item.key!r}", f"sections[{i}].items[{j}].key"
                )
            seen.add(item.key)
    return rubric


def _metric_settings(data: Any) -> MetricSettings:
    allowed = {f.name for f in fields(MetricSettings)}
    data = _mapping(data, "metrics", allowed)
    values = {k: _number(data, k, "metrics", 0, 0, 3600) for k in data}
    if "backchannel_max_units" in values:
        values["backchannel_max_units"] = int(values["backchannel_max_units"])
    return MetricSettings(**values)


def _section(data: Any, path: str) -> Section:
    data = _mapping(data, path, {"key", "title", "items"})
    if not valid_key(data.get("key")):
        raise RubricError("must be a lower-case identifier", f"{path}.key")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise RubricError("must be a non-empty list", f"{path}.items")
    return Section(
        key=data["key"],
        title=_text(data, "title", path),
        items=[_item(x, f"{path}.items[{i}]") for i, x in enumerate(items)],
    )


def _item(data: Any, path: str) -> Item:
    data = _mapping(data, path, ITEM_FIELDS)
    if not valid_key(data.get("key")):
        raise RubricError("must be a lower-case identifier", f"{path}.key")
    stage = data.get("stage")
    if stage not in STAGES:
        raise RubricError(f"must be one of {', '.join(STAGES)}", f"{path}.stage")
    role = data.get("role", "agent")
    if role not in ROLES:
        raise RubricError(f"must be one of {', '.join(ROLES)}", f"{path}.role")
    critical = data.get("critical") or None
    if critical is True:
        critical = "fail"
    if critical is not None and critical not in CRITICAL:
        raise RubricError("must be false, true, 'fail' or 'zero'", f"{path}.critical")
    detector = build_detector(data.get("detector"), f"{path}.detector")
    item = Item(
        key=data["key"],
        title=_text(data, "title", path),
        description=_text(data, "description", path, required=False),
        stage=stage,
        role=role,
        weight=_number(data, "weight", path, 1.0, 0, 1000),
        scoring=_scoring(data.get("scoring", {}), f"{path}.scoring", detector),
        critical=critical,
        detector_config=data["detector"],
        detector=detector,
    )
    if "applies_when" in data:
        cond = data["applies_when"]
        if not isinstance(cond, dict):
            raise RubricError("must be a detector mapping", f"{path}.applies_when")
        if "reason" in cond and not isinstance(cond["reason"], str):
            raise RubricError("must be a string", f"{path}.applies_when.reason")
        item.applies_when = cond
        config = {k: v for k, v in cond.items() if k != "reason"}
        config.setdefault("role", "any")
        item.condition = build_detector(config, f"{path}.applies_when")
    return item


def _scoring(data: Any, path: str, detector) -> Scoring:
    data = _mapping(data, path, {"mode", "max", "per", "cap"})
    mode = data.get("mode", "pass_fail")
    if mode not in MODES:
        raise RubricError(f"must be one of {', '.join(MODES)}", f"{path}.mode")
    scoring = Scoring(mode=mode)
    if mode != "pass_fail":
        detector.count_all()
    if mode == "scale":
        top = data.get("max")
        if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= 100:
            raise RubricError("a scale needs a whole max from 1 to 100", f"{path}.max")
        scoring.max = top
    elif mode == "deduction":
        if not detector.counts_violations:
            raise RubricError(
                "deduction needs a detector whose hits are faults (forbidden, metric or negate: true)",
                f"{path}.mode",
            )
        scoring.per = _number(data, "per", path, 1.0, 0, 1000)
        if "cap" in data:
            scoring.cap = _number(data, "cap", path, 0, 0, 1000)
    elif set(data) - {"mode"}:
        raise RubricError("pass_fail takes no max/per/cap", path)
    return scoring
