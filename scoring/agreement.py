"""Agreement statistics between raters: accuracy, Cohen's kappa, Fleiss' kappa."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def accuracy(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Return the share of positions where two raters gave the same label."""
    _check_pair(a, b)
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Return Cohen's kappa between two raters' labels of the same items."""
    _check_pair(a, b)
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if expected >= 1.0:
        return 1.0 if observed >= 1.0 else 0.0
    return (observed - expected) / (1.0 - expected)


def fleiss_kappa(ratings: Sequence[Sequence[Hashable]]) -> float:
    """Return Fleiss' kappa; ``ratings[i]`` holds every rater's label for item ``i``."""
    if not ratings:
        raise ValueError("fleiss_kappa needs at least one rated item")
    raters = len(ratings[0])
    if raters < 2 or any(len(r) != raters for r in ratings):
        raise ValueError("every item needs the same number (>= 2) of ratings")
    n = len(ratings)
    totals: Counter = Counter()
    p_items = 0.0
    for labels in ratings:
        counts = Counter(labels)
        totals.update(counts)
        p_items += (sum(c * c for c in counts.values()) - raters) / (raters * (raters - 1))
    p_bar = p_items / n
    p_e = sum((c / (n * raters)) ** 2 for c in totals.values())
    if p_e >= 1.0:
        return 1.0 if p_bar >= 1.0 else 0.0
    return (p_bar - p_e) / (1.0 - p_e)


def _check_pair(a: Sequence[Hashable], b: Sequence[Hashable]) -> None:
    if len(a) != len(b) or not a:
        raise ValueError("both raters must label the same non-empty list of items")
