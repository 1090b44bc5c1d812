"""Score calls against published rubric versions and store the scorecards."""

from __future__ import annotations

from sqlalchemy import select

from qa.calls.models import Call
from qa.db import db
from qa.rubrics.models import RubricVersion
from qa.rubrics.services import parse, published_versions
from qa.scorecards.models import ItemResultRecord, ScorecardRecord
from scoring.embedding import default_embedder
from scoring.engine import score
from scoring.scorecard import Scorecard
from transcription.schema import Transcript


def _store(call: Call, version: RubricVersion, card: Scorecard) -> ScorecardRecord:
    record = ScorecardRecord(
        call_id=call.id,
        rubric_version_id=version.id,
        total=card.total,
        auto_total=card.total,
        passed=card.passed,
        needs_review=card.needs_review,
        critical_failed=bool(card.critical_failures),
        data=card.to_dict(),
    )
    record.items = [
        ItemResultRecord(
            call_id=call.id,
            item_key=item.key,
            section=item.section,
            title=item.title[:200],
            result=item.result,
            auto_result=item.result,
            points=item.points,
            max_points=item.max_points,
            confidence=item.confidence,
            needs_review=item.needs_review,
            critical=item.critical,
            reason=item.reason or None,
        )
        for item in card.items
    ]
    db.session.add(record)
    return record


def score_call(call: Call, transcript: Transcript) -> list[ScorecardRecord]:
    """Replace the call's scorecards with fresh ones for every applicable published rubric."""
    versions = published_versions(transcript.language or call.language)
    for old in scorecards_for_call(call.id):  # through the ORM, so loaded rows are forgotten
        db.session.delete(old)
    db.session.flush()
    embedder = default_embedder()  # loads its model only when a semantic item needs it
    records = []
    for version in versions:
        card = score(transcript, parse(version), embedder=embedder)
        records.append(_store(call, version, card))
    db.session.flush()
    return records


def scorecards_for_call(call_id: int) -> list[ScorecardRecord]:
    """Return the call's scorecards in rubric order."""
    stmt = (
        select(ScorecardRecord)
        .where(ScorecardRecord.call_id == call_id)
        .order_by(ScorecardRecord.rubric_version_id)
    )
    return list(db.session.scalars(stmt))
