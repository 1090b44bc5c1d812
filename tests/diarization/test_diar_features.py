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
