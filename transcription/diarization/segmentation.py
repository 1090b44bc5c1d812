"""Run the local speaker segmentation network over sliding 5 s windows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

SAMPLE_RATE = 16000
WINDOW = 5 * SAMPLE_RATE
# SincNet front end of PyanNet: frames every 270 samples, each seeing 991 samples.
FRAME_STEP = 270 / SAMPLE_RATE
FRAME_SPAN = 991 / SAMPLE_RATE
BATCH = 4  # windows per network run: small, so the runtime's working memory stays small


@dataclass
class Segmentation:
    """Per-window local speaker activity: ``scores[w, f, k]`` in [0, 1] for window ``w``."""

    starts: np.ndarray  # (windows,) start of each window, seconds
    scores: np.ndarray  # (windows, frames, local speakers)

    def offset(self, window: int) -> int:
        """Return the index on the global frame grid of ``window``'s first frame."""
        return int(round(self.starts[window] / FRAME_STEP))

    @property
    def num_frames(self) -> int:
        """Return the length of the global frame grid that covers every window."""
        return self.offset(len(self.starts) - 1) + self.scores.shape[1]


def window_starts(num_samples: int, step: int) -> list[int]:
    """Return window start samples covering ``num_samples`` (the last one flush with the end)."""
    if num_samples <= WINDOW:
        return [0]
    starts = list(range(0, num_samples - WINDOW + 1, step))
    if starts[-1] + WINDOW < num_samples:
        starts.append(num_samples - WINDOW)
    return starts


def segment(samples: np.ndarray, session: ort.InferenceSession, step: float) -> Segmentation:
    """Return the local speaker activity of every window of ``samples``.

    Windows are cut and scored a few at a time into one preallocated score array, so
    memory beyond the call's samples is the (small) frame scores plus one batch.
    """
    starts = window_starts(samples.size, max(1, int(round(step * SAMPLE_RATE))))
    scores = None
    for i in range(0, len(starts), BATCH):
        batch = np.zeros((len(starts[i : i + BATCH]), 1, WINDOW), dtype=np.float32)
        for row, start in enumerate(starts[i : i + BATCH]):
            piece = samples[start : start + WINDOW]
            batch[row, 0, : piece.size] = piece
        out = session.run(None, {"waveform": batch})[0]
        if scores is None:
            scores = np.empty((len(starts), *out.shape[1:]), dtype=np.float32)
        scores[i : i + len(out)] = out
        del batch, out
    return Segmentation(np.asarray(starts) / SAMPLE_RATE, scores)
