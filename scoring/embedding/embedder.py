"""The embedder: picks a backend by language and caches vectors by text."""

from __future__ import annotations

import base64
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from scoring.errors import ScoringError
from scoring.text import has_cjk, is_chinese
from transcription.schema import Transcript

BACKENDS = ("minilm", "ngram")


@dataclass
class TranscriptEmbeddings:
    """Segment vectors of one transcript, computed once and stored by the app."""

    backend: str
    segment_ids: list[int]
    vectors: np.ndarray

    def has(self, segment_ids: list[int]) -> bool:
        """Return whether vectors of all ``segment_ids`` are stored."""
        return set(segment_ids) <= set(self.segment_ids)

    def matrix(self, segment_ids: list[int]) -> np.ndarray:
        """Return the vectors of ``segment_ids`` as rows."""
        rows = {sid: i for i, sid in enumerate(self.segment_ids)}
        try:
            return self.vectors[[rows[s] for s in segment_ids]]
        except KeyError as exc:
            raise ScoringError(f"no stored embedding for segment {exc.args[0]}") from exc

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (vectors as base64 float32)."""
        raw = np.ascontiguousarray(self.vectors, dtype="<f4").tobytes()
        return {
            "backend": self.backend,
            "segment_ids": list(self.segment_ids),
            "dim": int(self.vectors.shape[1]) if self.vectors.ndim == 2 else 0,
            "vectors": base64.b64encode(raw).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TranscriptEmbeddings:
        """Build stored embeddings from their JSON form."""
        try:
            flat = np.frombuffer(base64.b64decode(data["vectors"]), dtype="<f4")
            vectors = flat.reshape(len(data["segment_ids"]), int(data["dim"]))
            return cls(data["backend"], list(data["segment_ids"]), vectors.astype(np.float32))
        except (KeyError, ValueError, TypeError) as exc:
            raise ScoringError(f"not a transcript embeddings document: {exc}") from exc


class Embedder:
    """Encode texts with MiniLM (English and other Latin-script languages) or n-grams (Chinese)."""

    def __init__(self, model_dir: Path | None = None, *, cache_size: int = 100_000) -> None:
        self.model_dir = model_dir
        self.cache_size = cache_size
        self._models: dict[str, Any] = {}
        self._cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()

    def backend_for(self, language: str | None, chinese: bool = False) -> str:
        """Return the backend for a call language."""
        return "ngram" if chinese or is_chinese(language) else "minilm"

    def model(self, backend: str):
        """Return the (lazily loaded) model of ``backend``."""
        if backend not in BACKENDS:
            raise ScoringError(f"unknown embedding backend {backend!r}")
        if backend not in self._models:
            if backend == "minilm":
                from scoring.embedding.minilm import MiniLM

                self._models[backend] = MiniLM(self.model_dir)
            else:
                from scoring.embedding.ngram import CharNgram

                self._models[backend] = CharNgram()
        return self._models[backend]

    def encode(self, texts: list[str], backend: str) -> np.ndarray:
        """Return unit vectors of ``texts``, reusing cached ones."""
        missing = list(dict.fromkeys(t for t in texts if (backend, t) not in self._cache))
        if missing:
            for text, vector in zip(missing, self.model(backend).encode(missing), strict=True):
                self._cache[(backend, text)] = vector
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return np.stack([self._cache[(backend, t)] for t in texts])

    def embed_transcript(
        self, transcript: Transcript, roles: tuple[str, ...] = ("agent", "customer", "unknown")
    ) -> TranscriptEmbeddings:
        """Return vectors of the transcript's segments spoken in ``roles``."""
        speakers = {s.id: s.role for s in transcript.speakers}
        segs = [
            s
            for s in transcript.segments
            if (s.role if s.role != "unknown" else speakers.get(s.speaker, "unknown")) in roles
        ]
        chinese = any(has_cjk(s.text) for s in segs[:20])
        backend = self.backend_for(transcript.language, chinese and not transcript.language)
        vectors = self.model(backend).encode([s.text for s in segs])
        if not segs:
            vectors = np.zeros((0, 1), dtype=np.float32)
        return TranscriptEmbeddings(backend, [s.id for s in segs], vectors)


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """Return the process-wide embedder with the bundled model."""
    return Embedder()
