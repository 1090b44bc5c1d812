import json
from pathlib import Path

import pytest
import yaml

from scoring import Rubric, Scorecard, ScoringError, compare, find_rubric, score
from transcription.schema import Transcript

GOLD = Path(__file__).resolve().parents[1] / "gold" / "transcripts"


def gold(name: str) -> Transcript:
    return Transcript.from_dict(json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8")))


def rubric_with(items: list[dict], **top) -> Rubric:
    return Rubric.from_dict(
        {
            "key": "t",
            "name": "T",
            "version": 1,
            "languages": ["en"],
            **top,
            "sections": [{"key": "s", "title": "S", "items": items}],
        }
    )


def item(key, detector, **extra):
    return {
        "key": key,
        "title": key,
        "stage": "etiquette",
        "weight": 10,
        "detector": detector,
        **extra,
    }


def test_model_call_scores_full_marks_with_evidence():
    card = score(gold("en01_model_call"), find_rubric("script_en"))
    assert card.total == 100.0 and card.passed and not card.critical_failures
    greeting = card.item("greeting")
    assert greeting.result == "pass" and greeting.points == 10
    ev = greeting.evidence[0]
    assert ev.segment_ids == [0] and ev.role == "agent" and ev.start == pytest.approx(0.4)
    assert "thank you for calling" in ev.quote.lower()
    assert {s.key: s.score for s in card.sections}["opening"] == 100.0
    assert card.metrics["talk_time_agent"] > 0


def test_missing_verification_is_a_critical_failure():
    card = score(gold("en02_no_verification"), find_rubric("script_en"))
    assert card.item("verification").result == "fail"
    assert card.critical_failures == ["verification"] and not card.passed
    assert card.total > 0


def test_critical_zero_mode_zeroes_the_total(make_call):
    rubric = rubric_with(
        [
            item("hello", {"type": "phrase", "phrases": ["hello"]}),
            item("bye", {"type": "phrase", "phrases": ["goodbye"]}, critical="zero"),
        ]
    )
    card = score(make_call(["A|@0|Hello there."]), rubric)
    assert card.total == 0.0 and not card.passed and card.critical_failures == ["bye"]


def test_na_items_are_left_out_of_the_total():
    card = score(gold("en03_general_info_na"), find_rubric("script_en"))
    verification = card.item("verification")
    assert verification.result == "na" and "does not touch an account" in verification.reason
    applicable = [i for i in card.items if i.result != "na"]
    expected = 100 * sum(i.points for i in applicable) / sum(i.max_points for i in applicable)
    assert card.total == pytest.approx(round(expected, 2))


def test_deduction_per_occurrence_with_cap(make_call):
    rubric = rubric_with(
        [
            item(
                "rude",
                {"type": "forbidden", "phrases": ["stupid"]},
                scoring={"mode": "deduction", "per": 4, "cap": 6},
            )
        ]
    )
    once = score(make_call(["A|@0|That is stupid."]), rubric).item("rude")
    assert (once.result, once.points, once.value) == ("fail", 6.0, 1.0)
    thrice = score(make_call(["A|@0|Stupid, stupid, stupid."]), rubric).item("rude")
    assert (thrice.points, thrice.value) == (4.0, 3.0)
    clean = score(make_call(["A|@0|That is fine."]), rubric).item("rude")
    assert (clean.result, clean.points) == ("pass", 10.0)


def test_scale_counts_distinct_phrases(make_call):
    rubric = rubric_with(
        [
            item(
                "polite",
                {"type": "phrase", "phrases": ["please", "thank you", "sorry"]},
                scoring={"mode": "scale", "max": 3},
            )
        ]
    )
    result = score(make_call(["A|@0|Please wait, thank you."]), rubric).item("polite")
    assert (
        result.result == "scale"
        and result.value == 2.0
        and result.points == pytest.approx(20 / 3, abs=1e-4)
    )


def test_item_for_a_role_that_never_spoke_is_na(make_call):
    rubric = rubric_with([item("c", {"type": "phrase", "phrases": ["hi"]}, role="customer")])
    result = score(make_call(["A|@0|Hi."]), rubric).item("c")
    assert result.result == "na" and "no customer speech" in result.reason


def test_low_asr_confidence_is_flagged_for_review():
    card = score(gold("en19_low_asr_quality"), find_rubric("script_en"))
    greeting = card.item("greeting")
    assert greeting.result == "pass"
    assert greeting.confidence < 0.6 and greeting.needs_review and card.needs_review
    clean = score(gold("en01_model_call"), find_rubric("script_en"))
    assert not clean.needs_review


def test_fuzzy_match_near_threshold_is_flagged(make_call):
    rubric = rubric_with(
        [item("thanks", {"type": "phrase", "phrases": ["thank you for calling"], "fuzzy": 0.85})]
    )
    result = score(make_call(["A|@0|Hallo, thank you for colling Acme."]), rubric).item("thanks")
    assert result.result == "pass" and result.confidence < 1.0


def test_scoring_is_reproducible_and_json_round_trips():
    rubric = find_rubric("etiquette_zh")
    call = gold("zh06_customer_quotes_forbidden")
    first, second = score(call, rubric).to_dict(), score(call, rubric).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    again = Scorecard.from_dict(json.loads(json.dumps(first)))
    assert again.to_dict() == first
    with pytest.raises(ScoringError):
        Scorecard.from_dict({"items": []})


def test_rubric_change_backtest():
    calls = [gold(n) for n in ("en01_model_call", "en02_no_verification", "en05_no_greeting")]
    old = find_rubric("script_en")
    data = yaml.safe_load(old.to_yaml())
    data["version"] = 2
    data["sections"][1]["items"][0]["critical"] = "zero"
    new = Rubric.from_dict(data)
    report = compare([score(c, old) for c in calls], [score(c, new) for c in calls])
    assert report.calls == 3
    assert report.new_mean_total < report.old_mean_total
    assert report.max_decrease < 0 and report.now_failing == []
    verification = next(i for i in report.items if i.key == "verification")
    assert verification.old_pass_rate == verification.new_pass_rate == 0.5
    assert verification.changed_calls == 0  # same results and points; only the totals move
    assert report.to_dict()["calls"] == 3
    with pytest.raises(ValueError):
        compare([], [])


def test_empty_call_is_not_passed_and_goes_to_review():
    card = score(Transcript(duration=0.0), find_rubric("script_en"))
    assert card.total == 0.0 and not card.passed and card.needs_review
    assert {i.result for i in card.items} == {"na"}


def test_stored_embeddings_missing_a_role_fall_back_to_the_embedder(make_call):
    from scoring.embedding import Embedder

    call = make_call(["A|@0|您好。", "C|+1|我很生氣！", "A|+1|非常理解您的心情。"], "zh")
    embedder = Embedder()
    only_customer = embedder.embed_transcript(call, roles=("customer",))
    card = score(call, find_rubric("etiquette_zh"), embedder=embedder, embeddings=only_customer)
    assert card.item("empathy").result == "pass"


def test_counted_items_count_inside_nested_detectors(make_call):
    rubric = rubric_with(
        [
            item(
                "polite",
                {
                    "type": "position",
                    "last_s": 600,
                    "match": {"type": "phrase", "phrases": ["please", "thank you", "sorry"]},
                },
                scoring={"mode": "scale", "max": 3},
            ),
            item(
                "jargon",
                {
                    "type": "any",
                    "negate": True,
                    "of": [{"type": "regex", "patterns": [r"\bbackend\b", r"\bticket queue\b"]}],
                },
                scoring={"mode": "deduction", "per": 2, "cap": 10},
            ),
        ]
    )
    call = make_call(
        [
            "A|@0|Please wait, the backend is slow, thank you.",
            "C|@5|Okay.",
            "A|@8|It sits in the ticket queue behind the backend, sorry.",
        ]
    )
    card = score(call, rubric)
    assert card.item("polite").value == 3.0  # all three phrases, though wrapped in a window
    jargon = card.item("jargon")
    assert (jargon.result, jargon.value, jargon.points) == ("fail", 3.0, 4.0)


def test_pass_fail_items_show_at_most_five_places(make_call):
    rubric = rubric_with([item("thanks", {"type": "regex", "patterns": [r"\bthanks\b"]})])
    lines = [f"{'A' if i % 2 == 0 else 'C'}|@{i * 3}|Thanks, number {i}." for i in range(14)]
    result = score(make_call(lines), rubric).item("thanks")
    assert result.result == "pass"
    assert [e.start for e in result.evidence] == [0.0, 6.0, 12.0, 18.0, 24.0]
