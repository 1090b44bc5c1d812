import pytest

from scoring.metrics import MetricSettings, compute_metrics
from transcription.schema import Segment, Speaker, Transcript

ROWS = [
    ("agent", 0.0, 5.0, "Hello thank you for calling how can I help"),
    ("customer", 5.5, 12.0, "My internet is down since yesterday evening"),
    ("agent", 11.0, 14.0, "Oh no I am so sorry"),  # talks over the customer for 1 s
    ("agent", 14.5, 16.0, "Please hold while I check"),
    ("agent", 36.0, 40.0, "Thanks for holding your line is fixed"),  # 20 s announced hold
    ("customer", 41.0, 43.0, "Great thanks"),
    ("agent", 60.0, 62.0, "Anything else"),  # 17 s unexplained silence
    ("customer", 62.2, 63.0, "mm"),
    ("agent", 62.5, 63.5, "ok"),  # a backchannel, not an interruption
]


def transcript(rows=ROWS, language="en"):
    return Transcript(
        duration=70.0,
        language=language,
        segments=[
            Segment(i, start, end, text, "S0" if role == "agent" else "S1", role)
            for i, (role, start, end, text) in enumerate(rows)
        ],
        speakers=[Speaker("S0", "agent"), Speaker("S1", "customer")],
    )


def test_talk_time_and_ratio():
    m = compute_metrics(transcript())
    assert m.talk_time["agent"] == pytest.approx(16.5)
    assert m.talk_time["customer"] == pytest.approx(9.3)
    assert m.talk_ratio_agent == pytest.approx(16.5 / 25.8)


def test_silences_holds_and_dead_air():
    m = compute_metrics(transcript())
    assert m.dead_air_count == 2
    assert m.dead_air_total == pytest.approx(37.0)
    assert m.dead_air_longest == pytest.approx(20.0)
    assert m.hold_count == 1 and m.hold_total == pytest.approx(20.0)
    assert m.unexplained_silence_count == 1
    assert m.unexplained_silence_longest == pytest.approx(17.0)
    assert [e.segment_ids for e in m.events_of("hold")] == [[3, 4]]


def test_dead_air_threshold_is_a_setting():
    m = compute_metrics(transcript(), MetricSettings(dead_air_s=18.0))
    assert m.dead_air_count == 1 and m.unexplained_silence_count == 0


def test_overtalk_and_interruptions():
    m = compute_metrics(transcript())
    assert m.overtalk_total == pytest.approx(1.5)
    assert m.interruptions == 1
    assert m.events_of("interruption")[0].segment_ids == [1, 2]


def test_turn_taking_figures():
    m = compute_metrics(transcript())
    assert m.longest_agent_monologue == pytest.approx(5.0)
    assert m.response_latency_max == pytest.approx(17.0)
    assert m.response_latency_mean == pytest.approx(17.0 / 3)


def test_speech_rate_words_and_chinese_characters():
    m = compute_metrics(transcript())
    assert m.speech_rate["agent"] == pytest.approx(30 / (16.5 / 60))
    zh = compute_metrics(transcript([("agent", 0.0, 3.0, "您好，請問有什麼可以幫您？")], "zh"))
    assert zh.speech_rate["agent"] == pytest.approx(11 / (3 / 60))


def test_value_lookup_and_summary():
    m = compute_metrics(transcript())
    assert m.value("talk_time_customer") == pytest.approx(9.3)
    assert m.value("interruptions") == 1
    summary = m.summary()
    assert summary["speech_rate_agent"] == round(m.speech_rate["agent"], 3)
    assert "events" not in summary


def test_empty_transcript():
    m = compute_metrics(Transcript(duration=0.0))
    assert m.talk_ratio_agent == 0.0 and m.dead_air_count == 0 and m.interruptions == 0
