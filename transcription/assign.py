"""Give words to speakers from diarisation turns and split segments where speakers change."""

from __future__ import annotations

import numpy as np

from transcription.chinese import join_words
from transcription.schema import Segment, Turn, Word


def overlap_regions(turns: list[Turn]) -> list[tuple[float, float]]:
    """Return the merged stretches where two or more speakers' turns overlap."""
    regions = []
    active: list[Turn] = []
    for turn in sorted(turns, key=lambda t: t.start):
        active = [a for a in active if a.end > turn.start]
        for a in active:
            if a.speaker != turn.speaker:
                regions.append((turn.start, min(a.end, turn.end)))
        active.append(turn)
    merged: list[tuple[float, float]] = []
    for start, end in sorted(regions):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _in_overlap(word: Word, regions: list[tuple[float, float]]) -> bool:
    """Return True when at least half of ``word`` (or its midpoint) lies in an overlap region."""
    span = word.end - word.start
    shared = sum(max(0.0, min(word.end, e) - max(word.start, s)) for s, e in regions)
    if span <= 0:
        return any(s <= word.start <= e for s, e in regions)
    return bool(shared >= 0.5 * span)


def assign_words(words: list[Word], turns: list[Turn]) -> None:
    """Set each word's speaker (largest overlap, else nearest turn) and overlap flag."""
    if not turns:
        return
    starts = np.array([t.start for t in turns])
    ends = np.array([t.end for t in turns])
    speakers = sorted({t.speaker for t in turns})
    index = np.array([speakers.index(t.speaker) for t in turns])
    regions = overlap_regions(turns)
    for word in words:
        shared = np.minimum(ends, word.end) - np.maximum(starts, word.start)
        if (shared > 0).any():
            per_speaker = np.bincount(
                index, weights=np.clip(shared, 0, None), minlength=len(speakers)
            )
            word.speaker = speakers[int(np.argmax(per_speaker))]
        else:
            gap = np.maximum(starts - word.end, word.start - ends)
            word.speaker = turns[int(np.argmin(gap))].speaker
        word.overlap = bool(regions) and _in_overlap(word, regions)


def mark_overlaps(segments: list[Segment], turns: list[Turn]) -> None:
    """Flag words (and their segments) that fall where two speakers talk at once."""
    regions = overlap_regions(turns)
    for segment in segments:
        for word in segment.words:
            word.overlap = bool(regions) and _in_overlap(word, regions)
        segment.overlap = any(w.overlap for w in segment.words)


def split_by_speaker(segment: Segment) -> list[Segment]:
    """Split a segment into runs of words with one speaker each."""
    runs: list[list[Word]] = []
    for word in segment.words:
        if runs and runs[-1][-1].speaker == word.speaker:
            runs[-1].append(word)
        else:
            runs.append([word])
    return [
        Segment(
            id=segment.id,
            start=run[0].start,
            end=run[-1].end,
            text=join_words([w.text for w in run]),
            speaker=run[0].speaker,
            role=segment.role,
            confidence=segment.confidence,
            overlap=any(w.overlap for w in run),
            words=run,
        )
        for run in runs
    ]


def renumber(segments: list[Segment]) -> list[Segment]:
    """Sort segments by time and give them ids 0, 1, 2, ..."""
    segments = sorted(segments, key=lambda s: (s.start, s.end))
    for i, segment in enumerate(segments):
        segment.id = i
    return segments


def assign_segments(segments: list[Segment], turns: list[Turn]) -> list[Segment]:
    """Return segments with one speaker each, words assigned from ``turns``."""
    out = []
    for segment in segments:
        assign_words(segment.words, turns)
        out.extend(split_by_speaker(segment))
    return renumber(out)


def turns_from_segments(segments: list[Segment], max_gap: float = 0.5) -> list[Turn]:
    """Return speaker turns built from word timings, joining pauses up to ``max_gap``."""
    spans: dict[str, list[tuple[float, float]]] = {}
    for segment in segments:
        for word in segment.words:
            spans.setdefault(word.speaker or "S0", []).append((word.start, word.end))
    turns = []
    for speaker, items in spans.items():
        items.sort()
        start, end = items[0]
        for s, e in items[1:]:
            if s - end > max_gap:
                turns.append(Turn(start=start, end=end, speaker=speaker))
                start = s
            end = max(end, e)
        turns.append(Turn(start=start, end=end, speaker=speaker))
    return sorted(turns, key=lambda t: (t.start, t.end))
