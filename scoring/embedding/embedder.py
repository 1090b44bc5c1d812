"""The embedder: picks a backend by language and caches vectors by text."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
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
MODELS = {"minilm": "all-MiniLM-L6-v2", "ngram": "char-ngram-4096"}  # what a stored vector means


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

    def to_bytes(self) -> bytes:
        """Return the vectors and segment ids as one ``.npz`` file's bytes (float32)."""
        out = io.BytesIO()
        np.savez(
            out,
            backend=np.array(self.backend),
            segment_ids=np.asarray(self.segment_ids, dtype=np.int64),
            vectors=np.ascontiguousarray(self.vectors, dtype=np.float32),
        )
        return out.getvalue()

    @classmethod
    def from_bytes(cls, raw: bytes) -> TranscriptEmbeddings:
        """Read what :meth:`to_bytes` wrote."""
        try:
            with np.load(io.BytesIO(raw), allow_pickle=False) as data:
                ids, vectors = data["segment_ids"].tolist(), data["vectors"]
                backend = str(data["backend"])
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise ScoringError(f"not a transcript embeddings file: {exc}") from exc
        if backend not in BACKENDS or vectors.ndim != 2 or len(ids) != vectors.shape[0]:
            raise ScoringError("not a transcript embeddings file: shapes or backend do not match")
        return cls(backend, ids, vectors.astype(np.float32))

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

    def transcript_backend(self, transcript: Transcript) -> str:
        """Return the backend :meth:`embed_transcript` uses for ``transcript``."""
        chinese = any(has_cjk(s.text) for s in transcript.segments[:20])
        return self.backend_for(transcript.language, chinese and not transcript.language)

    def transcript_key(self, transcript: Transcript) -> str:
        """Return a key naming the vectors of every segment of ``transcript`` (sha256 hex).

        It changes when a segment's text or id, the backend or its model changes, and not
        when speakers or roles do: a role swap reuses the stored vectors.
        """
        backend = self.transcript_backend(transcript)
        model = self.model_dir.name if self.model_dir and backend == "minilm" else MODELS[backend]
        digest = hashlib.sha256(f"{backend}\x00{model}".encode())
        for seg in transcript.segments:
            digest.update(f"\x00{seg.id}\x00{seg.text}".encode())
        return digest.hexdigest()

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
        backend = self.transcript_backend(transcript)
        vectors = self.model(backend).encode([s.text for s in segs])
        if not segs:
            vectors = np.zeros((0, 1), dtype=np.float32)
        return TranscriptEmbeddings(backend, [s.id for s in segs], vectors)


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """Return the process-wide embedder with the bundled model."""
    return Embedder()
