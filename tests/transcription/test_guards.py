"""Hallucination guards on hand-made input."""

from __future__ import annotations

import numpy as np

from transcription.guards import EnergyGate, drop_repeats, segment_reason
from transcription.schema import Word
from transcription.settings import TranscriptionSettings


def _words(text: str) -> list[Word]:
    return [Word(i * 0.5, i * 0.5 + 0.4, t) for i, t in enumerate(text.split())]


def _texts(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def test_repetition_loops_collapse() -> None:
    assert _texts(drop_repeats(_words("thank you thank you thank you thank you bye"))) == (
        "thank you bye"
    )
    assert _texts(drop_repeats(_words("the the the the the end"))) == "the end"
    assert _texts(drop_repeats(_words("谢 谢 谢 谢 谢 谢"))) == "谢"


def test_real_repeats_survive() -> None:
    for text in ("no no no that is wrong", "thank you thank you bye", "very very good"):
        assert _texts(drop_repeats(_words(text))) == text


def test_segment_reasons() -> None:
    s = TranscriptionSettings()
    assert segment_reason(-0.3, 0.1, 1.6, s) is None
    assert segment_reason(-0.3, 0.1, 3.1, s) == "repetitive"
    assert segment_reason(-1.8, 0.1, 1.5, s) == "low confidence"
    assert segment_reason(-0.8, 0.9, 1.5, s) == "no speech"
    assert segment_reason(-0.2, 0.9, 1.5, s) is None  # confident text wins over no_speech


def test_energy_gate() -> None:
    rate = 16000
    rng = np.random.default_rng(1)
    audio = np.zeros(4 * rate, np.float32)
    audio[rate : 2 * rate] = 0.2 * rng.standard_normal(rate)  # "speech" from 1 s to 2 s
    audio[3 * rate :] = 1e-4 * rng.standard_normal(rate)  # hiss far below it
    gate = EnergyGate(audio, [(0.8, 2.2)])
    assert gate.has_energy(1.2, 1.5)
    assert not gate.has_energy(2.5, 2.9)  # digital silence
    assert not gate.has_energy(3.2, 3.8)  # hiss
    assert gate.in_speech(2.3, 2.5) and not gate.in_speech(2.6, 3.0)
    start, end = gate.snap(0.7, 1.6, 0.5, 1.7)  # early start is cut to the sound
    assert abs(start - 1.0) <= 0.02 and end == 1.7  # the end follows the sound to its limit
    start, end = gate.snap(1.3, 1.8, 1.2, 2.5)  # the sound goes on: the edges reach it
    assert start == 1.2 and abs(end - 2.0) <= 0.02
