"""Row-level test data for the call list, search and queue tests (no audio, no scoring)."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import select

from qa.calls.models import Call, TranscriptRecord
from qa.db import db
from qa.rubrics.models import RubricRecord, RubricVersion
from qa.scorecards.models import ScorecardRecord

_serial = itertools.count(1)


def rubric_versions() -> list[RubricVersion]:
    """Return two published rubric versions (rows only, nothing parses them here)."""
    versions = list(db.session.scalars(select(RubricVersion).order_by(RubricVersion.id)))
    if not versions:
        for key in ("script", "etiquette"):
            rubric = RubricRecord(key=key, name=key.title(), languages=["en", "zh"])
            versions.append(
                RubricVersion(rubric=rubric, version=1, status="published", document=key)
            )
        db.session.add_all(versions)
        db.session.flush()
    return versions


def add_call(
    agent=None,  # type: ignore[no-untyped-def]
    *,
    started_at: datetime | None = None,
    queue: str | None = "billing",
    language: str | None = "en",
    duration: float = 120.0,
    text: str | None = None,
    total: float | None = None,
    critical: bool = False,
    needs_review: bool = False,
    version: RubricVersion | None = None,
    status: str = "scored",
) -> Call:
    """Store a call with an optional transcript and scorecard; return it (committed)."""
    n = next(_serial)
    call = Call(
        sha256=f"{n:064x}",
        original_filename=f"call{n}.wav",
        format="wav",
        size_bytes=1000,
        duration=duration,
        channels=1,
        sample_rate=8000,
        language=language,
        queue=queue,
        started_at=started_at,
        agent_id=agent.id if agent else None,
        status=status,
    )
    db.session.add(call)
    db.session.flush()
    if text is not None:
        db.session.add(TranscriptRecord(call_id=call.id, language=language, text=text, data={}))
    if total is not None:
        version = version or rubric_versions()[0]
        db.session.add(
            ScorecardRecord(
                call_id=call.id,
                rubric_version_id=version.id,
                total=total,
                auto_total=total,
                passed=total >= 80 and not critical,
                needs_review=needs_review,
                critical_failed=critical,
                data={},
            )
        )
    db.session.commit()
    return call


def test_add_call_stores_transcript_and_scorecard(app):
    call = add_call(text="hello there", total=90.0)
    assert call.transcript.text == "hello there"
    card = db.session.scalar(select(ScorecardRecord).where(ScorecardRecord.call_id == call.id))
    assert card.total == 90.0 and card.passed
