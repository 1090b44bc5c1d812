"""Score calls against published rubric versions and store the scorecards."""

from __future__ import annotations

from sqlalchemy import select

from qa.audit.services import record
from qa.calls.models import Call
from qa.db import db
from qa.disputes.models import Dispute
from qa.rubrics.models import RubricVersion
from qa.rubrics.services import parse, published_versions
from qa.scorecards.embeddings import transcript_embeddings
from qa.scorecards.models import ItemResultRecord, ScorecardRecord
from qa.scorecards.overrides import human_results, reapply
from scoring.embedding import default_embedder
from scoring.engine import score
from scoring.scorecard import Scorecard
from transcription.schema import Transcript


def _store(
    call: Call, version: RubricVersion, card: Scorecard, stored: ScorecardRecord | None
) -> ScorecardRecord:
    """Write ``card`` into ``stored`` (a new row when None), keeping item rows by key.

    Updating in place keeps the ids that disputes point at and bumps the lock version, so a
    reviewer working from the old scorecard is told it changed.
    """
    if stored is None:
        stored = ScorecardRecord(call_id=call.id, rubric_version_id=version.id)
        db.session.add(stored)
    stored.total = stored.auto_total = card.total
    stored.passed, stored.needs_review = card.passed, card.needs_review
    stored.critical_failed = bool(card.critical_failures)
    stored.data = card.to_dict()
    rows = {row.item_key: row for row in stored.items}
    items = []
    for item in card.items:
        row = rows.pop(item.key, None) or ItemResultRecord(call_id=call.id, item_key=item.key)
        row.section, row.title = item.section, item.title[:200]
        row.result = row.auto_result = item.result
        row.points, row.max_points = item.points, item.max_points
        row.confidence, row.needs_review = item.confidence, item.needs_review
        row.critical, row.reason = item.critical, item.reason or None
        items.append(row)
    stored.items = items  # rows of items the rubric no longer has are deleted
    return stored


def score_call(call: Call, transcript: Transcript) -> list[ScorecardRecord]:
    """Score the call against every applicable published rubric and store the scorecards.

    A scorecard of a rubric version scored before is updated in place, and the results
    people gave its items by override are kept (and logged as kept); scorecards of rubric
    versions no longer published are removed, their disputes moved to the same item of the
    rubric's new scorecard where it has one.
    """
    versions = published_versions(transcript.language or call.language)
    old = {c.rubric_version_id: c for c in scorecards_for_call(call.id)}
    kept = human_results(old.values())
    embedder = default_embedder()  # loads its model only when a semantic item needs it
    rubrics = [parse(version) for version in versions]
    embeddings = transcript_embeddings(transcript, rubrics, embedder)
    records = []
    for version, rubric in zip(versions, rubrics, strict=True):
        card = score(transcript, rubric, embedder=embedder, embeddings=embeddings)
        stored = _store(call, version, card, old.pop(version.id, None))
        db.session.flush()
        reapply(stored, rubric, kept)
        records.append(stored)
    for stale in old.values():
        move_disputes(stale, records)
        db.session.delete(stale)
    db.session.flush()
    return records


def move_disputes(stale: ScorecardRecord, records: list[ScorecardRecord]) -> None:
    """Point disputes on ``stale``'s items at the same items of the rubric's new scorecard.

    A dispute whose item the new rubric version lacks goes with the old scorecard; its text
    is kept in the audit log.
    """
    rows = {row.id: row for row in stale.items}
    if not rows:
        return
    rubric = stale.data["rubric"]
    fresh = {
        row.item_key: row for card in records if card.data["rubric"] == rubric for row in card.items
    }
    for dispute in db.session.scalars(select(Dispute).where(Dispute.item_result_id.in_(rows))):
        target = fresh.get(rows[dispute.item_result_id].item_key)
        if target is not None:
            dispute.item_result_id = target.id
            continue
        record(
            "dispute_removed",
            "call",
            stale.call_id,
            field=f"{rubric}/{rows[dispute.item_result_id].item_key}",
            old={"dispute": dispute.id, "status": dispute.status, "comment": dispute.comment},
            reason="the item is not in the rubric version the call was scored with again",
        )


def scorecards_for_call(call_id: int) -> list[ScorecardRecord]:
    """Return the call's scorecards in rubric order."""
    stmt = (
        select(ScorecardRecord)
        .where(ScorecardRecord.call_id == call_id)
        .order_by(ScorecardRecord.rubric_version_id)
    )
    return list(db.session.scalars(stmt))
