"""Back-test a rubric version on past calls before publishing it."""

from __future__ import annotations

from sqlalchemy import select

from qa.calls.models import Call, TranscriptRecord
from qa.db import db
from qa.rubrics.models import RubricVersion
from qa.rubrics.services import parse
from qa.scorecards.embeddings import transcript_embeddings
from qa.scorecards.models import ScorecardRecord
from scoring.backtest import BacktestReport, compare
from scoring.embedding import default_embedder
from scoring.engine import score
from scoring.scorecard import Scorecard
from transcription.schema import Transcript


class NothingToCompare(ValueError):
    """No past call was scored with another version of this rubric."""


def backtest(version: RubricVersion, limit: int = 500) -> tuple[BacktestReport, list[int]]:
    """Score recent calls that have a scorecard of this rubric with ``version``; compare.

    Nothing is stored: old scorecards stay as they were scored. Returns the report and the
    call ids in report order (``now_failing`` / ``now_passing`` index into them).
    """
    rows = db.session.execute(
        select(ScorecardRecord, TranscriptRecord)
        .join(RubricVersion, ScorecardRecord.rubric_version_id == RubricVersion.id)
        .join(TranscriptRecord, TranscriptRecord.call_id == ScorecardRecord.call_id)
        .join(Call, Call.id == ScorecardRecord.call_id)
        .where(RubricVersion.rubric_id == version.rubric_id, RubricVersion.id != version.id)
        .order_by(Call.created_at.desc())
        .limit(limit)
    ).all()
    rubric = parse(version)
    embedder = default_embedder()
    old: list[Scorecard] = []
    new: list[Scorecard] = []
    if not rows:
        raise NothingToCompare("no past call was scored with another version of this rubric")
    for card, record in rows:
        old.append(Scorecard.from_dict(card.data))
        transcript = Transcript.from_dict(record.data)
        vectors = transcript_embeddings(transcript, [rubric], embedder)
        new.append(score(transcript, rubric, embedder=embedder, embeddings=vectors))
    return compare(old, new), [card.call_id for card, _ in rows]
