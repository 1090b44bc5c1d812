"""Agreement between the scorer and the analyst labels of the gold set (tests/gold)."""

import json
from pathlib import Path

import pytest
from make_gold import build_call, load_calls

from scoring import cohen_kappa, find_rubric, score
from scoring.agreement import accuracy
from transcription.schema import Transcript

GOLD = Path(__file__).resolve().parents[1] / "gold"
CALLS = load_calls()


def test_gold_set_size_and_mix():
    assert len(CALLS) >= 40
    languages = {c["language"] for c in CALLS}
    assert languages == {"en", "zh"}
    scripts = {c.get("script") for c in CALLS if c["language"] == "zh"}
    assert {"traditional", "simplified"} <= scripts


@pytest.mark.parametrize("call", CALLS, ids=[c["id"] for c in CALLS])
def test_gold_transcripts_are_built_from_their_scripts(call):
    stored = json.loads((GOLD / "transcripts" / f"{call['id']}.json").read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(build_call(call).to_dict()))


def _labels():
    expected, got = [], []
    for call in CALLS:
        data = json.loads((GOLD / "transcripts" / f"{call['id']}.json").read_text(encoding="utf-8"))
        transcript = Transcript.from_dict(data)
        results = {}
        for kind in ("script", "etiquette"):
            card = score(transcript, find_rubric(kind, call["language"]))
            results.update({i.key: i.result for i in card.items})
        for key, want in call["expect"].items():
            expected.append(want)
            got.append(results[key])
    return expected, got


@pytest.mark.slow
def test_scorer_agrees_with_analysts():
    expected, got = _labels()
    assert len(expected) >= 40 * 13
    assert accuracy(expected, got) >= 0.95
    assert cohen_kappa(expected, got) >= 0.8
