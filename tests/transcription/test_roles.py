"""Agent / customer roles from channels, opening lines and corrections."""

from __future__ import annotations

import pytest

from transcription.roles import infer_roles, roles_from_channel, set_agent, swap_roles
from transcription.schema import Segment, Speaker, Transcript


def _seg(i: int, start: float, speaker: str, text: str) -> Segment:
    return Segment(id=i, start=start, end=start + 2, text=text, speaker=speaker)


def _roles(speakers: list[Speaker]) -> dict[str, str]:
    return {s.id: s.role for s in speakers}


def test_roles_from_channel() -> None:
    speakers = [Speaker("S0", channel=0), Speaker("S1", channel=1)]
    roles_from_channel(speakers, agent_channel=1)
    assert _roles(speakers) == {"S0": "customer", "S1": "agent"}
    assert all(s.role_confidence == 1.0 for s in speakers)


def test_agent_from_script_lines_even_when_customer_speaks_first() -> None:
    segments = [
        _seg(0, 0.0, "S1", "Hello?"),
        _seg(1, 1.0, "S0", "Thank you for calling Acme support, how can I help you today?"),
        _seg(2, 4.0, "S1", "I'm calling about my order."),
    ]
    speakers = [Speaker("S0"), Speaker("S1")]
    infer_roles(segments, speakers)
    assert _roles(speakers) == {"S0": "agent", "S1": "customer"}
    assert speakers[0].role_confidence > 0.7


def test_agent_from_chinese_opening_in_either_script() -> None:
    for opening in ("您好，请问有什么可以帮您？", "您好，請問有什麼可以幫您？"):
        segments = [_seg(0, 0.5, "S1", opening), _seg(1, 3.0, "S0", "我想查詢我的訂單")]
        speakers = [Speaker("S0"), Speaker("S1")]
        infer_roles(segments, speakers)
        assert _roles(speakers) == {"S0": "customer", "S1": "agent"}


def test_first_speaker_alone_gives_low_confidence() -> None:
    segments = [_seg(0, 0.0, "S1", "Right."), _seg(1, 2.0, "S0", "Okay.")]
    speakers = [Speaker("S0"), Speaker("S1")]
    infer_roles(segments, speakers)
    assert _roles(speakers) == {"S0": "customer", "S1": "agent"}
    assert 0.5 < speakers[1].role_confidence < 0.7


def test_no_speech_no_roles() -> None:
    speakers = [Speaker("S0")]
    infer_roles([], speakers)
    assert speakers[0].role == "unknown" and speakers[0].role_confidence == 0.0


def test_swap_and_set_agent() -> None:
    transcript = Transcript(
        duration=4.0,
        segments=[_seg(0, 0.0, "S0", "hi"), _seg(1, 2.0, "S1", "hello")],
        speakers=[Speaker("S0", "agent", 0.6), Speaker("S1", "customer", 0.6)],
    )
    swap_roles(transcript)
    assert _roles(transcript.speakers) == {"S0": "customer", "S1": "agent"}
    assert [s.role for s in transcript.segments] == ["customer", "agent"]
    assert all(s.role_confidence == 1.0 for s in transcript.speakers)
    set_agent(transcript, "S0")
    assert [s.role for s in transcript.segments] == ["agent", "customer"]
    with pytest.raises(ValueError, match="S9"):
        set_agent(transcript, "S9")
