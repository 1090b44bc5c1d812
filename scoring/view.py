"""A prepared, read-only view of a transcript that detectors search."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from scoring.text import fold, has_cjk, is_chinese, normalize
from transcription.schema import Segment, Transcript

ANY = "any"


@dataclass(frozen=True)
class Scope:
    """Which speech a detector looks at: a role (or "any") and a time window."""

    role: str = ANY
    start: float = -math.inf
    end: float = math.inf

    def narrowed(self, start: float, end: float) -> Scope:
        """Return this scope restricted to ``start``..``end``."""
        return Scope(self.role, max(self.start, start), min(self.end, end))


class Corpus:
    """The normalised text of some segments joined into one searchable string."""

    def __init__(self, view: CallView, indices: list[int]) -> None:
        self.view = view
        self.indices = indices
        self.text, self.offsets = _join([view.norm[i] for i in indices])

    @cached_property
    def words(self) -> frozenset[str]:
        """Return the set of space-separated words in ``text``."""
        return frozenset(self.text.split())

    @cached_property
    def folded(self) -> str:
        """Return the case/script-folded texts (punctuation kept), one per line."""
        text, self._folded_offsets = _join([self.view.folded[i] for i in self.indices])
        return text

    def index_at(self, pos: int, folded: bool = False) -> int:
        """Return the segment index holding character ``pos`` of ``text`` (or ``folded``)."""
        offsets = self._folded_offsets if folded else self.offsets
        return self.indices[bisect_right(offsets, pos) - 1]


def _join(texts: list[str]) -> tuple[str, list[int]]:
    """Return ``texts`` joined by newlines and the offset where each starts."""
    offsets = list(accumulate((len(t) + 1 for t in texts), initial=0))
    return "\n".join(texts), offsets[:-1]


class CallView:
    """Segments in time order with their roles and normalised texts."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.segments: list[Segment] = sorted(transcript.segments, key=lambda s: (s.start, s.id))
        roles = {s.id: s.role for s in transcript.speakers}
        self.roles = [
            s.role if s.role != "unknown" else roles.get(s.speaker, "unknown")
            for s in self.segments
        ]
        self._corpora: dict[Scope, Corpus] = {}
        self._asr: dict[int, float] = {}

    @cached_property
    def norm(self) -> list[str]:
        """Return the normalised text of every segment."""
        return [normalize(s.text) for s in self.segments]

    @cached_property
    def folded(self) -> list[str]:
        """Return every segment's text folded (case, width, script), single-line."""
        return [fold(s.text).replace("\n", " ") for s in self.segments]

    @cached_property
    def chinese(self) -> bool:
        """Return whether the call is in Chinese."""
        if self.transcript.language:
            return is_chinese(self.transcript.language)
        return any(has_cjk(s.text) for s in self.segments[:20])

    @cached_property
    def speech_end(self) -> float:
        """Return the end of the last speech in the call."""
        return max((s.end for s in self.segments), default=0.0)

    @cached_property
    def position(self) -> dict[int, int]:
        """Return the index in ``segments`` of each segment id."""
        return {s.id: i for i, s in enumerate(self.segments)}

    @cached_property
    def by_role(self) -> dict[str, list[int]]:
        """Return segment indices per role (and all of them under "any")."""
        out: dict[str, list[int]] = {ANY: list(range(len(self.segments)))}
        for i, role in enumerate(self.roles):
            out.setdefault(role, []).append(i)
        return out

    def select(self, scope: Scope) -> list[int]:
        """Return indices of segments in ``scope`` (overlapping its window)."""
        indices = self.by_role.get(scope.role, [])
        if scope.start == -math.inf and scope.end == math.inf:
            return indices
        segs = self.segments
        return [i for i in indices if segs[i].end > scope.start and segs[i].start < scope.end]

    def corpus(self, scope: Scope) -> Corpus:
        """Return the searchable text of the segments in ``scope`` (cached)."""
        corpus = self._corpora.get(scope)
        if corpus is None:
            corpus = self._corpora[scope] = Corpus(self, self.select(scope))
        return corpus

    def speech_window(self, role: str, first_s: float) -> tuple[float, float]:
        """Return the time span covering the first ``first_s`` seconds of ``role``'s speech."""
        spoken = 0.0
        begin = None
        for seg, r in zip(self.segments, self.roles, strict=True):
            if role != ANY and r != role:
                continue
            if begin is None:
                begin = seg.start
            length = max(0.0, seg.end - seg.start)
            if spoken + length >= first_s:
                return begin, seg.start + (first_s - spoken)
            spoken += length
        return (begin if begin is not None else 0.0), math.inf

    def asr_confidence(self, index: int) -> float:
        """Return the mean word probability of a segment (its confidence without words)."""
        cached = self._asr.get(index)
        if cached is None:
            seg = self.segments[index]
            words = seg.words
            cached = sum(w.probability for w in words) / len(words) if words else seg.confidence
            self._asr[index] = cached
        return cached
