"""Create calibration sessions, record blind answers, close sessions and read the figures."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask_babel import lazy_gettext as _
from sqlalchemy import delete, select

from qa.audit.services import record
from qa.auth.models import User
from qa.calibration.models import (
    CalibrationAnswer,
    CalibrationCall,
    CalibrationRater,
    CalibrationSession,
)
from qa.calibration.scoring import auto_labels, item_labels
from qa.calibration.stats import AUTO, SessionStats, Unit, session_stats
from qa.calls.models import Call
from qa.core.policy import CALIBRATORS
from qa.db import db, utcnow
from qa.rubrics.models import RubricVersion
from qa.rubrics.services import parse
from qa.scorecards.models import ScorecardRecord
from scoring.rubric import Rubric


class CalibrationError(ValueError):
    """A calibration request that cannot be carried out, with the reason."""


def create_session(
    title: str,
    version: RubricVersion,
    calls: list[Call],
    raters: list[User],
    lead: User,
    notes: str | None = None,
) -> CalibrationSession:
    """Create an open session of ``calls`` scored against ``version`` by ``raters``."""
    title = (title or "").strip()
    if not title:
        raise CalibrationError(_("Give the session a title."))
    if lead.role not in CALIBRATORS:
        raise CalibrationError(_("Only QA staff lead calibration sessions."))
    if not calls:
        raise CalibrationError(_("Pick at least one call."))
    if not raters:
        raise CalibrationError(_("Invite at least one rater."))
    wrong = [u.username for u in raters if u.role not in CALIBRATORS or not u.active]
    if wrong:
        raise CalibrationError(
            _("Only active QA users can rate: %(names)s.", names=", ".join(wrong))
        )
    if version.status == "draft":
        raise CalibrationError(_("Calibrate against a published or retired rubric version."))
    session = CalibrationSession(
        title=title, rubric_version=version, lead_id=lead.id, notes=(notes or "").strip() or None
    )
    session.calls = [CalibrationCall(call_id=c.id) for c in dict.fromkeys(calls)]
    session.raters = [CalibrationRater(user_id=u.id) for u in dict.fromkeys(raters)]
    db.session.add(session)
    db.session.flush()
    record("create", "calibration_session", session.id, user_id=lead.id, new=title)
    return session


@lru_cache(maxsize=32)
def _parsed(version_id: int, document: str) -> Rubric:
    """Return a parsed rubric version (versions are immutable, so parsing once is enough)."""
    return parse(db.session.get(RubricVersion, version_id))


def rubric_of(session: CalibrationSession) -> Rubric:
    """Return the session's scoring rubric (parsed once per version and process)."""
    return _parsed(session.rubric_version_id, session.rubric_version.document)


def _checked(rubric: Rubric, call_ids: list[int], labels: dict[Unit, str]) -> dict[Unit, str]:
    allowed = {i.key: item_labels(i) for i in rubric.items}
    for (call_id, key), label in labels.items():
        if call_id not in call_ids or key not in allowed:
            raise CalibrationError(
                _(
                    "Call %(call)d / item %(key)s is not part of this session.",
                    call=call_id,
                    key=key,
                )
            )
        if label not in allowed[key]:
            raise CalibrationError(
                _("%(label)r is not a valid answer for item %(key)r.", label=label, key=key)
            )
    return labels


def _store(session: CalibrationSession, rater_id: int | None, labels: dict[Unit, str]) -> None:
    db.session.execute(
        delete(CalibrationAnswer).where(
            CalibrationAnswer.session_id == session.id,
            CalibrationAnswer.rater_id.is_(None)
            if rater_id is None
            else CalibrationAnswer.rater_id == rater_id,
        )
    )
    db.session.add_all(
        CalibrationAnswer(
            session_id=session.id, call_id=c, item_key=k, rater_id=rater_id, label=label
        )
        for (c, k), label in labels.items()
    )


def save_answers(
    session: CalibrationSession, user: User, labels: dict[Unit, str], *, submit: bool
) -> CalibrationRater:
    """Store ``user``'s answers; ``submit`` makes them final (every item must be answered)."""
    rater = session.rater(user.id)
    if rater is None:
        raise CalibrationError(_("You are not a rater in this session."))
    if session.status != "open":
        raise CalibrationError(_("The session is closed."))
    if rater.submitted_at is not None:
        raise CalibrationError(_("You have already submitted your answers."))
    rubric = rubric_of(session)
    call_ids = [c.call_id for c in session.calls]
    labels = _checked(rubric, call_ids, labels)
    if submit:
        missing = len(call_ids) * len(rubric.items) - len(labels)
        if missing:
            raise CalibrationError(
                _("Answer every item before submitting (%(n)d missing).", n=missing)
            )
    _store(session, user.id, labels)
    if submit:
        rater.submitted_at = utcnow()
        record("submit", "calibration_session", session.id, user_id=user.id)
    db.session.flush()
    return rater


