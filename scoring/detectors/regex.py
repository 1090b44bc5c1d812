"""Regular-expression detector, run on case- and script-folded segment text."""

from __future__ import annotations

import re
from typing import Any

from scoring.detectors.base import Context, Detection, Detector, Hit, register
from scoring.detectors.literals import required_literals
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
                self.patterns.append((compiled, required_literals(folded, re.IGNORECASE)))
            except re.error as exc:
                raise RubricError(
                    f"bad regular expression: {exc}", f"{self.path}.patterns[{i}]"
                ) from exc

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        corpus = ctx.view.corpus(scope)
        folded = ctx.view.folded
        hits: dict[int, Hit] = {}
        count, distinct = 0, set()
        exhaustive = self.exhaustive or self.counts_violations
        for pattern, literals in self.patterns:
            if hits and not exhaustive:
                break
            for index in self._candidates(corpus, literals):
                n = len(pattern.findall(folded[index]))
                if n:
                    count += n
                    distinct.add(pattern.pattern)
                    seg = ctx.view.segments[index]
                    hits.setdefault(index, Hit((index,), seg.start, seg.end, 1.0))
        ordered = sorted(hits.values(), key=lambda h: h.start)
        return Detection(bool(hits), ordered, 1.0 if hits else 0.0, 1.0, count, len(distinct))

    @staticmethod
    def _candidates(corpus: Corpus, literals: frozenset[str] | None) -> list[int]:
        """Return the segments that hold one of ``literals`` (all when there are none)."""
        if literals is None:
            return corpus.indices
        return sorted({index for lit in literals for _, index in corpus.find(lit, folded=True)})
