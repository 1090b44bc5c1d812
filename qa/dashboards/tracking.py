"""Keep the dashboard rollups in step with every ORM write, inside the writing transaction.

Flushes note which (day, agent) groups the written calls, scorecards, item results, KPI
values and reviews fall in (before the flush for what the rows were, after it for what they
are) and which agents changed team; the commit recomputes just those groups
(:func:`qa.dashboards.rollups.refresh`) right before it commits the raw rows themselves.
Bulk Core statements bypass this; run ``callqa dashboards rebuild`` after one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from qa.auth.models import User
from qa.calls.models import Call
from qa.dashboards import rollups
from qa.dashboards.models import NOBODY
from qa.kpis.models import KpiValue
from qa.review.models import Review
from qa.scorecards.models import ItemResultRecord, ScorecardRecord

PER_CALL = (ScorecardRecord, ItemResultRecord, KpiValue, Review)
CALL_FIELDS = ("agent_id", "agent", "started_at", "created_at", "duration")
_KEY = "dashboard_rollups"
_installed = {"hooks": False}


@dataclass
class Pending:
    """What a transaction changed so far: groups to recompute and agents' former teams."""

    agent_keys: set[rollups.Key] = field(default_factory=set)
    moves: dict[int, set[int]] = field(default_factory=dict)
    flushing: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.agent_keys or self.moves)


def pending(session: Session) -> Pending:
    """Return the session's pending rollup work (created on first use)."""
    return session.info.setdefault(_KEY, Pending())


def _changed(obj: Any, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    work = pending(session)
    deleted = set(session.deleted)
    call_ids: set[int] = set()
    for obj in chain(session.new, session.dirty, deleted):
        if isinstance(obj, PER_CALL) and obj.call_id is not None:
            call_ids.add(obj.call_id)
        elif isinstance(obj, Call) and obj.id is not None:
            if obj in deleted or _changed(obj, CALL_FIELDS):
                call_ids.add(obj.id)
        elif isinstance(obj, User) and obj.id is not None and obj not in deleted:
            if _changed(obj, ("team_id", "team")):
                # lock the row first, so a concurrent team change is seen as the former team
                stmt = select(User.team_id).where(User.id == obj.id).with_for_update()
                former = session.scalar(stmt)
                work.moves.setdefault(obj.id, set()).add(NOBODY if former is None else former)
    work.flushing = call_ids
    if call_ids:
        work.agent_keys |= rollups.call_keys(session, call_ids)


def _after_flush(session: Session, _context: Any) -> None:
    work = pending(session)
    call_ids = work.flushing | {obj.id for obj in session.new if isinstance(obj, Call)}
    work.flushing = set()
    if call_ids:
        work.agent_keys |= rollups.call_keys(session, call_ids)


def _before_commit(session: Session) -> None:
    session.flush()  # the commit flushes after this hook; its writes must be noted now
    work = session.info.get(_KEY)
    if not work:
        return
    with session.no_autoflush:
        rollups.refresh(session, work.agent_keys, work.moves)
    session.info.pop(_KEY, None)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_KEY, None)


def install_tracking() -> None:
    """Maintain the rollups on every session's commit (once per process)."""
    if not _installed["hooks"]:
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
        _installed["hooks"] = True
