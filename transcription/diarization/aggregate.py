"""Turn per-window, per-node activity into global speaker turns."""

from __future__ import annotations

import numpy as np

from transcription.diarization.segmentation import FRAME_SPAN, FRAME_STEP, Segmentation
from transcription.schema import Turn


def global_activity(
    seg: Segmentation,
    nodes: list[tuple[int, int]],
    labels: np.ndarray,
    num_speakers: int,
    onset: float,
) -> np.ndarray:
    """Return a (frames, num_speakers) boolean activity matrix on the global frame grid.

    Scores of the local speakers mapped to each global speaker are averaged over the
    windows covering a frame; the number of speakers active in a frame is the rounded
    average count of active local speakers, and that many top-scoring speakers are kept.
    """
    frames = seg.scores.shape[1]
    total = seg.num_frames
    score = np.zeros((total, num_speakers))
    count = np.zeros(total)
    cover = np.zeros(total)
    for (w, k), label in zip(nodes, labels, strict=True):
        at = seg.offset(w)
        score[at : at + frames, label] += seg.scores[w, :, k]
    for w in range(len(seg.starts)):
        at = seg.offset(w)
        count[at : at + frames] += (seg.scores[w] > onset).sum(axis=1)
        cover[at : at + frames] += 1
    cover = np.maximum(cover, 1)
    score /= cover[:, None]
    speakers = np.minimum(np.round(count / cover), num_speakers).astype(int)
    ranked = np.argsort(-score, axis=1, kind="stable")
    active = np.zeros((total, num_speakers), dtype=bool)
    for rank in range(num_speakers):
        rows = np.flatnonzero(speakers > rank)
        active[rows, ranked[rows, rank]] = True
    return active


def to_turns(active: np.ndarray, duration: float) -> list[Turn]:
    """Return time-ordered turns for a frame activity matrix, clipped to ``duration``."""
    origin = FRAME_SPAN / 2 - FRAME_STEP / 2
    turns = []
    for speaker in range(active.shape[1]):
        edges = np.diff(np.concatenate([[0], active[:, speaker].astype(int), [0]]))
        for on, off in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
            start = max(0.0, origin + on * FRAME_STEP)
            end = min(duration, origin + off * FRAME_STEP)
            if end > start:
                turns.append(Turn(round(start, 3), round(end, 3), f"S{speaker}"))
    return sorted(turns, key=lambda t: (t.start, t.speaker))


def renumber(turns: list[Turn]) -> list[Turn]:
    """Return ``turns`` with speakers renamed S0, S1, ... in order of first speech."""
    names: dict[str, str] = {}
    for turn in sorted(turns, key=lambda t: t.start):
        names.setdefault(turn.speaker, f"S{len(names)}")
    return [Turn(t.start, t.end, names[t.speaker]) for t in turns]
