"""The fairness sample: a few calls per agent per ISO week, in a seeded pseudo-random order."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import BigInteger, Select, and_, cast, func, literal, or_, select, union_all

from qa.calls.models import Call
from qa.db import db

# multiplicative hashing (Knuth): a stable, seeded shuffle both SQLite and PostgreSQL compute
_MULTIPLIER = 2654435761
_MODULUS = 2**32


def week_start(day: date) -> date:
    """Return the Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def week_seed(seed: str, week: date) -> int:
    """Return the integer that shuffles ``week``'s calls (same seed and week, same order)."""
    return int(hashlib.sha256(f"{seed}:{week.isoformat()}".encode()).hexdigest()[:8], 16)


def _week_sample(week: date, per_agent: int, seed: str) -> Select[Any]:
    begin = datetime.combine(week, time())
    end = begin + timedelta(weeks=1)
    big = BigInteger()
    shuffle = (
        cast(Call.id, big) * literal(_MULTIPLIER, big) + literal(week_seed(seed, week), big)
    ) % literal(_MODULUS, big)
    ranked = (
        select(
            Call.id.label("call_id"),
            func.row_number()
            .over(partition_by=Call.agent_id, order_by=(shuffle, Call.id))
            .label("rank"),
        )
        .where(
            Call.agent_id.is_not(None),
            Call.status == "scored",
            or_(
                and_(Call.started_at >= begin, Call.started_at < end),
                and_(Call.started_at.is_(None), Call.created_at >= begin, Call.created_at < end),
            ),
        )
        .subquery()
    )
    return select(ranked.c.call_id).where(ranked.c.rank <= per_agent)


def weekly_sample_query(now: datetime, per_agent: int, weeks: int, seed: str) -> Select[Any] | None:
    """Return a query of the sampled call ids of the last ``weeks`` ISO weeks (None: no sample).

    Reviewed calls stay in the draw, so reviewing one does not pull another into the sample.
    """
    if per_agent <= 0 or weeks <= 0:
        return None
    this_week = week_start(now.date())
    parts = [_week_sample(this_week - timedelta(weeks=n), per_agent, seed) for n in range(weeks)]
    query = union_all(*parts).subquery()
    return select(query.c.call_id)


def weekly_sample(now: datetime, per_agent: int, weeks: int, seed: str) -> set[int]:
    """Return the ids of the scored calls sampled for review (see :func:`weekly_sample_query`)."""
    query = weekly_sample_query(now, per_agent, weeks, seed)
    return set() if query is None else set(db.session.scalars(query))
