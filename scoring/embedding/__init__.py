"""Sentence embeddings for semantic matching (numpy MiniLM, character n-grams)."""

from scoring.embedding.embedder import Embedder, TranscriptEmbeddings, default_embedder

__all__ = ["Embedder", "TranscriptEmbeddings", "default_embedder"]
