"""The mel front end of the speaker encoder (a numpy port of the librosa one it was trained on)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

SAMPLE_RATE = 16000
N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
N_MELS = 40


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Return Slaney mel values for frequencies in Hz."""
    hz = np.asarray(hz, dtype=np.float64)
    mel = hz / (200.0 / 3)
    log_part = hz >= 1000.0
    return np.where(
        log_part, 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / (np.log(6.4) / 27), mel
    )


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    """Return frequencies in Hz for Slaney mel values."""
    mel = np.asarray(mel, dtype=np.float64)
    hz = mel * (200.0 / 3)
    return np.where(mel >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27) * (mel - 15.0)), hz)


@lru_cache(maxsize=1)
def mel_filterbank() -> np.ndarray:
    """Return the (N_MELS, N_FFT // 2 + 1) Slaney-normalised mel filterbank."""
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, N_FFT // 2 + 1)
    mel_points = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    widths = np.diff(mel_points)
    ramps = mel_points[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_points[2:] - mel_points[:-2]))[:, None]
    return weights.astype(np.float32)


def mel_frames(samples: np.ndarray) -> np.ndarray:
    """Return the (frames, N_MELS) power mel spectrogram of 16 kHz ``samples``."""
    samples = np.asarray(samples, dtype=np.float32)
    padded = np.pad(samples, N_FFT // 2)
    n_frames = 1 + (padded.size - N_FFT) // HOP
    if n_frames < 1:
        return np.zeros((0, N_MELS), dtype=np.float32)
    index = np.arange(N_FFT)[None, :] + HOP * np.arange(n_frames)[:, None]
    window = np.hanning(N_FFT + 1)[:-1].astype(np.float32)
    spectrum = np.abs(np.fft.rfft(padded[index] * window, axis=1)) ** 2
    return (spectrum.astype(np.float32) @ mel_filterbank().T).astype(np.float32)
