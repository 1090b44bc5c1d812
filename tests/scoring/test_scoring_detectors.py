import re

import pytest

from scoring.detectors import DETECTORS, Context, build_detector
from scoring.detectors.literals import case_free
from scoring.embedding import Embedder
from scoring.errors import RubricError
from scoring.view import CallView, Scope


def run(config, call, role="agent", embedder=None):
    detector = build_detector(config, "detector")
    return detector.run(Context(CallView(call), embedder), Scope(role))


CALL = [
    "A|@0.5|Hello, thank you for calling Acme, this is Anna. How can I help you today?",
    "C|+0.5|My colleague said it's not my problem, can you believe it?",
    "A|+0.5|I'm so sorry about that. So you were charged twice, is that right?",
    "C|+0.5|Yes.",
    "A|+0.5|The refund will reach you within five business days.",
    "C|+0.5|Thanks.",
    "A|+0.5|Thank you for calling, goodbye.",
]


def test_registry_has_every_detector():
    assert {
        "phrase",
        "forbidden",
        "regex",
        "semantic",
        "position",
        "sequence",
        "metric",
        "any",
        "all",
    } <= set(DETECTORS)


def test_phrase_exact_match_gives_evidence(make_call):
    found = run({"type": "phrase", "phrases": ["How can I help"]}, make_call(CALL))
    assert found.found and found.score == 1.0
    assert found.hits[0].indices == (0,)


def test_phrase_respects_word_boundaries(make_call):
    call = make_call(["A|@0|I will shell out for it."])
    assert not run({"type": "phrase", "phrases": ["hell"]}, call).found


def test_phrase_fuzzy_match_tolerates_asr_errors(make_call):
    call = make_call(["A|@0|Hallo, thank you for colling Acme, how can I halp you?"])
    found = run({"type": "phrase", "phrases": ["thank you for calling"], "fuzzy": 0.85}, call)
    assert found.found and 0.85 <= found.score < 1.0
    strict = run({"type": "phrase", "phrases": ["thank you for calling"], "fuzzy": False}, call)
    assert not strict.found


def test_phrase_fuzzy_does_not_match_unrelated_text(make_call):
    call = make_call(["A|@0|The weather is nice and sunny today."])
    assert not run({"type": "phrase", "phrases": ["thank you for calling"]}, call).found


def test_phrase_min_count(make_call):
    call = make_call(["A|@0|Please wait.", "A|+1|Okay."])
    assert not run(
        {"type": "phrase", "phrases": ["please", "thank you"], "min_count": 2}, call
    ).found
    assert run({"type": "phrase", "phrases": ["please", "okay"], "min_count": 2}, call).found


def test_phrase_matches_traditional_against_simplified(make_call):
    trad = make_call(["A|@0|您好，請問有什麼可以幫您？"], "zh")
    simp = make_call(["A|@0|您好，请问有什么可以帮您？"], "zh")
    for call in (trad, simp):
        for phrase in ("有什麼可以幫您", "有什么可以帮您"):
            assert run({"type": "phrase", "phrases": [phrase]}, call).found


def test_phrase_chinese_fuzzy_on_characters(make_call):
    call = make_call(["A|@0|您好請問有什麼可以幫助您的嗎"], "zh")
    found = run({"type": "phrase", "phrases": ["請問有什麼可以幫您的嗎"], "fuzzy": 0.8}, call)
    assert found.found and found.score < 1.0


def test_forbidden_counts_agent_only(make_call):
    config = {"type": "forbidden", "phrases": ["not my problem"]}
    assert run(config, make_call(CALL)).found  # customer quoted it: still clean
    rude = make_call(["A|@0|That's not my problem.", "A|+1|Really, not my problem."])
    found = run(config, rude)
    assert not found.found and found.count == 2


def test_forbidden_ignores_words_the_agent_quotes(make_call):
    call = make_call(['A|@0|I am sorry my colleague said "not my problem" to you.'])
    assert run({"type": "forbidden", "phrases": ["not my problem"]}, call).found
    zh = make_call(["A|@0|很抱歉同事跟您說「不關我的事」。"], "zh")
    assert run({"type": "forbidden", "phrases": ["不關我的事"]}, zh).found


def test_regex_runs_on_folded_text(make_call):
    found = run({"type": "regex", "patterns": [r"within \w+ (business )?days"]}, make_call(CALL))
    assert found.found and found.hits[0].indices == (4,)
    zh = make_call(["A|@0|預計三個工作日內退回。"], "zh")
    assert run({"type": "regex", "patterns": ["[一二三]個工作日"]}, zh).found


