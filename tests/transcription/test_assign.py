"""Giving words to speakers from hand-made turns."""

from __future__ import annotations

from transcription.assign import (
    assign_segments,
    assign_words,
    mark_overlaps,
    overlap_regions,
    turns_from_segments,
)
from transcription.schema import Segment, Turn, Word

TURNS = [Turn(0.0, 2.0, "S0"), Turn(1.5, 4.0, "S1"), Turn(5.0, 6.0, "S0")]


def _segment(*words: tuple[float, float, str]) -> Segment:
    ws = [Word(s, e, t) for s, e, t in words]
    return Segment(id=7, start=ws[0].start, end=ws[-1].end, text="", confidence=0.8, words=ws)


def test_overlap_regions() -> None:
    assert overlap_regions(TURNS) == [(1.5, 2.0)]
    assert overlap_regions([Turn(0, 1, "S0"), Turn(0.5, 2, "S0")]) == []  # same speaker
    assert overlap_regions([Turn(0, 3, "A"), Turn(1, 2, "B"), Turn(1.5, 4, "C")]) == [(1.0, 3.0)]


def test_largest_overlap_and_nearest_turn() -> None:
    words = [
        Word(0.1, 0.5, "hello"),  # inside S0
        Word(1.8, 2.6, "well"),  # 0.2 s with S0, 0.8 s with S1
        Word(4.2, 4.4, "um"),  # no turn: nearest is S1 (0.2 s away, S0 is 0.6 s)
        Word(6.5, 6.7, "bye"),  # after the end: nearest is S0
    ]
    assign_words(words, TURNS)
    assert [w.speaker for w in words] == ["S0", "S1", "S1", "S0"]
    assert [w.overlap for w in words] == [False, False, False, False]


def test_overlap_words_are_marked() -> None:
    words = [Word(1.55, 1.9, "yes"), Word(1.9, 2.3, "so")]
    assign_words(words, TURNS)
    assert words[0].overlap is True  # wholly where both talk
    assert words[1].overlap is False  # mostly after S0 stopped


def test_segments_split_at_speaker_changes() -> None:
    seg = _segment((0.1, 0.5, "hi"), (0.6, 1.0, "there"), (2.5, 3.0, "no"), (5.2, 5.5, "bye."))
    out = assign_segments([seg], TURNS)
    assert [(s.id, s.speaker, s.text) for s in out] == [
        (0, "S0", "hi there"),
        (1, "S1", "no"),
        (2, "S0", "bye."),
    ]
    assert [(s.start, s.end) for s in out] == [(0.1, 1.0), (2.5, 3.0), (5.2, 5.5)]
    assert all(s.confidence == 0.8 for s in out)
    assert all({w.speaker for w in s.words} == {s.speaker} for s in out)


def test_turns_from_segments_and_overlap_marks() -> None:
    a = _segment((0.0, 0.4, "a"), (0.6, 1.0, "b"), (2.0, 2.5, "c"))
    b = _segment((0.7, 1.2, "x"))
    for w in a.words:
        w.speaker = "S0"
    b.words[0].speaker = "S1"
    turns = turns_from_segments([a, b], max_gap=0.5)
    assert turns == [Turn(0.0, 1.0, "S0"), Turn(0.7, 1.2, "S1"), Turn(2.0, 2.5, "S0")]
    mark_overlaps([a, b], turns)
    assert [w.overlap for w in a.words] == [False, True, False]
    assert b.overlap is True and a.overlap is True
