import json
from pathlib import Path

import numpy as np
import pytest

from scoring.embedding import Embedder, TranscriptEmbeddings
from scoring.embedding.ngram import CharNgram
from scoring.errors import ScoringError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minilm_reference.json"


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


@pytest.mark.slow
def test_numpy_minilm_matches_sentence_transformers(embedder):
    """Reference vectors were computed once with sentence-transformers 6.2 and torch 2.13 (CPU)."""
    ref = json.loads(FIXTURE.read_text(encoding="utf-8"))
    ours = embedder.model("minilm").encode(ref["texts"])
    theirs = np.array(ref["vectors"], dtype=np.float32)
    assert ours.shape == theirs.shape == (len(ref["texts"]), 384)
    assert np.abs(ours - theirs).max() < 1e-4
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_backend_follows_language(embedder):
    assert embedder.backend_for("en") == "minilm"
    assert embedder.backend_for("zh-TW") == "ngram"
    assert embedder.backend_for(None, chinese=True) == "ngram"
    with pytest.raises(ScoringError):
        embedder.model("word2vec")


def test_ngram_folds_scripts_and_ranks_similar_text_higher():
    model = CharNgram()
    trad, simp, other = model.encode(["請問有什麼可以幫您", "请问有什么可以帮您", "今天天氣很好"])
    assert float(trad @ simp) == pytest.approx(1.0, abs=1e-6)
    assert float(trad @ other) < 0.2


def test_encode_caches_by_text(embedder):
    first = embedder.encode(["您好", "再見"], "ngram")
    again = embedder.encode(["再見", "您好"], "ngram")
    assert np.array_equal(first[0], again[1])
    assert ("ngram", "您好") in embedder._cache


def test_transcript_embeddings_round_trip(make_call, embedder):
    call = make_call(["A|@0|您好，請問有什麼可以幫您？", "C|+1|我想查帳單。", "A|+1|好的。"], "zh")
    stored = embedder.embed_transcript(call, roles=("agent",))
    assert stored.backend == "ngram" and stored.segment_ids == [0, 2]
    back = TranscriptEmbeddings.from_dict(json.loads(json.dumps(stored.to_dict())))
    assert np.array_equal(back.vectors, stored.vectors)
    assert back.matrix([2]).shape == (1, stored.vectors.shape[1])
    with pytest.raises(ScoringError):
        back.matrix([1])
    with pytest.raises(ScoringError):
        TranscriptEmbeddings.from_dict({"backend": "ngram"})


def test_stored_embeddings_give_the_same_scorecard(make_call, embedder):
    from scoring import find_rubric, score

    call = make_call(
        [
            "A|@0|您好。",
            "C|+1|我的帳單有問題，我很生氣。",
            "A|+1|我能體會您現在很著急。",
            "A|+1|再見。",
        ],
        "zh",
    )
    rubric = find_rubric("etiquette_zh")
    stored = embedder.embed_transcript(call)
    assert (
        score(call, rubric, embeddings=stored).to_dict()
        == score(call, rubric, embedder=embedder).to_dict()
    )
