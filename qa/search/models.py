"""Indexes the call list and search rely on (declared here so migrations and models agree)."""

from __future__ import annotations

from sqlalchemy import Index

from qa.calls.models import Call
from qa.scorecards.models import ScorecardRecord

# an agent's own calls, newest first
CALLS_AGENT_STARTED = Index("ix_calls_agent_started", Call.agent_id, Call.started_at)
# sorting the list by duration, and by each call's lowest score (covering: no row reads)
CALLS_DURATION = Index("ix_calls_duration", Call.duration)
SCORECARDS_CALL_TOTAL = Index(
    "ix_scorecards_call_total", ScorecardRecord.call_id, ScorecardRecord.total
)

INDEXES = (CALLS_AGENT_STARTED, CALLS_DURATION, SCORECARDS_CALL_TOTAL)
