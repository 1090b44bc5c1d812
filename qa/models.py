"""Import every feature's models so the metadata is complete (migrations, tests)."""

from __future__ import annotations

from qa.api.models import ApiToken, WebhookDelivery, WebhookSubscription
from qa.audit.models import AuditEntry
from qa.auth.models import LoginAttempt, Team, User
from qa.calibration.models import (
    CalibrationAnswer,
    CalibrationCall,
    CalibrationRater,
    CalibrationSession,
)
from qa.calls.models import Call, TranscriptRecord
from qa.coaching.models import CoachingNote
from qa.dashboards.models import AgentDay, AgentWeek, ItemDay, ItemWeek, KpiDay, TeamDay
from qa.db import Base
from qa.disputes.models import Dispute
from qa.jobs.models import ProcessingJob
from qa.kpis.models import KpiValue
from qa.queue.models import ReviewClaim
from qa.review.models import Review
from qa.rubrics.models import RubricRecord, RubricVersion
from qa.scorecards.models import ItemResultRecord, ScorecardRecord
from qa.search.models import INDEXES as SEARCH_INDEXES

metadata = Base.metadata

__all__ = [
    "AgentDay",
    "AgentWeek",
    "ItemDay",
    "ItemWeek",
    "KpiDay",
    "TeamDay",
    "ApiToken",
    "KpiValue",
    "WebhookDelivery",
    "WebhookSubscription",
    "AuditEntry",
    "CalibrationAnswer",
    "CalibrationCall",
    "CalibrationRater",
    "CalibrationSession",
    "Call",
    "CoachingNote",
    "Dispute",
    "ItemResultRecord",
    "LoginAttempt",
    "ProcessingJob",
    "Review",
    "ReviewClaim",
    "RubricRecord",
    "RubricVersion",
    "ScorecardRecord",
    "SEARCH_INDEXES",
    "Team",
    "TranscriptRecord",
    "User",
    "metadata",
]
