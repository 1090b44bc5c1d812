"""Calls are scored against the published rubrics of their language."""

from __future__ import annotations

from sqlalchemy import select

from qa.db import db
from qa.rubrics.models import RubricVersion
from qa.scorecards.models import ItemResultRecord, ScorecardRecord


def test_scored_call_has_a_scorecard_per_published_rubric(make_scored_call):
    call = make_scored_call()
    cards = db.session.scalars(
        select(ScorecardRecord).where(ScorecardRecord.call_id == call.id)
    ).all()
    english = [v for v in db.session.scalars(select(RubricVersion)) if "en" in v.rubric.languages]
    assert len(cards) == len(english) >= 2
    for card in cards:
        items = db.session.scalars(
            select(ItemResultRecord).where(ItemResultRecord.scorecard_id == card.id)
        ).all()
        assert len(items) == len(card.data["items"]) > 0
        assert 0 <= card.total <= 100
    greeting = [i for c in cards for i in c.data["items"] if i["stage"] == "opening"]
    assert greeting and all(i["result"] == "pass" for i in greeting)
    assert all(e["start"] < 6 for i in greeting for e in i["evidence"])
