"""Exports parse back to what was written."""

from __future__ import annotations

import json
import re

from transcription.export import export, to_rttm
from transcription.schema import Segment, Speaker, Transcript, Turn, Word


def _transcript() -> Transcript:
    return Transcript(
        duration=3725.5,
        language="en",
        segments=[
            Segment(
                0,
                0.25,
                2.5,
                "Thank you for calling.",
                "S0",
                "agent",
                words=[Word(0.25, 1, "Thank")],
            ),
            Segment(1, 2.75, 3661.042, "Fish & <chips>?", "S1", "customer"),
        ],
        speakers=[Speaker("S0", "agent", 1.0, 0), Speaker("S1", "customer", 1.0, 1)],
        turns=[Turn(0.25, 2.5, "S0"), Turn(2.75, 3661.042, "S1")],
    )


def _seconds(clock: str) -> float:
    h, m, rest = clock.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(rest)


def test_json_round_trip() -> None:
    transcript = _transcript()
    assert Transcript.from_dict(json.loads(export(transcript, "json"))) == transcript


def test_vtt_parses_back() -> None:
    vtt = export(_transcript(), "vtt")
    assert vtt.startswith("WEBVTT\n\n")
    cues = re.findall(r"(\S+) --> (\S+)\n<v ([^>]+)>(.*)", vtt)
    assert [(_seconds(a), _seconds(b), v) for a, b, v, _ in cues] == [
        (0.25, 2.5, "Agent (S0)"),
        (2.75, 3661.042, "Customer (S1)"),
    ]
    assert cues[1][3] == "Fish &amp; &lt;chips&gt;?"  # cue text is escaped


def test_srt_parses_back() -> None:
    blocks = export(_transcript(), "srt").strip().split("\n\n")
    parsed = []
    for block in blocks:
        number, times, text = block.split("\n")
        start, end = times.split(" --> ")
        parsed.append((int(number), _seconds(start), _seconds(end), text))
    assert parsed == [
        (1, 0.25, 2.5, "Agent (S0): Thank you for calling."),
        (2, 2.75, 3661.042, "Customer (S1): Fish & <chips>?"),
    ]


def test_rttm_parses_back() -> None:
    lines = to_rttm(_transcript(), file_id="call42").splitlines()
    rows = [line.split() for line in lines]
    assert all(r[0] == "SPEAKER" and r[1] == "call42" and len(r) == 10 for r in rows)
    turns = [Turn(float(r[3]), round(float(r[3]) + float(r[4]), 3), r[7]) for r in rows]
    assert turns == _transcript().turns


def test_rttm_falls_back_to_segments() -> None:
    transcript = _transcript()
    transcript.turns = []
    assert to_rttm(transcript).split()[7] == "S0"
