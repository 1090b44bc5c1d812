"""Detectors combining others: any-of, all-of, and an ordered sequence."""

from __future__ import annotations

from typing import Any

from scoring.detectors.base import Context, Detection, Detector, build_detector, register
from scoring.errors import RubricError
from scoring.view import Scope


class _Group(Detector):
    fields = frozenset({"of"})

    def setup(self, config: dict[str, Any]) -> None:
        parts = config.get("of")
        if not isinstance(parts, list) or not parts:
            raise RubricError("must be a non-empty list of detectors", f"{self.path}.of")
        self.parts = [build_detector(p, f"{self.path}.of[{i}]") for i, p in enumerate(parts)]

    def children(self) -> list[Detector]:
        return self.parts


@register("any")
class AnyDetector(_Group):
    """Match when any listed detector matches; stop at the first exact match."""

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        results = []
        for part in self.parts:
            result = part.run(ctx, scope)
            if result.found and result.score >= 1.0:
                return result
            results.append(result)
        found = [r for r in results if r.found]
        if found:
            return max(found, key=lambda r: (r.score - r.threshold, -len(r.hits)))
        return max(results, key=lambda r: r.score - r.threshold)


@register("all")
class AllDetector(_Group):
    """Match when every listed detector matches."""

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        results = [p.run(ctx, scope) for p in self.parts]
        weakest = min(results, key=lambda r: (r.found, r.score - r.threshold))
        if not weakest.found:
            return weakest
        hits = sorted((h for r in results for h in r.hits[:1]), key=lambda h: h.start)
        return Detection(True, hits, weakest.score, weakest.threshold, len(hits), len(hits))


@register("sequence")
class SequenceDetector(Detector):
    """Match when ``first`` is found and it starts before ``then`` is first found."""

    fields = frozenset({"first", "then"})

    def setup(self, config: dict[str, Any]) -> None:
        self.first = self.child(config, "first")
        self.then = self.child(config, "then")

    def children(self) -> list[Detector]:
        return [self.first, self.then]

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        first, then = self.first.run(ctx, scope), self.then.run(ctx, scope)
        weakest = min((first, then), key=lambda r: (r.found, r.score - r.threshold))
        if not (first.found and then.found):
            weakest.found = False
            weakest.note = "step missing: " + ("first" if not first.found else "then")
            return weakest
        a, b = first.hits[0], then.hits[0]
        ordered = a.start <= b.start
        note = "" if ordered else "steps out of order"
        return Detection(ordered, [a, b], weakest.score, weakest.threshold, 1, 1, note=note)
