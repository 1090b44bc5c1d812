import pytest
import yaml

from scoring import Rubric, RubricError, compiled_rubric, find_rubric, load_default_rubrics

MINIMAL = """\
key: demo
name: Demo
version: 2
languages: en
sections:
  - key: opening
    title: Opening
    items:
      - key: greeting
        title: Greeting
        stage: opening
        weight: 10
        detector:
          type: phrase
          phrases: [hello]
"""


def test_minimal_rubric_round_trips():
    rubric = Rubric.from_yaml(MINIMAL)
    assert rubric.version == 2 and rubric.languages == ["en"]
    assert [i.key for i in rubric.items] == ["greeting"]
    again = Rubric.from_yaml(rubric.to_yaml())
    assert again.to_dict() == rubric.to_dict()
    assert Rubric.from_dict(rubric.to_dict()).to_dict() == rubric.to_dict()


def test_default_rubrics_load_and_round_trip():
    rubrics = load_default_rubrics()
    assert sorted(r.key for r in rubrics) == [
        "etiquette_en",
        "etiquette_zh",
        "script_en",
        "script_zh",
    ]
    for rubric in rubrics:
        assert Rubric.from_yaml(rubric.to_yaml()).to_dict() == rubric.to_dict()
    script = next(r for r in rubrics if r.key == "script_en")
    stages = [i.stage for i in script.items]
    assert stages == [
        "opening",
        "opening",
        "verification",
        "needs",
        "resolution",
        "follow-up",
        "closing",
    ]


def test_find_rubric_by_key_name_language_and_file(tmp_path):
    assert find_rubric("script_zh").key == "script_zh"
    assert find_rubric("Script adherence", "zh-TW").key == "script_zh"
    assert find_rubric("etiquette", "en").key == "etiquette_en"
    path = tmp_path / "demo.yaml"
    path.write_text(MINIMAL)
    assert find_rubric(str(path)).key == "demo"
    with pytest.raises(RubricError, match="no rubric named"):
        find_rubric("nonexistent")


@pytest.mark.parametrize(
    "change, path, line",
    [
        (("weight: 10", "weight: heavy"), "sections[0].items[0].weight", 12),
        (("stage: opening", "stage: middle"), "sections[0].items[0].stage", 11),
        (("type: phrase", "type: telepathy"), "sections[0].items[0].detector.type", 14),
        (("phrases: [hello]", "phrases: []"), "sections[0].items[0].detector.phrases", 15),
        (("version: 2", "version: two"), "version", 3),
        (
            ("        title: Greeting\n", "        title: Greeting\n        colour: red\n"),
            "sections[0].items[0].colour",
            11,
        ),
    ],
)
def test_validation_errors_name_field_and_line(change, path, line):
    text = MINIMAL.replace(*change)
    with pytest.raises(RubricError) as err:
        Rubric.from_yaml(text)
    assert err.value.path == path
    assert err.value.line == line
    assert path in str(err.value) and f"line {line}" in str(err.value)


def test_invalid_yaml_reports_line():
    with pytest.raises(RubricError, match="not valid YAML") as err:
        Rubric.from_yaml("key: demo\nsections: [\n  - a: b\n")
    assert err.value.line is not None


def test_duplicate_item_keys_rejected():
    data = yaml.safe_load(MINIMAL)
    data["sections"][0]["items"].append(dict(data["sections"][0]["items"][0]))
    with pytest.raises(RubricError, match="duplicate item key"):
        Rubric.from_dict(data)


def test_scoring_modes_validated():
    data = yaml.safe_load(MINIMAL)
    item = data["sections"][0]["items"][0]
    item["scoring"] = {"mode": "deduction", "per": 5}
    with pytest.raises(RubricError, match="deduction needs a detector whose hits are faults"):
        Rubric.from_dict(data)
    item["scoring"] = {"mode": "scale"}
    with pytest.raises(RubricError, match="scale needs a whole max"):
        Rubric.from_dict(data)
    item["scoring"] = {"mode": "scale", "max": 3}
    assert Rubric.from_dict(data).items[0].scoring.max == 3
    item["critical"] = "sometimes"
    with pytest.raises(RubricError, match="critical"):
        Rubric.from_dict(data)


def test_not_a_mapping():
    with pytest.raises(RubricError, match="must be a mapping"):
        Rubric.from_yaml("- just\n- a list\n")


def test_compiled_rubric_is_parsed_once_per_document_and_copied_per_call():
    first, second = compiled_rubric(MINIMAL), compiled_rubric(MINIMAL)
    assert first is not second and first == second
    assert first.items[0].detector is second.items[0].detector
    first.version = 99
    assert compiled_rubric(MINIMAL).version == second.version != 99
    with pytest.raises(RubricError, match="not valid YAML"):
        compiled_rubric("key: demo\nsections: [\n  - a: b\n")
