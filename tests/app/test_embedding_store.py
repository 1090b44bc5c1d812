"""Segment embeddings are computed once per transcript and read back by re-scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.scorecards.embeddings import transcript_embeddings
from qa.scorecards.services import score_call, scorecards_for_call
from scoring.embedding import Embedder
from scoring.rubric import Rubric
from transcription.roles import swap_roles
from transcription.schema import Transcript

SEMANTIC = """
key: sem
name: Semantic
version: 1
languages: [en]
sections:
  - key: s
    title: S
    items:
      - key: plan
        title: Explains the plan
        stage: resolution
        detector: {type: semantic, examples: ["Let me explain how your new plan works."]}
"""
RULES = SEMANTIC.replace(
    '{type: semantic, examples: ["Let me explain how your new plan works."]}',
    '{type: phrase, phrases: ["your plan"]}',
)


class Counting(Embedder):
    """An embedder that counts the texts it had to run the model on."""

    def __init__(self) -> None:
        super().__init__()
        self.encoded = 0

    def embed_transcript(self, transcript, roles=("agent", "customer", "unknown")):
        self.encoded += len(transcript.segments)
        return super().embed_transcript(transcript, roles)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.npz"))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "embeddings-under-test"


def test_computed_once_then_read_from_disk(app, make_scored_call, store):
    call = make_scored_call()
    transcript = Transcript.from_dict(call.transcript.data)
    embedder, rubric = Counting(), Rubric.from_yaml(SEMANTIC)
    first = transcript_embeddings(transcript, [rubric], embedder, store)
    assert embedder.encoded == len(transcript.segments) and len(_files(store)) == 1
    again = transcript_embeddings(transcript, [rubric], embedder, store)
    assert embedder.encoded == len(transcript.segments)  # read back, not recomputed
    assert again.segment_ids == first.segment_ids and (again.vectors == first.vectors).all()
    swap_roles(transcript)  # roles do not change the key: a role swap reuses the vectors
    transcript_embeddings(transcript, [rubric], embedder, store)
    assert embedder.encoded == len(transcript.segments)
    transcript.segments[0].text += " and more"
    transcript_embeddings(transcript, [rubric], embedder, store)
    assert len(_files(store)) == 2


def test_rule_only_rubrics_store_nothing(app, make_scored_call, store):
    transcript = Transcript.from_dict(make_scored_call().transcript.data)
    assert transcript_embeddings(transcript, [Rubric.from_yaml(RULES)], Counting(), store) is None
    assert _files(store) == []


def test_a_damaged_file_is_computed_again(app, make_scored_call, store):
    transcript = Transcript.from_dict(make_scored_call().transcript.data)
    embedder, rubric = Counting(), Rubric.from_yaml(SEMANTIC)
    transcript_embeddings(transcript, [rubric], embedder, store)
    (path,) = _files(store)
    path.write_bytes(b"not an npz file")
    vectors = transcript_embeddings(transcript, [rubric], embedder, store)
    assert embedder.encoded == 2 * len(transcript.segments) and vectors.vectors.shape[0] > 0


def test_score_call_keeps_embeddings_and_rescores_the_same(app, make_scored_call, monkeypatch):
    call = make_scored_call()  # the default English rubrics have semantic items
    folder = Path(app.config["EMBEDDING_STORE"])
    assert len(_files(folder)) == 1
    before = [c.data for c in scorecards_for_call(call.id)]

    def no_model(self, backend):
        raise AssertionError("the model ran again")

    monkeypatch.setattr(Embedder, "model", no_model)
    score_call(call, Transcript.from_dict(call.transcript.data))
    assert [c.data for c in scorecards_for_call(call.id)] == before


@pytest.mark.parametrize("damage", ["truncate", "wrong shape"])
def test_from_bytes_rejects_bad_files(damage):
    from scoring.embedding import TranscriptEmbeddings
    from scoring.errors import ScoringError

    good = TranscriptEmbeddings("minilm", [1, 2], __import__("numpy").ones((2, 4), "float32"))
    raw = good.to_bytes()
    assert TranscriptEmbeddings.from_bytes(raw).segment_ids == [1, 2]
    if damage == "truncate":
        raw = raw[: len(raw) // 2]
    else:
        raw = TranscriptEmbeddings("minilm", [1, 2, 3], good.vectors).to_bytes()
    with pytest.raises(ScoringError):
        TranscriptEmbeddings.from_bytes(raw)
