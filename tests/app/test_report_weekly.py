"""The weekly team report: week-over-week movements, the calls behind them, CSV, print, access."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from qa.kpis.services import import_rows
from qa.reports.services import weekly_report

from .dashboard_support import fast_rubrics, scored  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_rubrics")
WEEK = date(2026, 11, 9)


@pytest.fixture
def weeks(make_user, make_scored_call):  # type: ignore[no-untyped-def]
    ann = make_user("agent", team="Harbour", name="Ann")
    bob = make_user("agent", team="Harbour", name="Bob")
    sue = make_user("agent", team="Summit", name="Sue")
    data = {
        "ann": ann,
        "bob": bob,
        "ann1": scored(make_scored_call, ann, "2026-11-02T09:00:00", 80.0, fail=("greeting",)),
        "ann2": scored(make_scored_call, ann, "2026-11-03T09:00:00", 60.0),
        "bob1": scored(make_scored_call, bob, "2026-11-04T09:00:00", 40.0, fail=("greeting",)),
        "ann3": scored(make_scored_call, ann, "2026-11-10T09:00:00", 100.0),
        "ann4": scored(
            make_scored_call, ann, "2026-11-11T09:00:00", 70.0, overridden=("farewell",)
        ),
        "sue1": scored(make_scored_call, sue, "2026-11-10T09:00:00", 10.0, fail=("greeting",)),
        "qa": make_user("qa", team=None),
        "manager": make_user("manager", team="Harbour"),
        "other_manager": make_user("manager", team="Summit"),
    }
    rows = [{"call_id": data["ann1"].id, "csat": 5}, {"call_id": data["ann3"].id, "csat": 3}]
    assert import_rows(rows, "test").ok
    from qa.db import db

    db.session.commit()
    return data


def _by_key(movements):  # type: ignore[no-untyped-def]
    return {m.key: m for m in movements}


def test_week_over_week_movements(app, weeks):
    with app.test_request_context():
        report = weekly_report(weeks["qa"], weeks["ann"].team_id, date(2026, 11, 12))
    assert report.week == WEEK and report.previous_week == date(2026, 11, 2)
    head = _by_key(report.headline)
    assert (head["calls"].this_week, head["calls"].last_week) == (2, 3)
    assert (head["score"].this_week, head["score"].last_week, head["score"].delta) == (
        85.0,
        60.0,
        25.0,
    )
    assert head["score"].trend == "better"
    assert (head["csat"].this_week, head["csat"].last_week, head["csat"].delta) == (3.0, 5.0, -2.0)
    assert head["csat"].trend == "worse"
    assert [c.call_id for c in head["score"].calls] == [weeks["ann4"].id, weeks["ann3"].id]
    items = _by_key(report.items)
    greeting = items["opening.greeting"]
    assert greeting.this_week == 0.0 and greeting.last_week == pytest.approx(66.67)
    assert greeting.trend == "better"  # fewer failures
    farewell = items["closing.farewell"]
    assert (farewell.this_week, farewell.last_week, farewell.delta) == (50.0, 0.0, 50.0)
    assert [c.call_id for c in farewell.calls] == [weeks["ann4"].id]
    assert report.items[0].key == "opening.greeting"  # biggest movement first
    agents = _by_key(report.agents)
    assert agents[str(weeks["ann"].id)].delta == 15.0
    assert agents[str(weeks["bob"].id)].this_week is None
    assert [c.call_id for c in report.changed_calls] == [weeks["ann4"].id]
    assert report.changed_calls[0].change == -30.0
    assert weeks["sue1"].id not in [c.call_id for c in report.worst_calls]


def test_report_page_links_the_calls(client, login, weeks):
    login(weeks["manager"])
    page = client.get("/reports/weekly?week=2026-11-09").get_data(as_text=True)
    assert "Harbour" in page
    assert f'href="/calls/{weeks["ann4"].id}"' in page
    assert "+25.0" in page
    assert "Sue" not in page


def test_csv_export(client, login, weeks):
    login(weeks["qa"])
    team = weeks["ann"].team_id
    response = client.get(f"/reports/weekly.csv?team={team}&week=2026-11-10")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["team", "Harbour", "week", "2026-11-09"]
    assert rows[1][:6] == ["group", "key", "label", "this_week", "previous_week", "delta"]
    by_key = {(r[0], r[1]): r for r in rows[2:]}
    assert by_key[("headline", "score")][3:6] == ["85", "60", "25"]
    farewell = by_key[("item", "closing.farewell")]
    assert farewell[3:7] == ["50", "0", "50", str(weeks["ann4"].id)]
    assert farewell[7] == f"http://localhost/calls/{weeks['ann4'].id}"
    assert ("changed_call", str(weeks["ann4"].id)) in by_key


def test_csv_cells_cannot_start_formulas(client, login, weeks):
    from qa.db import db

    weeks["ann"].name = "=HYPERLINK(1)"
    db.session.commit()
    login(weeks["qa"])
    body = client.get(f"/reports/weekly.csv?team={weeks['ann'].team_id}&week=2026-11-10").get_data(
        as_text=True
    )
    assert "'=HYPERLINK(1)" in body
    assert ",=HYPERLINK" not in body


def test_printable_page(client, login, weeks):
    login(weeks["qa"])
    page = client.get(
        f"/reports/weekly/print?team={weeks['ann'].team_id}&week=2026-11-09"
    ).get_data(as_text=True)
    assert 'class="print-page"' in page
    assert 'class="topbar"' not in page
    assert "Mean QA score" in page


def test_report_access(client, login, weeks):
    login(weeks["other_manager"])
    page = client.get(f"/reports/weekly?team={weeks['ann'].team_id}&week=2026-11-09").get_data(
        as_text=True
    )
    assert "Summit" in page and "Harbour" not in page  # managers get their own team only
    client.post("/logout")
    login(weeks["ann"])
    assert client.get("/reports/weekly").status_code == 403
    assert client.get("/reports/weekly.csv").status_code == 403
    client.post("/logout")
    login(weeks["qa"])
    assert client.get("/reports/weekly?team=9999").status_code == 404
    assert client.get("/reports/weekly?week=soon").status_code == 400
