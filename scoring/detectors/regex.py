"""Regular-expression detector, run on case- and script-folded segment text."""

from __future__ import annotations

import re
from typing import Any

from scoring.detectors.base import EVIDENCE_HITS, Context, Detection, Detector, Hit, register
from scoring.detectors.literals import case_free, required_literals
from scoring.errors import RubricError
from scoring.text import fold
from scoring.view import Corpus, Scope


@register("regex")
class RegexDetector(Detector):
    """Find segments matching any of a list of regular expressions."""

    fields = frozenset({"patterns"})

    def setup(self, config: dict[str, Any]) -> None:
        self.patterns = []
        for i, pattern in enumerate(self.strings(config, "patterns")):
            try:
                folded = fold(pattern)
                compiled = re.compile(folded, re.IGNORECASE | re.MULTILINE)
                # Folded ASCII text is lower-case: a case-free pattern needs no re.I there.
                plain = (
                    re.compile(folded, re.MULTILINE)
                    if case_free(folded, re.IGNORECASE)
                    else compiled
                )
                literals = required_literals(folded, re.IGNORECASE)
                self.patterns.append((compiled, plain, literals))
            except re.error as exc:
                raise RubricError(
                    f"bad regular expression: {exc}", f"{self.path}.patterns[{i}]"
                ) from exc

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        corpus = ctx.view.corpus(scope)
        folded, segments = ctx.view.folded, ctx.view.segments
        hits: dict[int, Hit] = {}
        count, distinct = 0, set()
        exhaustive = self.exhaustive or self.counts_violations
        for pattern, plain, literals in self.patterns:
            if hits and not exhaustive:
                break
            for index in self._candidates(corpus, literals):
                text = folded[index]
                compiled = plain if text.isascii() else pattern
                # Only counted results need every match; the others stop at what they show.
                n = len(compiled.findall(text)) if exhaustive else int(bool(compiled.search(text)))
                if n:
                    count += n
                    distinct.add(pattern.pattern)
                    if index not in hits:
                        seg = segments[index]
                        hits[index] = Hit((index,), seg.start, seg.end, 1.0)
                        if not exhaustive and len(hits) >= EVIDENCE_HITS:
                            break
        ordered = sorted(hits.values(), key=lambda h: h.start)
        return Detection(bool(hits), ordered, 1.0 if hits else 0.0, 1.0, count, len(distinct))

    @staticmethod
    def _candidates(corpus: Corpus, literals: frozenset[str] | None) -> list[int]:
        """Return the segments that hold one of ``literals`` (all when there are none)."""
        if literals is None:
            return corpus.indices
        return sorted({index for lit in literals for index in corpus.holding(lit, folded=True)})
