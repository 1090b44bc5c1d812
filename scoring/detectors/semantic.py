"""Semantic detector: sentence-embedding similarity to example utterances."""

from __future__ import annotations

from typing import Any

import numpy as np

from scoring.detectors.base import Context, Detection, Detector, Hit, register
from scoring.errors import RubricError
from scoring.view import Scope

DEFAULT_THRESHOLDS = {"minilm": 0.6, "ngram": 0.45}


@register("semantic")
class SemanticDetector(Detector):
    """Find segments whose meaning is close to one of the example utterances."""

    fields = frozenset({"examples", "threshold"})

    def setup(self, config: dict[str, Any]) -> None:
        self.examples = self.strings(config, "examples")
        value = config.get("threshold", {})
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = dict.fromkeys(DEFAULT_THRESHOLDS, value)
        if not isinstance(value, dict) or set(value) - set(DEFAULT_THRESHOLDS):
            raise RubricError(
                "must be a number or a mapping of minilm/ngram to numbers", f"{self.path}.threshold"
            )
        self.thresholds = dict(DEFAULT_THRESHOLDS)
        for key in value:
            self.thresholds[key] = self.number(value, key, None, 0.0, 1.0)

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        threshold = self.thresholds[ctx.backend]
        indices = ctx.view.corpus(scope).indices
        if not indices:
            return Detection(False, [], 0.0, threshold)
        examples = ctx.embedder.encode(self.examples, ctx.backend)
        sims = (ctx.vectors(indices) @ examples.T).max(axis=1)
        order = np.flatnonzero(sims >= threshold)
        segs = ctx.view.segments
        hits = [
            Hit((indices[k],), segs[indices[k]].start, segs[indices[k]].end, float(sims[k]))
            for k in order
        ]
        best = int(np.argmax(sims))
        score = float(sims[best])
        return Detection(
            bool(hits), hits, score, threshold, len(hits), len(hits), near=indices[best]
        )
