"""Dashboard aggregates on hand-made scored calls: values, scoping by role, caching."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa.auth.models import User
from qa.dashboards import queries
from qa.dashboards.filters import DashboardFilter, FilterError, parse_filter
from qa.dashboards.services import dashboard_data
from qa.db import db
from qa.review.services import mark_reviewed

from .dashboard_support import fast_rubrics, scored  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_rubrics")

NOV = DashboardFilter(date(2026, 11, 1), date(2026, 11, 22))
W1, W2 = date(2026, 11, 2), date(2026, 11, 9)


@pytest.fixture
def team_data(make_user, make_scored_call):  # type: ignore[no-untyped-def]
    """Two agents in Harbour, one in Summit, scored calls over two weeks."""
    ann = make_user("agent", team="Harbour", name="Ann")
    bob = make_user("agent", team="Harbour", name="Bob")
    sue = make_user("agent", team="Summit", name="Sue")
    calls = {
        "ann1": scored(make_scored_call, ann, "2026-11-02T09:00:00", 80.0, fail=("greeting",)),
        "ann2": scored(make_scored_call, ann, "2026-11-03T09:00:00", 60.0),
        "ann3": scored(make_scored_call, ann, "2026-11-10T09:00:00", 100.0),
        "bob1": scored(make_scored_call, bob, "2026-11-04T09:00:00", 40.0, fail=("greeting",)),
        "sue1": scored(make_scored_call, sue, "2026-11-03T12:00:00", 90.0),
    }
    return {"ann": ann, "bob": bob, "sue": sue, **calls}


def _points(points, key):  # type: ignore[no-untyped-def]
    return {p.week: p.mean for p in points if p.key == key}


def test_score_trend_is_the_weekly_mean_of_scorecard_totals(team_data, make_user):
    qa = make_user("qa", team=None)
    points = queries.score_trend(qa, NOV, "agent")
    assert _points(points, team_data["ann"].id) == {W1: 70.0, W2: 100.0}
    assert _points(points, team_data["bob"].id) == {W1: 40.0}
    # everyone: week 1 holds 80, 60, 40, 90 (two scorecards each, same totals)
    assert _points(points, None) == {W1: 67.5, W2: 100.0}
    assert {p.scorecards for p in points if p.key is None and p.week == W1} == {8}
    by_team = queries.score_trend(qa, NOV, "team")
    harbour = team_data["ann"].team_id
    assert _points(by_team, harbour) == {W1: 60.0, W2: 100.0}


def test_item_failure_rates_count_failures_where_the_item_applied(team_data, make_user):
    qa = make_user("qa", team=None)
    rows = {r.item_key: r for r in queries.item_failures(qa, NOV, None)}
    assert (rows["greeting"].failed, rows["greeting"].applicable) == (2, 5)
    assert rows["greeting"].rate == pytest.approx(40.0)
    assert "empathy" not in rows
    assert queries.item_failures(qa, NOV)[0].item_key == "greeting"  # worst first
    assert rows["greeting"].section == "opening"


def test_volumes_count_calls_per_day(team_data, make_user):
    qa = make_user("qa", team=None)
    days = dict(queries.daily_volumes(qa, NOV))
    assert days[date(2026, 11, 3)] == 2
    assert days[date(2026, 11, 2)] == 1
    assert sum(days.values()) == 5


def test_agreement_counts_only_human_checked_calls(team_data, make_user, make_scored_call):
    qa = make_user("qa", team=None)
    assert queries.agreement_trend(qa, NOV) == []  # nobody looked at any call yet
    scored(
        make_scored_call,
        team_data["ann"],
        "2026-11-11T09:00:00",
        70.0,
        overridden=("greeting", "farewell"),
    )
    mark_reviewed(team_data["ann3"], qa)
    db.session.commit()
    rows = {r.week: r.values for r in queries.agreement_trend(qa, NOV)}
    # week 2: two calls, 13 items each; two items of one call were overridden on both cards?
    # only the script rubric holds greeting/farewell, so 2 of 26 items changed
    assert rows[W2]["items"] == 26
    assert rows[W2]["agreement"] == pytest.approx(100.0 * 24 / 26, abs=0.01)


def test_handling_and_conversation_metrics(team_data, make_user):
    qa = make_user("qa", team=None)
    handling = {r.week: r.values for r in queries.handling_trend(qa, NOV)}
    assert handling[W1]["calls"] == 4
    assert handling[W1]["duration"] == pytest.approx(team_data["ann1"].duration)
    assert handling[W1]["aht"] is None
    conv = {r.week: r.values for r in queries.conversation_trend(qa, NOV)}
    card = team_data["ann3"]
    from qa.scorecards.models import ScorecardRecord

    metrics = (
        db.session.scalars(select(ScorecardRecord).where(ScorecardRecord.call_id == card.id))
        .first()
        .data["metrics"]
    )
    assert conv[W2]["talk_ratio"] == pytest.approx(100 * metrics["talk_ratio_agent"], abs=0.01)
    assert conv[W2]["dead_air"] == pytest.approx(metrics["dead_air_total"], abs=0.01)


def test_agents_see_only_their_own_numbers(team_data):
    ann = team_data["ann"]
    flt = parse_filter({"agent": str(team_data["sue"].id), "team": "999"}, ann, date(2026, 11, 22))
    assert flt.agent_id == ann.id and flt.team_id is None
    data = dashboard_data(ann, DashboardFilter(NOV.start, NOV.end, None, ann.id))
    assert {p.key for p in data.scores_by_agent} == {ann.id, None}
    assert sum(n for _d, n in data.volumes) == 3
    assert data.scores_by_team == []


def test_managers_see_only_their_team(app, team_data, make_user):
    manager = make_user("manager", team="Summit")
    flt = parse_filter({"team": str(team_data["ann"].team_id)}, manager, date(2026, 11, 22))
    assert flt.team_id == manager.team_id
    data = dashboard_data(manager, flt)
    assert {p.key for p in data.scores_by_agent} == {team_data["sue"].id, None}
    with app.test_request_context(), pytest.raises(FilterError, match="no such agent"):
        parse_filter({"agent": str(team_data["ann"].id)}, manager, date(2026, 11, 22))


def test_qa_filters_by_team_and_agent(team_data, make_user):
    qa = make_user("qa", team=None)
    team = DashboardFilter(NOV.start, NOV.end, team_data["sue"].team_id)
    assert sum(n for _d, n in queries.daily_volumes(qa, team)) == 1
    agent = DashboardFilter(NOV.start, NOV.end, None, team_data["bob"].id)
    assert sum(n for _d, n in queries.daily_volumes(qa, agent)) == 1


@pytest.mark.parametrize(
    "args",
    [
        {"start": "yesterday"},
        {"start": "2026-11-10", "end": "2026-11-01"},
        {"team": "x"},
        {"start": "2020-01-01"},
    ],
)
def test_bad_filters_raise_one_error_type(app, args):
    qa = User(id=1, role="qa", username="q", name="q", password_hash="-")
    with app.test_request_context(), pytest.raises(FilterError):
        parse_filter(args, qa, date(2026, 11, 22))


def test_cached_data_is_invalidated_by_new_scores(team_data, make_user, make_scored_call):
    qa = make_user("qa", team=None)
    first = dashboard_data(qa, NOV, cache_seconds=60)
    assert dashboard_data(qa, NOV, cache_seconds=60) is first
    scored(make_scored_call, team_data["bob"], "2026-11-12T09:00:00", 50.0)
    again = dashboard_data(qa, NOV, cache_seconds=60)
    assert again is not first
    assert sum(n for _d, n in again.volumes) == 6


def test_overrides_invalidate_but_status_changes_do_not(team_data, make_user):
    qa = make_user("qa", team=None)
    first = dashboard_data(qa, NOV, cache_seconds=60)
    team_data["ann1"].status = "scoring"
    db.session.commit()
    assert dashboard_data(qa, NOV, cache_seconds=60) is first
    from qa.scorecards.models import ItemResultRecord

    item = db.session.scalars(
        select(ItemResultRecord).where(ItemResultRecord.call_id == team_data["ann2"].id)
    ).first()
    item.result = "fail"
    db.session.commit()
    assert dashboard_data(qa, NOV, cache_seconds=60) is not first
