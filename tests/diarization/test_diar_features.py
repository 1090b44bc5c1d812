"""The numpy mel front end of the speaker encoder."""

import numpy as np

from transcription.diarization.features import N_MELS, mel_filterbank, mel_frames


def test_filterbank_shape_and_coverage():
    bank = mel_filterbank()
    assert bank.shape == (N_MELS, 201)
    assert (bank >= 0).all()
    assert (bank.sum(axis=0)[1:-1] > 0).all()


def test_a_tone_lights_up_the_band_that_holds_it():
    t = np.arange(16000) / 16000
    mel = mel_frames(np.sin(2 * np.pi * 1000 * t).astype(np.float32))
    assert mel.shape == (101, N_MELS)
    peak = int(mel[50].argmax())
    assert mel_filterbank()[peak, 25] > 0  # FFT bin 25 is 1000 Hz
    assert mel_frames(np.zeros(0, np.float32)).shape[1] == N_MELS


def test_picked_frames_match_the_whole_spectrogram_across_blocks(monkeypatch):
    import transcription.diarization.features as features

    monkeypatch.setattr(features, "BLOCK", 7)
    rng = np.random.default_rng(3)
    samples = rng.standard_normal(16000).astype(np.float32)
    whole = mel_frames(samples)
    assert whole.shape == (101, N_MELS)
    picked = np.array([0, 1, 2, 30, 31, 64, 99, 100])
    np.testing.assert_allclose(mel_frames(samples, picked), whole[picked], rtol=1e-5, atol=1e-6)


def test_frames_outside_the_signal_are_refused():
    import pytest

    with pytest.raises(ValueError, match="mel frame indices"):
        mel_frames(np.zeros(1600, np.float32), np.array([11]))


def test_mel_memory_does_not_grow_with_the_call():
    import tracemalloc

    samples = np.zeros(16000 * 120, np.float32)  # two minutes: 12000 frames
    frames = np.arange(0, 12000, 3)
    tracemalloc.start()
    mel_frames(samples, frames)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # one block of windowed frames and spectra, not the whole call's frame matrix (~40 MB)
    assert peak < 20e6
