"""Score call transcripts against versioned QA rubrics."""

from scoring.agreement import cohen_kappa, fleiss_kappa
from scoring.backtest import BacktestReport, compare
from scoring.defaults import find_rubric, load_default_rubrics
from scoring.embedding import Embedder, TranscriptEmbeddings
from scoring.engine import score
from scoring.errors import RubricError, ScoringError
from scoring.metrics import CallMetrics, compute_metrics
from scoring.rubric import Item, Rubric, Section, compiled_rubric
from scoring.scorecard import Evidence, ItemResult, Scorecard, SectionScore

__all__ = [
    "BacktestReport",
    "CallMetrics",
    "Embedder",
    "Evidence",
    "Item",
    "ItemResult",
    "Rubric",
    "RubricError",
    "Scorecard",
    "ScoringError",
    "Section",
    "SectionScore",
    "TranscriptEmbeddings",
    "cohen_kappa",
    "compare",
    "compiled_rubric",
    "compute_metrics",
    "find_rubric",
    "fleiss_kappa",
    "load_default_rubrics",
    "score",
]
