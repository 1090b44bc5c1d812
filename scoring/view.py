"""A prepared, read-only view of a transcript that detectors search."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import cached_property
from itertools import accumulate
from operator import add, attrgetter
from typing import NamedTuple

from scoring.text import has_cjk, is_chinese, prepare
from transcription.schema import Segment, Transcript

ANY = "any"
_PROBABILITY = attrgetter("probability")


class Scope(NamedTuple):
    """Which speech a detector looks at: a role (or "any") and a time window."""

    role: str = ANY
    start: float = -math.inf
    end: float = math.inf

    def narrowed(self, start: float, end: float) -> Scope:
        """Return this scope restricted to ``start``..``end``."""
        return Scope(self.role, max(self.start, start), min(self.end, end))


class Corpus:
    """The segments in a scope, searched inside the call's joined text."""

    def __init__(self, view: CallView, indices: list[int]) -> None:
        self.view = view
        self.indices = indices
        self.whole = len(indices) == len(view.segments)
        self.members = frozenset(indices)

    def find(self, needle: str, folded: bool = False) -> Iterator[tuple[int, int]]:
        """Yield the position in the call's text and the segment of each ``needle`` found."""
        if not self.indices:
            return
        view = self.view
        text, offsets = view.folded_joined if folded else view.joined
        lo = offsets[self.indices[0]]
        last = self.indices[-1]
        hi = offsets[last + 1] - 1 if last + 1 < len(offsets) else len(text)
        pos = text.find(needle, lo, hi)
        while pos != -1:
            index = bisect_right(offsets, pos) - 1
            if self.whole or index in self.members:
                yield pos, index
            pos = text.find(needle, pos + 1, hi)

    def holding(self, needle: str, folded: bool = False) -> list[int]:
        """Return the indices of the segments in scope whose text contains ``needle``."""
        if not self.indices:
            return []
        view, indices = self.view, self.indices
        text, offsets = view.folded_joined if folded else view.joined
        texts = view.folded if folded else view.norm
        last = indices[-1]
        hi = offsets[last + 1] - 1 if last + 1 < len(offsets) else len(text)
        pos = text.find(needle, offsets[indices[0]], hi)
        if pos == -1:
            return []
        first = bisect_left(indices, bisect_right(offsets, pos) - 1)
        return [i for i in indices[first:] if needle in texts[i]]


def _join(texts: list[str]) -> tuple[str, list[int]]:
    """Return ``texts`` joined by newlines and the offset where each starts."""
    offsets = list(map(add, accumulate(map(len, texts), initial=0), range(len(texts))))
    return "\n".join(texts), offsets


class CallView:
    """Segments in time order with their roles and normalised texts."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.segments: list[Segment] = sorted(transcript.segments, key=attrgetter("start", "id"))
        roles = {s.id: s.role for s in transcript.speakers}
        self.roles = [
            s.role if s.role != "unknown" else roles.get(s.speaker, "unknown")
            for s in self.segments
        ]
        self._corpora: dict[Scope, Corpus] = {}
        self._asr: dict[int, float] = {}

    @cached_property
    def _prepared(self) -> tuple[list[str], list[str]]:
        """Return the normalised and the folded text of every segment."""
        return prepare([s.text for s in self.segments])

    @property
    def norm(self) -> list[str]:
        """Return the normalised text of every segment."""
        return self._prepared[0]

    @property
    def folded(self) -> list[str]:
        """Return every segment's text folded (case, width, script), single-line."""
        return self._prepared[1]

    @cached_property
    def joined(self) -> tuple[str, list[int]]:
        """Return the normalised texts joined by newlines and the offset where each starts."""
        return _join(self.norm)

    @property
    def text(self) -> str:
        """Return the normalised texts joined by newlines."""
        return self.joined[0]

    @cached_property
    def folded_joined(self) -> tuple[str, list[int]]:
        """Return the folded texts joined by newlines and the offset where each starts."""
        return _join(self.folded)

    @cached_property
    def _tokens(self) -> list[str]:
        """Return the whitespace-separated words of the call's normalised text."""
        return self.text.split()

    @cached_property
    def words(self) -> frozenset[str]:
        """Return the set of words in the call's normalised text."""
        return frozenset(self._tokens)

    @cached_property
    def chinese(self) -> bool:
        """Return whether the call is in Chinese."""
        if self.transcript.language:
            return is_chinese(self.transcript.language)
        return any(has_cjk(s.text) for s in self.segments[:20])

    @cached_property
    def speech_end(self) -> float:
        """Return the end of the last speech in the call."""
        return max(map(attrgetter("end"), self.segments), default=0.0)

    @cached_property
    def position(self) -> dict[int, int]:
        """Return the index in ``segments`` of each segment id."""
        return {s.id: i for i, s in enumerate(self.segments)}

    @cached_property
    def by_role(self) -> dict[str, list[int]]:
        """Return segment indices per role (and all of them under "any")."""
        roles = self.roles
        out: dict[str, list[int]] = {ANY: list(range(len(roles)))}
        for role in set(roles):
            out.setdefault(role, []).extend([i for i, r in enumerate(roles) if r == role])
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
            cached = sum(map(_PROBABILITY, words)) / len(words) if words else seg.confidence
            self._asr[index] = cached
        return cached
