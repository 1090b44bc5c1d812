"""Word error rate for checking recognition against a reference text."""

from __future__ import annotations

import re

import numpy as np

_TOKEN = re.compile(r"[\u3400-\u9fff]|[\w']+")


def tokens(text: str) -> list[str]:
    """Return lower-case words (one per CJK character), punctuation removed."""
    return _TOKEN.findall(text.lower())


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Return the Levenshtein distance between two token lists."""
    row = np.arange(len(hyp) + 1)
    for i, r in enumerate(ref, start=1):
        prev, row = row, np.empty_like(row)
        row[0] = i
        for j, h in enumerate(hyp, start=1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (r != h))
    return int(row[-1])


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Return WER (character error rate for Chinese) of ``hypothesis`` against ``reference``."""
    ref, hyp = tokens(reference), tokens(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)