@pytest.mark.parametrize(
    ("pattern", "free"),
    [
        (r"\bthank(s| you)\b", True),
        (r"[a-z0-9]+ (?=x)(?!y)[^q]{1,3}?", True),
        (r"[a-z]", True),
        (r"[A-z]", True),
        (r"[A-Z]", False),
        (r"\x4b", False),
        (r"[^\x41]", False),
        ("稍等", False),
    ],
)
def test_case_free_patterns_match_lower_case_ascii_alike(pattern, free):
    assert case_free(pattern, re.IGNORECASE) is free
    if free:
        texts = ["thank you", "thanks a lot", "abc xq", "k z", "a_b"]
        ignore, plain = re.compile(pattern, re.I), re.compile(pattern)
        assert [ignore.findall(t) for t in texts] == [plain.findall(t) for t in texts]


def test_bad_regex_is_a_rubric_error():
    with pytest.raises(RubricError, match=r"patterns\[0\]"):
        build_detector({"type": "regex", "patterns": ["(unclosed"]}, "detector")


def test_position_first_seconds_of_agent_speech(make_call):
    greeting = {
        "type": "position",
        "first_s": 15,
        "match": {"type": "phrase", "phrases": ["hello"]},
    }
    # the agent only starts after 60 s in the queue: the window follows the agent's speech
    late = make_call(["A|@60|Hello, thanks for holding.", "C|+1|Hi."])
    assert run(greeting, late).found
    never = make_call(["A|@0|Account number?", "C|+1|1234.", "A|+1|" + "and " * 60, "A|+1|Hello?"])
    assert not run(greeting, never).found


def test_position_last_seconds_of_call(make_call):
    closing = {
        "type": "position",
        "last_s": 30,
        "match": {"type": "phrase", "phrases": ["goodbye"]},
    }
    assert run(closing, make_call(CALL)).found
    early = make_call(
        [
            "A|@0|Thanks, goodbye.",
            "C|+1|Wait, one more thing " + "really " * 40,
            "A|+1|" + "okay " * 60,
        ]
    )
    assert not run(closing, early).found


def test_position_needs_one_window():
    with pytest.raises(RubricError, match="exactly one"):
        build_detector({"type": "position", "match": {"type": "phrase", "phrases": ["x"]}}, "d")


def test_sequence_requires_order(make_call):
    config = {
        "type": "sequence",
        "first": {"type": "phrase", "phrases": ["is that right"]},
        "then": {"type": "phrase", "phrases": ["refund will"]},
    }
    assert run(config, make_call(CALL)).found
    swapped = {"type": "sequence", "first": config["then"], "then": config["first"]}
    result = run(swapped, make_call(CALL))
    assert not result.found and result.note == "steps out of order"


def test_any_and_all(make_call):
    a = {"type": "phrase", "phrases": ["goodbye"]}
    b = {"type": "phrase", "phrases": ["zebra crossing"]}
    assert run({"type": "any", "of": [b, a]}, make_call(CALL)).found
    assert not run({"type": "all", "of": [a, b]}, make_call(CALL)).found
    assert run({"type": "all", "of": [a, {**b, "negate": True}]}, make_call(CALL)).found


def test_metric_detector_reports_violating_events(make_call):
    call = make_call(["A|@0|Hello there.", "C|+1|Hi.", "A|+20|Sorry, I am back."])
    found = run({"type": "metric", "metric": "unexplained_silence_longest", "max": 10}, call)
    assert not found.found and found.count == 1 and found.value > 19
    assert found.hits[0].indices == (1, 2)
    ok = run({"type": "metric", "metric": "unexplained_silence_longest", "max": 30}, call)
    assert ok.found


def test_metric_unknown_name_is_rejected():
    with pytest.raises(RubricError, match="unknown metric"):
        build_detector({"type": "metric", "metric": "vibes", "max": 1}, "d")


def test_unknown_detector_type_and_field():
    with pytest.raises(RubricError, match="unknown detector type"):
        build_detector({"type": "telepathy"}, "d")
    with pytest.raises(RubricError, match="unknown field 'phrses'"):
        build_detector({"type": "phrase", "phrses": ["x"]}, "d")


def test_semantic_ngram_for_chinese(make_call):
    call = make_call(["A|@0|我跟您確認一下，您想更改收貨地址，對嗎？", "A|+1|今天天氣很好。"], "zh")
    config = {"type": "semantic", "examples": ["您是想更改收货地址对吗"], "threshold": 0.45}
    found = run(config, call, embedder=Embedder())
    assert found.found and [h.indices for h in found.hits] == [(0,)]


@pytest.mark.slow
def test_semantic_minilm_for_english(make_call):
    call = make_call(
        [
            "A|@0|So the connection cuts out every evening, have I got that right?",
            "A|+1|Our shop sells garden furniture.",
        ]
    )
    examples = ["So your internet keeps dropping, is that correct?"]
    found = run(
        {"type": "semantic", "examples": examples, "threshold": 0.5}, call, embedder=Embedder()
    )
    assert found.found and [h.indices for h in found.hits] == [(0,)]
    assert found.threshold == 0.5
    assert not run({"type": "semantic", "examples": examples}, call, embedder=Embedder()).found
