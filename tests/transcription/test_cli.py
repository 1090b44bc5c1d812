"""The transcribe command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.transcription.conftest import STEREO
from transcription.cli import transcribe

pytestmark = pytest.mark.slow


def test_transcribe_prints_json_and_rttm(model_cache) -> None:
    runner = CliRunner()
    args = [str(STEREO), "--model", "tiny.en", "--cache-dir", str(model_cache), "--quiet"]
    result = runner.invoke(transcribe, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {s["speaker"] for s in data["segments"]} == {"S0", "S1"}
    rttm = runner.invoke(transcribe, [*args, "--format", "rttm"])
    assert [line.split()[7] for line in rttm.output.splitlines()] == ["S0", "S1"]


def test_bad_file_is_a_readable_error(tmp_path) -> None:
    bad = tmp_path / "call.wav"
    bad.write_text("hello")
    result = CliRunner().invoke(transcribe, [str(bad), "--quiet"])
    assert result.exit_code == 1
    assert "call.wav" in result.output and "Traceback" not in result.output
