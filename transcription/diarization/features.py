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


BLOCK = 1024  # frames transformed at a time, to keep memory bounded on long calls


def mel_frames(samples: np.ndarray, frames: np.ndarray | None = None) -> np.ndarray:
    """Return the (frames, N_MELS) power mel spectrogram of 16 kHz ``samples``.

    ``frames`` picks the frame indices to compute (all by default); the spectrogram is
    computed block by block, so memory stays small however long the call is.
    """
    samples = np.asarray(samples, dtype=np.float32)
    n_frames = 1 + (samples.size + 2 * (N_FFT // 2) - N_FFT) // HOP
    if frames is None:
        frames = np.arange(max(n_frames, 0))
    frames = np.asarray(frames, dtype=np.int64)
    if n_frames < 1 or frames.size == 0:
        return np.zeros((0, N_MELS), dtype=np.float32)
    if frames.min() < 0 or frames.max() >= n_frames:
        raise ValueError(f"mel frame indices must lie in [0, {n_frames})")
    window = np.hanning(N_FFT + 1)[:-1].astype(np.float32)
    bank = mel_filterbank().T
    out = np.empty((frames.size, N_MELS), dtype=np.float32)
    for lo in range(0, frames.size, BLOCK):
        out[lo : lo + BLOCK] = _mel_block(samples, frames[lo : lo + BLOCK], window) @ bank
    return out


def _mel_block(samples: np.ndarray, frames: np.ndarray, window: np.ndarray) -> np.ndarray:
    """Return the power spectra of ``frames`` (centred, zero-padded at both ends)."""
    pad = N_FFT // 2
    first = frames[0] * HOP - pad
    last = frames[-1] * HOP - pad + N_FFT
    piece = samples[max(first, 0) : max(min(last, samples.size), 0)]
    piece = np.pad(piece, (max(0, -first), max(0, last - max(first, samples.size))))
    index = np.arange(N_FFT)[None, :] + HOP * (frames - frames[0])[:, None]
    spectrum = np.abs(np.fft.rfft(piece[index] * window, axis=1)) ** 2
    return spectrum.astype(np.float32)
