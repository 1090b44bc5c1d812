"""The call list: every filter, sorting, pagination, capped counts and who sees what."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from qa.db import db
from qa.review.models import Review
from qa.scorecards.models import ScorecardRecord
from qa.search.filters import CallFilters, FilterError
from qa.search.services import list_calls
from tests.app.test_search_data import add_call, rubric_versions


@pytest.fixture
def people(make_user):  # type: ignore[no-untyped-def]
    return {
        "ann": make_user("agent", team="Harbour", name="Ann"),
        "bob": make_user("agent", team="Summit", name="Bob"),
        "qa": make_user("qa", team=None, name="Quinn"),
        "boss": make_user("manager", team="Harbour", name="Mia"),
    }


@pytest.fixture
def calls(people):  # type: ignore[no-untyped-def]
    ann, bob = people["ann"], people["bob"]
    v1, v2 = rubric_versions()[:2]
    return {
        "a1": add_call(
            ann, started_at=datetime(2024, 5, 1, 9), duration=60, total=95.0, version=v1
        ),
        "a2": add_call(
            ann,
            started_at=datetime(2024, 5, 3, 9),
            duration=300,
            total=40.0,
            critical=True,
            queue="support",
            version=v1,
        ),
        "b1": add_call(
            bob,
            started_at=datetime(2024, 5, 2, 9),
            duration=200,
            total=70.0,
            needs_review=True,
            language="zh",
            version=v2,
        ),
        "b2": add_call(bob, started_at=datetime(2024, 5, 5, 9), duration=30, status="received"),
    }


def ids(user, **args) -> list[int]:  # type: ignore[no-untyped-def]
    page = list_calls(user, CallFilters.from_args({k: str(v) for k, v in args.items()}))
    return [row.call.id for row in page.rows]


def test_default_order_is_newest_first(people, calls):
    assert ids(people["qa"]) == [calls[k].id for k in ("b2", "a2", "b1", "a1")]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"agent": "ann"}, ["a2", "a1"]),
        ({"team": "Summit"}, ["b2", "b1"]),
        ({"from": "2024-05-02", "to": "2024-05-03"}, ["a2", "b1"]),
        ({"from": "2024-05-04"}, ["b2"]),
        ({"to": "2024-05-01"}, ["a1"]),
        ({"queue": "support"}, ["a2"]),
        ({"language": "zh"}, ["b1"]),
        ({"score_min": "50"}, ["b1", "a1"]),
        ({"score_max": "70"}, ["a2", "b1"]),
        ({"score_min": "60", "score_max": "80"}, ["b1"]),
        ({"critical": "1"}, ["a2"]),
        ({"low_confidence": "1"}, ["b1"]),
        ({"critical": "1", "agent": "bob"}, []),
    ],
)
def test_filters(people, calls, args, expected):
    from qa.auth.models import Team

    if "agent" in args:
        args = {**args, "agent": people[args["agent"]].id}
    if "team" in args:
        team = db.session.query(Team).filter_by(name=args["team"]).one()
        args = {**args, "team": team.id}
    assert ids(people["qa"], **args) == [calls[k].id for k in expected]


def test_rubric_filter(people, calls):
    v1, v2 = rubric_versions()[:2]
    assert ids(people["qa"], rubric=v1.rubric_id) == [calls["a2"].id, calls["a1"].id]
    assert ids(people["qa"], rubric=v2.rubric_id) == [calls["b1"].id]


def test_reviewed_filter(people, calls):
    db.session.add(Review(call_id=calls["a1"].id, reviewer_id=people["qa"].id))
    db.session.commit()
    assert ids(people["qa"], reviewed="yes") == [calls["a1"].id]
    assert ids(people["qa"], reviewed="no") == [calls[k].id for k in ("b2", "a2", "b1")]


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        ("date", "asc", ["a1", "b1", "a2", "b2"]),
        ("score", "desc", ["a1", "b1", "a2", "b2"]),  # unscored last
        ("score", "asc", ["a2", "b1", "a1", "b2"]),
        ("duration", "desc", ["a2", "b1", "a1", "b2"]),
        ("duration", "asc", ["b2", "a1", "b1", "a2"]),
        ("agent", "asc", ["a2", "a1", "b2", "b1"]),  # by name, then newest first
        ("agent", "desc", ["b2", "b1", "a2", "a1"]),
    ],
)
def test_sorting(people, calls, sort, order, expected):
    assert ids(people["qa"], sort=sort, order=order) == [calls[k].id for k in expected]


def test_pagination_and_capped_count(people, calls):
    qa = people["qa"]
    first = list_calls(qa, CallFilters(), page_size=3, count_cap=2)
    assert [r.call.id for r in first.rows] == [calls[k].id for k in ("b2", "a2", "b1")]
    assert first.has_next and first.count == 2 and first.count_capped
    second = list_calls(qa, CallFilters(page=2), page_size=3, count_cap=10)
    assert [r.call.id for r in second.rows] == [calls["a1"].id]
    assert not second.has_next and second.count == 4 and not second.count_capped


def test_agents_see_only_their_own_calls(people, calls):
    ann = people["ann"]
    assert ids(ann) == [calls["a2"].id, calls["a1"].id]
    assert ids(ann, agent=people["bob"].id) == []
    assert ids(ann, team=people["bob"].team_id) == []


def test_managers_see_their_team(people, calls):
    assert ids(people["boss"]) == [calls["a2"].id, calls["a1"].id]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"page": "0"}, "page"),
        ({"page": "x"}, "number"),
        ({"from": "yesterday"}, "date"),
        ({"from": "2024-05-03", "to": "2024-05-01"}, "after"),
        ({"score_min": "nan"}, "number"),
        ({"score_min": "101"}, "0 to 100"),
        ({"score_min": "90", "score_max": "10"}, "above"),
        ({"sort": "id; DROP TABLE calls"}, "sort"),
        ({"order": "sideways"}, "order"),
        ({"reviewed": "maybe"}, "reviewed"),
        ({"q": "x" * 201}, "longer"),
    ],
)
def test_bad_filters_are_explained(app, args, message):
    with app.test_request_context(), pytest.raises(FilterError, match=message):
        CallFilters.from_args(args)


def test_filter_arguments_round_trip():
    filters = CallFilters(
        q="refund", agent_id=3, date_from=date(2024, 5, 1), critical_failed=True, sort="score"
    )
    assert CallFilters.from_args(filters.to_args()) == filters
    assert filters.to_args(page=2)["page"] == "2"
    assert CallFilters().to_args() == {} and not CallFilters().active


def test_list_page_renders_filters_sort_links_and_pager(client, login, people, calls, app):
    app.config["CALL_LIST_PAGE_SIZE"] = 2
    login(people["qa"])
    page = client.get("/?sort=duration&order=desc").get_data(as_text=True)
    assert (
        f'href="/calls/{calls["a2"].id}"' in page and f'href="/calls/{calls["a1"].id}"' not in page
    )
    assert 'aria-sort="descending"' in page
    assert "page=2" in page and "sort=duration" in page
    assert 'name="critical"' in page and 'name="reviewed"' in page
    page2 = client.get("/?sort=duration&order=desc&page=2").get_data(as_text=True)
    assert f'href="/calls/{calls["a1"].id}"' in page2


def test_list_page_shows_filter_errors(client, login, people):
    login(people["qa"])
    response = client.get("/?from=31/12/2024")
    assert response.status_code == 400
    assert "must be a date" in response.get_data(as_text=True)


def test_agent_page_has_no_agent_or_team_filter(client, login, people, calls):
    login(people["ann"])
    page = client.get("/").get_data(as_text=True)
    assert 'name="agent"' not in page and 'name="team"' not in page
    assert f'href="/calls/{calls["b1"].id}"' not in page


def test_calls_with_two_scorecards_are_listed_once(people, calls):
    v1, v2 = rubric_versions()[:2]
    both = add_call(people["bob"], started_at=datetime(2024, 5, 4, 9), total=90.0, version=v1)
    db.session.add(
        ScorecardRecord(
            call_id=both.id,
            rubric_version_id=v2.id,
            total=50.0,
            auto_total=50.0,
            passed=False,
            data={},
        )
    )
    db.session.commit()
    qa = people["qa"]
    page = list_calls(qa, CallFilters())
    assert [r.call.id for r in page.rows].count(both.id) == 1
    assert [line.total for line in page.rows[1].scores] == [50.0, 90.0]
    # the call's score is its lowest; with a rubric chosen, that rubric's
    assert ids(qa, sort="score", order="asc")[:2] == [calls["a2"].id, both.id]
    assert ids(qa, sort="score", order="asc", rubric=v1.rubric_id) == [
        calls["a2"].id,
        both.id,
        calls["a1"].id,
    ]
    # one scorecard must satisfy every score condition
    assert ids(qa, score_min="85", rubric=v2.rubric_id) == []
    assert ids(qa, score_min="85", rubric=v1.rubric_id) == [both.id, calls["a1"].id]
