"""Import every feature's models so the metadata is complete (migrations, tests)."""

from __future__ import annotations

from qa.audit.models import AuditEntry
from qa.auth.models import LoginAttempt, Team, User
from qa.calls.models import Call, TranscriptRecord
from qa.db import Base
from qa.jobs.models import ProcessingJob
from qa.rubrics.models import RubricRecord, RubricVersion
from qa.scorecards.models import ItemResultRecord, ScorecardRecord

metadata = Base.metadata

__all__ = [
    "AuditEntry",
    "Call",
    "ItemResultRecord",
    "LoginAttempt",
    "ProcessingJob",
    "RubricRecord",
    "RubricVersion",
    "ScorecardRecord",
    "Team",
    "TranscriptRecord",
    "User",
    "metadata",
]
