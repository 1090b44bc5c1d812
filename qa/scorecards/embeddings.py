"""Segment embeddings kept on disk per transcript, so re-scores and back-tests reuse them."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from flask import current_app

from scoring.embedding import Embedder, TranscriptEmbeddings
from scoring.errors import ScoringError
from scoring.rubric import Rubric
from transcription.schema import Transcript

log = logging.getLogger(__name__)


def embedding_folder() -> Path:
    """Return the folder the current app keeps transcript embeddings in."""
    return Path(current_app.config["EMBEDDING_STORE"])


def transcript_embeddings(
    transcript: Transcript, rubrics: list[Rubric], embedder: Embedder, folder: Path | None = None
) -> TranscriptEmbeddings | None:
    """Return the vectors of every segment of ``transcript`` when a rubric compares meanings.

    Computed once and written to ``folder`` under a key of the segment texts; later calls
    (a re-score, a role swap, a back-test) read the file. A damaged file is computed again.
    """
    if not any(r.uses_embeddings for r in rubrics) or not transcript.segments:
        return None
    folder = folder or embedding_folder()
    key = embedder.transcript_key(transcript)
    path = folder / key[:2] / f"{key}.npz"
    if path.exists():
        try:
            return TranscriptEmbeddings.from_bytes(path.read_bytes())
        except (OSError, ScoringError) as exc:
            log.warning("recomputing embeddings %s: %s", path.name, exc)
    vectors = embedder.embed_transcript(transcript)
    try:
        _write(path, vectors.to_bytes())
    except OSError as exc:  # a cache: scoring goes on without it
        log.warning("could not keep embeddings %s: %s", path.name, exc)
    return vectors


def _write(path: Path, raw: bytes) -> None:
    """Write ``raw`` to ``path`` atomically (readers never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
