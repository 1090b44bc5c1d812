"""Character n-gram vectors: a language-agnostic similarity used for Chinese."""

from __future__ import annotations

import math
import zlib
from collections import Counter

import numpy as np

from scoring.text import normalize

WEIGHTS = {1: 0.5, 2: 1.0, 3: 1.0}
STOP_CHARS = frozenset("的了吗呢啊吧呀么是我您你他她它这那就也都很在有")


class CharNgram:
    """Hash character 1-3-grams of normalised (Simplified, space-free) text into a vector."""

    def __init__(self, dim: int = 4096) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return one unit vector per text."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams: Counter[tuple[int, str]] = Counter()
            chars = normalize(text)
            for n in WEIGHTS:
                for i in range(len(chars) - n + 1):
                    gram = chars[i : i + n]
                    if n == 1 and (gram in STOP_CHARS or gram == " "):
                        continue
                    grams[(n, gram)] += 1
            for (n, gram), count in grams.items():
                slot = zlib.crc32(gram.encode("utf-8")) % self.dim
                out[row, slot] += WEIGHTS[n] * (1.0 + math.log(count))
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
        return out