def set_final_answers(session: CalibrationSession, lead: User, labels: dict[Unit, str]) -> None:
    """Store the lead's final answers (they override the majority for those items)."""
    rubric = rubric_of(session)
    _store(session, None, _checked(rubric, [c.call_id for c in session.calls], labels))
    record("final_answers", "calibration_session", session.id, user_id=lead.id, new=len(labels))
    db.session.flush()


def close_session(session: CalibrationSession, user: User, now: datetime | None = None) -> None:
    """Close the session: answers are frozen and everyone may see the figures."""
    if session.status == "closed":
        raise CalibrationError(_("The session is already closed."))
    session.status, session.closed_at = "closed", now or utcnow()
    record(
        "close",
        "calibration_session",
        session.id,
        user_id=user.id,
        field="status",
        old="open",
        new="closed",
    )
    db.session.flush()


def answers_of(session: CalibrationSession, rater_id: int | None) -> dict[Unit, str]:
    """Return one rater's stored answers (``None``: the lead's final answers)."""
    stmt = select(CalibrationAnswer).where(
        CalibrationAnswer.session_id == session.id,
        CalibrationAnswer.rater_id.is_(None)
        if rater_id is None
        else CalibrationAnswer.rater_id == rater_id,
    )
    return {(a.call_id, a.item_key): a.label for a in db.session.scalars(stmt)}


def auto_answers(session: CalibrationSession) -> dict[Unit, str]:
    """Return the auto-scorer's labels from the stored scorecards of the session's calls."""
    stmt = select(ScorecardRecord).where(
        ScorecardRecord.rubric_version_id == session.rubric_version_id,
        ScorecardRecord.call_id.in_([c.call_id for c in session.calls]),
    )
    return {
        (card.call_id, key): label
        for card in db.session.scalars(stmt)
        for key, label in auto_labels(card).items()
    }


@dataclass
class SessionResult:
    """A session's figures and the names of its raters."""

    stats: SessionStats
    names: dict[Hashable, str]


def session_result(session: CalibrationSession) -> SessionResult:
    """Return the figures over submitted raters and the auto-scorer."""
    answers: dict[Hashable, dict[Unit, str]] = {}
    names: dict[Hashable, str] = {AUTO: "auto-scorer"}
    for rater in session.raters:
        names[rater.user_id] = rater.user.name
        if rater.submitted_at is not None:
            answers[rater.user_id] = answers_of(session, rater.user_id)
    auto = auto_answers(session)
    if auto:
        answers[AUTO] = auto
    stats = session_stats(
        rubric_of(session), [c.call_id for c in session.calls], answers, answers_of(session, None)
    )
    return SessionResult(stats, names)


def list_sessions(user: User) -> list[CalibrationSession]:
    """Return the sessions ``user`` may open, newest first (managers: closed ones)."""
    stmt = select(CalibrationSession).order_by(CalibrationSession.created_at.desc())
    if user.role not in CALIBRATORS:
        stmt = stmt.where(CalibrationSession.status == "closed")
    return list(db.session.scalars(stmt))


def trend() -> list[dict]:
    """Return agreement per closed session in closing order (for the trend chart)."""
    stmt = (
        select(CalibrationSession)
        .where(CalibrationSession.status == "closed")
        .order_by(CalibrationSession.closed_at, CalibrationSession.id)
    )
    points = []
    for session in db.session.scalars(stmt):
        stats = session_result(session).stats
        devs = [
            d.mismatch_rate
            for d in stats.deviations
            if d.rater != AUTO and d.mismatch_rate is not None
        ]
        points.append(
            {
                "id": session.id,
                "title": session.title,
                "closed_at": session.closed_at.strftime("%Y-%m-%d"),
                "fleiss": None if stats.fleiss is None else round(stats.fleiss, 4),
                "agreement": None if stats.agreement is None else round(stats.agreement, 4),
                "mismatch": round(sum(devs) / len(devs), 4) if devs else None,
            }
        )
    return points


def is_blinded(user: User, call_id: int) -> bool:
    """Return whether ``user`` must not see scores of ``call_id`` (an unsubmitted rater of it)."""
    stmt = (
        select(CalibrationRater.id)
        .join(CalibrationSession, CalibrationRater.session_id == CalibrationSession.id)
        .join(CalibrationCall, CalibrationCall.session_id == CalibrationSession.id)
        .where(
            CalibrationSession.status == "open",
            CalibrationRater.user_id == user.id,
            CalibrationRater.submitted_at.is_(None),
            CalibrationCall.call_id == call_id,
        )
        .limit(1)
    )
    return db.session.scalar(stmt) is not None


def candidate_calls(limit: int = 300) -> list[Call]:
    """Return recent scored calls to pick from."""
    stmt = (
        select(Call)
        .where(Call.id.in_(select(ScorecardRecord.call_id)))
        .order_by(Call.created_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def raters_available() -> list[User]:
    """Return the active users who may rate."""
    stmt = select(User).where(User.role.in_(CALIBRATORS), User.active.is_(True)).order_by(User.name)
    return list(db.session.scalars(stmt))
