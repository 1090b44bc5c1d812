import json
from pathlib import Path

from click.testing import CliRunner

from scoring.cli import score_command

GOLD = Path(__file__).resolve().parents[1] / "gold" / "transcripts"


def test_cli_prints_readable_scorecard():
    result = CliRunner().invoke(
        score_command, [str(GOLD / "en01_model_call.json"), "--rubric", "script_en"]
    )
    assert result.exit_code == 0, result.output
    assert "Script adherence v1" in result.output
    assert "Total: 100.0/100  PASSED" in result.output
    assert "[PASS] Greeting at the start of the call" in result.output


def test_cli_json_output_and_rubric_by_name_and_language():
    path = GOLD / "zh07_agent_forbidden.json"
    result = CliRunner().invoke(score_command, [str(path), "--rubric", "Etiquette", "--json"])
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert card["rubric"] == "etiquette_zh"
    assert card["critical_failures"] == ["no_forbidden_words"] and card["passed"] is False


def test_cli_rubric_file(tmp_path):
    rubric = tmp_path / "r.yaml"
    rubric.write_text(
        "key: mini\nname: Mini\nversion: 1\nlanguages: [en]\nsections:\n- key: s\n  title: S\n  items:\n"
        "  - key: bye\n    title: Bye\n    stage: closing\n    detector: {type: phrase, phrases: [goodbye]}\n"
    )
    result = CliRunner().invoke(
        score_command, [str(GOLD / "en01_model_call.json"), "--rubric", str(rubric)]
    )
    assert result.exit_code == 0 and "Mini v1" in result.output


def test_cli_errors_are_readable(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    result = CliRunner().invoke(score_command, [str(bad), "--rubric", "script_en"])
    assert result.exit_code == 1 and "not a transcript document" in result.output
    result = CliRunner().invoke(
        score_command, [str(GOLD / "en01_model_call.json"), "--rubric", "nope"]
    )
    assert result.exit_code == 1 and "no rubric named 'nope'" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: x\nversion: 0\n")
    result = CliRunner().invoke(
        score_command, [str(GOLD / "en01_model_call.json"), "--rubric", str(broken)]
    )
    assert result.exit_code == 1 and "Error:" in result.output
