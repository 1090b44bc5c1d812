"""Join the colourings of separate graph components with speaker embeddings.

Stretches of the call with no shared window (a hold, a long silence) form separate graph
components whose colours are unrelated. Each component's two colours are embedded with the
speaker encoder on the frames where they speak alone, and each component is flipped, largest
first, to agree best with the colours fixed so far.
"""

from __future__ import annotations

import numpy as np
import onnxruntime as ort

from transcription.diarization.features import HOP, mel_frames
from transcription.diarization.segmentation import FRAME_SPAN, FRAME_STEP, Segmentation

PARTIAL = 160  # mel frames (1.6 s) per encoder input, as the encoder was trained
MIN_FRAMES = 50  # at least 0.5 s of lone speech to embed a colour
MEL_RATE = 100  # mel frames per second
ENCODER_BATCH = 32  # partials per encoder run, to bound its working memory
MAX_PARTIALS = 32  # partials per colour, spread evenly: ~26 s of speech pins a voice down


def _lone_mel_frames(
    seg: Segmentation, members: list[tuple[int, int]], onset: float, num_mel: int
) -> np.ndarray:
    """Return sorted mel frame indices where the ``members`` speak with no one else."""
    picked = np.zeros(num_mel, dtype=bool)
    for w, k in members:
        busy = seg.scores[w] > onset
        alone = busy[:, k] & (busy.sum(axis=1) == 1)
        times = seg.starts[w] + np.flatnonzero(alone) * FRAME_STEP + FRAME_SPAN / 2
        first = np.floor((times - FRAME_STEP / 2) * MEL_RATE).astype(int)
        for offset in range(int(np.ceil(FRAME_STEP * MEL_RATE)) + 1):
            index = first + offset
            picked[index[(index >= 0) & (index < num_mel)]] = True
    return np.flatnonzero(picked)


def embed(mels: np.ndarray, encoder: ort.InferenceSession) -> np.ndarray | None:
    """Return the L2-normalised mean embedding of ``mels`` split into partials, or None.

    Partials go through the encoder ENCODER_BATCH at a time, never all stacked at once.
    """
    if len(mels) < MIN_FRAMES:
        return None
    starts = [0] if len(mels) <= PARTIAL else range(0, len(mels) - PARTIAL + 1, PARTIAL // 2)
    if len(starts) > MAX_PARTIALS:
        starts = [starts[i * len(starts) // MAX_PARTIALS] for i in range(MAX_PARTIALS)]
    total = None
    for i in range(0, len(starts), ENCODER_BATCH):
        batch = np.stack([mels[s : s + PARTIAL] for s in starts[i : i + ENCODER_BATCH]])
        vectors = encoder.run(None, {"mels": batch.astype(np.float32)})[0].sum(axis=0)
        total = vectors if total is None else total + vectors
    mean = total / len(starts)
    return mean / max(float(np.linalg.norm(mean)), 1e-8)


def link_components(
    samples: np.ndarray,
    seg: Segmentation,
    nodes: list[tuple[int, int]],
    labels: np.ndarray,
    comp: np.ndarray,
    encoder: ort.InferenceSession,
    onset: float,
) -> np.ndarray:
    """Return ``labels`` with whole components flipped to agree with the largest ones."""
    ids = sorted(np.unique(comp), key=lambda c: -int((comp == c).sum()))
    if len(ids) < 2:
        return labels
    num_mel = 1 + samples.size // HOP
    labels = labels.copy()
    groups: dict[int, list[int]] = {}
    for i, c in enumerate(comp):
        groups.setdefault(int(c), []).append(i)
    reference: list[np.ndarray | None] = [None, None]
    for c in ids:
        own = []
        for colour in (0, 1):
            members = [nodes[i] for i in groups[c] if labels[i] == colour]
            frames = _lone_mel_frames(seg, members, onset, num_mel)
            own.append(embed(mel_frames(samples, frames), encoder))
        keep = flip = 0.0
        for colour in (0, 1):
            for other in (0, 1):
                if own[colour] is None or reference[other] is None:
                    continue
                ref = reference[other]
                similarity = float(own[colour] @ ref) / max(float(np.linalg.norm(ref)), 1e-8)
                if colour == other:
                    keep += similarity
                else:
                    flip += similarity
        if flip > keep:
            labels[comp == c] = 1 - labels[comp == c]
            own = own[::-1]
        for colour in (0, 1):
            if own[colour] is not None:
                ref = reference[colour]
                reference[colour] = own[colour] if ref is None else ref + own[colour]
    return labels
