"""Helpers for the dashboard and report tests: scored calls with chosen scores and results."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from qa.db import db
from qa.rubrics import services as rubric_services
from qa.scorecards import services as scorecard_services
from qa.scorecards.models import ScorecardRecord

_parsed: dict[tuple[str, int], object] = {}


@pytest.fixture
def fast_rubrics(monkeypatch):  # type: ignore[no-untyped-def]
    """Parse each rubric document once per test session (YAML parsing dominates scoring)."""

    def parse(version):  # type: ignore[no-untyped-def]
        key = (version.document, version.version)
        if key not in _parsed:
            _parsed[key] = rubric_services.parse(version)
        return copy.deepcopy(_parsed[key])

    monkeypatch.setattr(scorecard_services, "parse", parse)


def set_scores(call, total: float, fail: tuple[str, ...] = (), overridden: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """Give every scorecard of ``call`` the total ``total``; fail the items named in ``fail``.

    Items in ``overridden`` are changed by a (simulated) reviewer: the engine said pass, the
    stored result is fail, and the auto total stays 100.
    """
    cards = db.session.scalars(select(ScorecardRecord).where(ScorecardRecord.call_id == call.id))
    for card in cards:
        card.total = total
        card.auto_total = 100.0 if overridden else total
        for item in card.items:
            if item.item_key in fail or item.item_key in overridden:
                item.result = "fail"
                item.auto_result = "pass" if item.item_key in overridden else "fail"
    db.session.commit()
    return call


def scored(make_scored_call, agent, started: str, total: float, **kwargs):  # type: ignore[no-untyped-def]
    """Return a scored call of ``agent`` started at ``started`` with every total ``total``."""
    call = make_scored_call(agent, started_at=started)
    return set_scores(call, total, **kwargs)
