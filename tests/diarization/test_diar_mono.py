"""The offline default engine on real and synthetic calls, and its contract."""

from pathlib import Path

import numpy as np
import pytest

from transcription.diarization import DiarizationError, DiarizationSettings, assets, get_engine
from transcription.diarization.der import diarization_error_rate
from transcription.schema import Turn

# Measured: 0.071 (phone sample), 0.072 (synthetic), 0.065 (synthetic with a 7 s gap).
PHONE_DER_MAX = 0.09
SYNTHETIC_DER_MAX = 0.09
GAP_DER_MAX = 0.10


def test_phone_sample_der(mono, phone):
    samples, reference = phone
    assert diarization_error_rate(reference, mono.diarize(samples)) <= PHONE_DER_MAX


def test_synthetic_two_voice_call_der(mono, synthetic):
    samples, reference = synthetic
    assert diarization_error_rate(reference, mono.diarize(samples)) <= SYNTHETIC_DER_MAX


def test_speakers_are_kept_apart_across_a_long_silence(mono, with_gap):
    # After 7 s of silence the customer speaks first: only the speaker encoder can tell.
    samples, reference = with_gap("synthetic", cut=10.5, resume=36.4)
    assert diarization_error_rate(reference, mono.diarize(samples)) <= GAP_DER_MAX


def test_turn_format(mono, phone):
    samples, _ = phone
    turns = mono.diarize(samples)
    duration = samples.size / 16000
    assert turns and all(isinstance(t, Turn) for t in turns)
    assert all(0 <= t.start < t.end <= duration for t in turns)
    assert [t.start for t in turns] == sorted(t.start for t in turns)
    assert turns[0].speaker == "S0"
    assert {t.speaker for t in turns} == {"S0", "S1"}


def test_at_most_the_requested_number_of_speakers(mono, synthetic):
    samples, _ = synthetic
    assert {t.speaker for t in mono.diarize(samples, num_speakers=None)} == {"S0", "S1"}
    assert {t.speaker for t in mono.diarize(samples, num_speakers=1)} == {"S0"}
    with pytest.raises(DiarizationError, match="at most 2"):
        mono.diarize(samples, num_speakers=3)


def test_silence_and_empty_input_give_no_turns(mono):
    assert mono.diarize(np.zeros(0, dtype=np.float32)) == []
    assert mono.diarize(np.zeros(3 * 16000, dtype=np.float32)) == []


def test_short_input_is_padded(mono, phone):
    samples, _ = phone
    turns = mono.diarize(samples[int(7.6 * 16000) : int(9.6 * 16000)])
    assert turns and all(0 <= t.start < t.end <= 2.0 for t in turns)


@pytest.mark.parametrize(
    ("samples", "rate", "message"),
    [
        (np.zeros((2, 16000), np.float32), 16000, "mono"),
        (np.zeros(16000, np.float32), 8000, "16 kHz"),
        (np.zeros(16000, np.int16), 16000, "float"),
        (np.full(16000, np.nan, np.float32), 16000, "NaN"),
    ],
)
def test_bad_input_is_rejected(mono, samples, rate, message):
    with pytest.raises(DiarizationError, match=message):
        mono.diarize(samples, sample_rate=rate)


def test_corrupt_model_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, phone):
    (tmp_path / "segmentation.onnx").write_bytes(b"not a model")
    monkeypatch.setattr(assets, "ASSETS", tmp_path)
    assets._verified_bytes.cache_clear()
    try:
        with pytest.raises(DiarizationError, match="corrupt"):
            get_engine("mono").diarize(phone[0])
        with pytest.raises(DiarizationError, match="missing"):
            assets.load_session("speaker_encoder.onnx")
    finally:
        assets._verified_bytes.cache_clear()


def test_threads_setting_is_accepted(phone):
    engine = get_engine("mono", DiarizationSettings(threads=1, window_step=1.0))
    turns = engine.diarize(phone[0][: 12 * 16000])
    assert {t.speaker for t in turns} <= {"S0", "S1"}
