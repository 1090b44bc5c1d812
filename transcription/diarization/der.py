"""Diarisation error rate (collar 0, overlap-aware) and RTTM reading."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from transcription.schema import Turn


@dataclass
class DERComponents:
    """The parts of a DER computation, in seconds of speaker time."""

    total: float
    missed: float
    false_alarm: float
    confusion: float

    @property
    def der(self) -> float:
        """Return (missed + false alarm + confusion) / total reference speech."""
        if self.total <= 0:
            return 0.0 if self.missed + self.false_alarm + self.confusion <= 0 else 1.0
        return (self.missed + self.false_alarm + self.confusion) / self.total


def _elementary(
    reference: list[Turn], hypothesis: list[Turn]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], list[str]]:
    """Return interval durations and per-interval reference / hypothesis activity matrices."""
    bounds = sorted({t for turn in (*reference, *hypothesis) for t in (turn.start, turn.end)})
    edges = np.asarray(bounds, dtype=np.float64)
    if edges.size < 2:
        return np.zeros(0), np.zeros((0, 0)), np.zeros((0, 0)), [], []
    mids = (edges[:-1] + edges[1:]) / 2
    durations = np.diff(edges)

    def activity(turns: list[Turn]) -> tuple[np.ndarray, list[str]]:
        labels = sorted({t.speaker for t in turns})
        matrix = np.zeros((mids.size, len(labels)), dtype=bool)
        for turn in turns:
            col = labels.index(turn.speaker)
            matrix[:, col] |= (mids > turn.start) & (mids < turn.end)
        return matrix, labels

    ref, ref_labels = activity(reference)
    hyp, hyp_labels = activity(hypothesis)
    return durations, ref, hyp, ref_labels, hyp_labels


def der_components(reference: Iterable[Turn], hypothesis: Iterable[Turn]) -> DERComponents:
    """Return DER components with the optimal one-to-one speaker mapping."""
    ref_turns = [t for t in reference if t.end > t.start]
    hyp_turns = [t for t in hypothesis if t.end > t.start]
    durations, ref, hyp, _, _ = _elementary(ref_turns, hyp_turns)
    if durations.size == 0:
        return DERComponents(0.0, 0.0, 0.0, 0.0)
    n_ref = ref.sum(axis=1)
    n_hyp = hyp.sum(axis=1)
    co = (ref.astype(np.float64) * durations[:, None]).T @ hyp.astype(np.float64)
    correct = np.zeros_like(durations)
    if co.size:
        rows, cols = linear_sum_assignment(co, maximize=True)
        for r, c in zip(rows, cols, strict=True):
            correct += ref[:, r] & hyp[:, c]
    return DERComponents(
        total=float((durations * n_ref).sum()),
        missed=float((durations * np.maximum(n_ref - n_hyp, 0)).sum()),
        false_alarm=float((durations * np.maximum(n_hyp - n_ref, 0)).sum()),
        confusion=float((durations * (np.minimum(n_ref, n_hyp) - correct)).sum()),
    )


def diarization_error_rate(reference: Iterable[Turn], hypothesis: Iterable[Turn]) -> float:
    """Return the DER of ``hypothesis`` against ``reference`` (collar 0, overlap counted)."""
    return der_components(reference, hypothesis).der


def read_rttm(path: str | Path) -> list[Turn]:
    """Return the turns of an RTTM file (``SPEAKER`` lines only)."""
    turns = []
    for line in Path(path).read_text().splitlines():
        fields = line.split()
        if not fields or fields[0] != "SPEAKER":
            continue
        start, duration = float(fields[3]), float(fields[4])
        turns.append(Turn(start=start, end=start + duration, speaker=fields[7]))
    return turns


def splice_silence(
    samples: np.ndarray, reference: list[Turn], cut: float, resume: float, gap: float
) -> tuple[np.ndarray, list[Turn]]:
    """Return ``samples[:cut] + gap s of silence + samples[resume:]`` and its reference turns.

    Used to evaluate how an engine keeps speakers apart across a hold or long silence.
    """
    rate = 16000
    head, tail = samples[: int(cut * rate)], samples[int(resume * rate) :]
    mixed = np.concatenate([head, np.zeros(int(gap * rate), np.float32), tail])
    shift = cut + gap - resume
    turns = [Turn(t.start, min(t.end, cut), t.speaker) for t in reference if t.start < cut]
    turns += [
        Turn(max(t.start, resume) + shift, t.end + shift, t.speaker)
        for t in reference
        if t.end > resume
    ]
    return mixed, [t for t in turns if t.end > t.start]
