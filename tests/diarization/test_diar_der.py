"""The DER helper against hand-computed cases."""

from pathlib import Path

import numpy as np
import pytest

from transcription.diarization.der import (
    der_components,
    diarization_error_rate,
    read_rttm,
    splice_silence,
)
from transcription.schema import Turn

PHONE_RTTM = Path(__file__).resolve().parents[1] / "data" / "audio" / "sample.rttm"


def test_confusion_is_counted_after_optimal_mapping():
    reference = [Turn(0, 10, "A"), Turn(10, 20, "B")]
    hypothesis = [Turn(0, 12, "y"), Turn(12, 20, "x")]
    parts = der_components(reference, hypothesis)
    assert parts.total == pytest.approx(20)
    assert parts.confusion == pytest.approx(2)
    assert parts.missed == parts.false_alarm == 0
    assert parts.der == pytest.approx(0.1)


def test_missed_and_false_alarm_speech():
    parts = der_components([Turn(0, 10, "A")], [Turn(2, 12, "S0")])
    assert (parts.missed, parts.false_alarm, parts.confusion) == pytest.approx((2, 2, 0))
    assert parts.der == pytest.approx(0.4)


def test_overlapped_reference_speech_counts_per_speaker():
    reference = [Turn(0, 10, "A"), Turn(5, 10, "B")]
    assert diarization_error_rate(reference, [Turn(0, 10, "S0")]) == pytest.approx(5 / 15)
    overlap = [Turn(0, 10, "S0"), Turn(5, 10, "S1")]
    assert diarization_error_rate(reference, overlap) == 0


def test_labels_do_not_matter_and_extra_speakers_are_confusion():
    reference = [Turn(0, 4, "A"), Turn(4, 8, "B")]
    assert diarization_error_rate(reference, [Turn(0, 4, "q"), Turn(4, 8, "p")]) == 0
    three = [Turn(0, 4, "q"), Turn(4, 6, "p"), Turn(6, 8, "r")]
    assert diarization_error_rate(reference, three) == pytest.approx(2 / 8)


def test_empty_inputs():
    assert diarization_error_rate([], []) == 0
    assert diarization_error_rate([], [Turn(0, 1, "S0")]) == 1
    assert diarization_error_rate([Turn(0, 1, "A")], []) == 1


def test_read_rttm_of_the_phone_sample():
    turns = read_rttm(PHONE_RTTM)
    assert len(turns) == 10
    assert turns[0] == Turn(6.69, pytest.approx(7.12), "speaker90")
    assert {t.speaker for t in turns} == {"speaker90", "speaker91"}


def test_splice_silence_shifts_the_reference():
    samples = np.ones(10 * 16000, np.float32)
    reference = [Turn(0, 4, "A"), Turn(4, 10, "B")]
    mixed, turns = splice_silence(samples, reference, cut=3, resume=6, gap=2)
    assert mixed.size == (3 + 2 + 4) * 16000
    assert not mixed[3 * 16000 : 5 * 16000].any()
    assert turns == [Turn(0, 3, "A"), Turn(5, 9, "B")]
