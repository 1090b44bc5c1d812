"""Phrase-list detectors: exact and fuzzy matching, and forbidden words."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from scoring.detectors.base import Context, Detection, Detector, Hit, register
from scoring.errors import RubricError
from scoring.text import has_cjk, normalize, strip_quoted
from scoring.view import Corpus, Scope

NEAR_BAND = 0.1


def _bounded(phrase: str) -> str:
    """Return a regex matching ``phrase``; Latin phrases must sit on word boundaries."""
    body = re.escape(phrase)
    return body if has_cjk(phrase) else rf"(?<!\w){body}(?!\w)"


def _anchors(phrase: str) -> list[str]:
    """Return short substrings one of which a fuzzy match of ``phrase`` almost surely holds."""
    if has_cjk(phrase):
        if len(phrase) < 4:
            return []
        picks = {0, len(phrase) // 2 - 1, len(phrase) - 2}
        return sorted({phrase[i : i + 2] for i in picks})
    words = phrase.split()
    if len(words) < 2 or len(phrase) < 8:
        return []
    return sorted(words, key=lambda w: (-len(w), w))[:2]


@register("phrase")
class PhraseDetector(Detector):
    """Find any of a list of phrases, tolerating small ASR errors."""

    fields = frozenset({"phrases", "fuzzy", "min_count"})
    default_fuzzy: float | None = 0.88

    def setup(self, config: dict[str, Any]) -> None:
        fuzzy = config.get("fuzzy", self.default_fuzzy)
        self.fuzzy = 1.0 if fuzzy in (False, None) else self.number(config, "fuzzy", fuzzy, 0.5, 1)
        self.min_count = int(self.number(config, "min_count", 1, 1, 1000))
        phrases = sorted({normalize(p) for p in self.strings(config, "phrases")} - {""})
        if not phrases:
            raise RubricError("has no phrase with letters in it", f"{self.path}.phrases")
        self.phrases = sorted(phrases, key=lambda p: (-len(p), p))
        self.pattern = re.compile("|".join(_bounded(p) for p in self.phrases))
        self.needles = [(p, not has_cjk(p), frozenset(p.split(" "))) for p in self.phrases]
        self.anchors = {p: a for p in self.phrases if (a := _anchors(p))}

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        view = ctx.view
        corpus = view.corpus(scope)
        text, size = view.text, len(view.text)
        hits: dict[int, Hit] = {}
        matched: set[str] = set()
        count = 0
        words = view.words
        exhaustive = self.exhaustive or self.counts_violations
        enough = 1_000_000 if exhaustive else self.min_count
        for phrase, bounded, parts in self.needles:
            # Normalised text is alphanumerics and spaces: a word-bounded match is whole tokens.
            if bounded and not words.issuperset(parts):
                continue
            seen = 0
            for pos, index in corpus.find(phrase):
                if seen >= enough:
                    break
                end = pos + len(phrase)
                if bounded and (
                    (pos and text[pos - 1].isalnum()) or (end < size and text[end].isalnum())
                ):
                    continue
                if self.keep(ctx, index):
                    count += 1
                    seen += 1
                    matched.add(phrase)
                    seg = view.segments[index]
                    hits.setdefault(index, Hit((index,), seg.start, seg.end, 1.0))
            if not exhaustive and count >= self.min_count:
                break
        if count >= self.min_count:
            ordered = sorted(hits.values(), key=lambda h: h.start)
            return Detection(True, ordered, 1.0, self.fuzzy, count, len(matched))
        if self.fuzzy >= 1.0 or not self.anchors:
            return Detection(False, [], 0.0, self.fuzzy, count, len(matched))
        return self._fuzzy(ctx, corpus, hits, count, matched)

    def keep(self, ctx: Context, index: int) -> bool:
        """Return whether an exact match in segment ``index`` counts."""
        return True

    def _fuzzy(self, ctx: Context, corpus: Corpus, hits, count: int, matched) -> Detection:
        """Score candidate segments (those holding an anchor) with fuzzy alignment."""
        best, near = 0.0, None
        cutoff = (self.fuzzy - NEAR_BAND) * 100
        for phrase, anchors in self.anchors.items():
            candidates = {index for anchor in anchors for _, index in corpus.find(anchor)}
            for index in sorted(candidates):
                text = ctx.view.norm[index]
                scorer = fuzz.partial_ratio if len(text) >= len(phrase) else fuzz.ratio
                score = scorer(phrase, text, score_cutoff=cutoff) / 100.0
                if score > best:
                    best, near = score, index
                if score >= self.fuzzy and index not in hits and self.keep(ctx, index):
                    seg = ctx.view.segments[index]
                    hits[index] = Hit((index,), seg.start, seg.end, score)
                    count += 1
                    matched.add(phrase)
        found = count >= self.min_count
        scores = [h.score for h in hits.values()]
        score = min(scores) if found and scores else best
        ordered = sorted(hits.values(), key=lambda h: h.start)
        return Detection(found, ordered, score, self.fuzzy, count, len(matched), near=near)


@register("forbidden")
class ForbiddenDetector(PhraseDetector):
    """Find forbidden phrases spoken by the agent (not quoted); any hit is a fault."""

    default_role = "agent"
    default_negate = True
    default_fuzzy = None

    def keep(self, ctx: Context, index: int) -> bool:
        text = ctx.view.segments[index].text
        if text == strip_quoted(text):
            return True
        return self.pattern.search(normalize(strip_quoted(text))) is not None
