"""The interface every diarisation engine implements."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from transcription.errors import TranscriptionError
from transcription.schema import Turn


class DiarizationError(TranscriptionError):
    """A diarisation engine is unknown, not installed, misconfigured or given bad input."""


class DiarizationEngine(Protocol):
    """Split mono speech into speaker turns."""

    name: str

    def diarize(
        self,
        samples: np.ndarray,
        sample_rate: int = 16000,
        num_speakers: int | None = 2,
        speech: list[tuple[float, float]] | None = None,
    ) -> list[Turn]:
        """Return speaker turns for ``samples`` (mono float32 in [-1, 1]).

        ``speech`` optionally gives the (start, end) seconds of ASR segments / VAD regions,
        which an engine may use to embed per segment. Speaker ids are "S0", "S1", ...
        Overlapping turns (two speakers at once) are allowed.
        """
        ...


def check_input(samples: np.ndarray, sample_rate: int, num_speakers: int | None) -> np.ndarray:
    """Return ``samples`` as contiguous mono float32, or raise DiarizationError."""
    if sample_rate != 16000:
        raise DiarizationError(f"diarisation needs 16 kHz audio, got {sample_rate} Hz")
    array = np.asarray(samples)
    if array.ndim != 1:
        raise DiarizationError(f"diarisation needs mono samples (1-D), got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        raise DiarizationError(f"diarisation needs float samples in [-1, 1], got {array.dtype}")
    if num_speakers is not None and num_speakers < 1:
        raise DiarizationError(f"num_speakers must be at least 1, got {num_speakers}")
    array = np.ascontiguousarray(array, dtype=np.float32)
    step = 1 << 20  # check in blocks: no call-length temporary
    if not all(np.isfinite(array[i : i + step]).all() for i in range(0, array.size, step)):
        raise DiarizationError("audio samples contain NaN or infinity")
    return array
