"""The dashboard page: chart JSON, what each role sees, escaping, the KPI import page, CSRF."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from sqlalchemy import func, select

from qa.db import db
from qa.kpis.models import KpiValue
from qa.scorecards.models import ItemResultRecord

from .dashboard_support import fast_rubrics, scored  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_rubrics")
RANGE = "start=2026-11-01&end=2026-11-22"


def figures(page: str) -> list[dict]:
    """Return the plotly figures of a page, in order."""
    return [json.loads(html.unescape(raw)) for raw in re.findall(r'data-figure="([^"]*)"', page)]


@pytest.fixture
def people(make_user, make_scored_call):  # type: ignore[no-untyped-def]
    ann = make_user("agent", team="Harbour", name="Ann")
    sue = make_user("agent", team="Summit", name="Sue <script>alert(1)</script>")
    return {
        "ann": ann,
        "sue": sue,
        "ann1": scored(make_scored_call, ann, "2026-11-02T09:00:00", 80.0, fail=("greeting",)),
        "ann2": scored(make_scored_call, ann, "2026-11-10T09:00:00", 60.0),
        "sue1": scored(make_scored_call, sue, "2026-11-03T09:00:00", 90.0),
        "manager": make_user("manager", team="Harbour"),
        "qa": make_user("qa", team=None),
    }


def test_chart_json_holds_the_aggregates(client, login, people):
    login(people["qa"])
    page = client.get(f"/dashboard?{RANGE}").get_data(as_text=True)
    scores, failures, _agree, volumes, handling, conversation, kpis = figures(page)
    names = {t["name"]: t for t in scores["data"]}
    assert names["Ann"]["y"] == [80.0, 60.0]
    assert names["Ann"]["x"] == ["2026-11-02", "2026-11-09"]
    assert names["All"]["y"] == [85.0, 60.0]
    bar = failures["data"][0]
    title = db.session.scalar(
        select(ItemResultRecord.title).where(ItemResultRecord.item_key == "greeting")
    )
    assert bar["y"][-1] == f"opening · {title}"  # worst item drawn on top
    assert bar["x"][-1] == pytest.approx(33.3)
    assert bar["customdata"][-1] == [1, 3]
    assert sum(volumes["data"][0]["y"]) == 3
    assert len(handling["data"]) == 1  # no AHT imported yet
    assert conversation["data"][0]["y"][0] > 0
    assert page.count('class="chart"') == 7
    assert "vendor/plotly.min.js" in page and "cdn" not in page.lower()


def test_figures_carry_trace_types_and_the_default_template(client, login, people):
    login(people["qa"])
    page = client.get(f"/dashboard?{RANGE}").get_data(as_text=True)
    for fig in figures(page):
        assert fig["layout"]["template"]["layout"]  # plotly's default look, as to_json gave it
        assert fig["data"] and {t["type"] for t in fig["data"]} <= {"scatter", "bar"}
    lines = {t["name"]: t["line"] for t in figures(page)[0]["data"]}
    assert lines["All"] == {"width": 4, "color": "#14213d"}
    assert lines["Ann"] == {"width": 1.5}  # plotly picks the colour


def test_agent_sees_only_own_results(client, login, people):
    login(people["ann"])
    sue = people["sue"].id
    page = client.get(f"/dashboard?{RANGE}&agent={sue}&team=").get_data(as_text=True)
    scores = figures(page)[0]
    assert {t["name"] for t in scores["data"]} == {"Ann", "All"}
    assert "Sue" not in page
    assert 'name="agent"' not in page  # no filters for agents


def test_manager_sees_only_the_team(client, login, people):
    login(people["manager"])
    page = client.get(f"/dashboard?{RANGE}").get_data(as_text=True)
    assert {t["name"] for t in figures(page)[0]["data"]} == {"Ann", "All"}
    assert "Sue" not in page
    bad = client.get(f"/dashboard?{RANGE}&agent={people['sue'].id}")
    assert "There is no such agent." in bad.get_data(as_text=True)


def test_names_are_escaped(client, login, people):
    login(people["qa"])
    page = client.get(f"/dashboard?{RANGE}&by=team").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    page = client.get(f"/dashboard?{RANGE}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    # plotly reads a few HTML tags in labels: names go to it escaped, so they show literally
    assert "Sue &lt;script&gt;alert(1)&lt;/script&gt;" in {
        t["name"] for t in figures(page)[0]["data"]
    }


def test_anonymous_is_sent_to_login(client):
    assert client.get("/dashboard").status_code == 302


def _upload(client, text: str, source: str = "survey"):  # type: ignore[no-untyped-def]
    data = {"file": (io.BytesIO(text.encode()), "kpis.csv"), "source": source}
    return client.post("/dashboard/kpis", data=data, content_type="multipart/form-data")


def test_kpi_import_and_panel(client, login, people):
    login(people["qa"])
    a, b, c = people["ann1"].id, people["ann2"].id, people["sue1"].id
    text = f"call_id,fcr,csat,nps,aht\n{a},yes,5,10,300\n{b},no,3,9,200\n{c},yes,4,5,100\n"
    response = _upload(client, text)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(KpiValue.id))) == 12
    page = client.get(f"/dashboard?{RANGE}").get_data(as_text=True)
    panel = page.split('class="kpi-panel"', 1)[1].split("</section>", 1)[0]
    assert "66.7%" in panel  # FCR: 2 of 3
    assert "4.0 / 5" in panel  # CSAT mean
    assert "66.7% rated 4-5" in panel
    assert "33.3" in panel  # NPS: 2 promoters, 1 detractor of 3
    assert "200.0 s" in panel  # AHT
    handling = figures(page)[4]
    assert handling["data"][1]["y"] == [200.0, 200.0]  # (300 + 100) / 2, then 200
    kpis = {t["name"]: t["y"] for t in figures(page)[6]["data"]}
    assert kpis["NPS"] == [0.0, 100.0]


@pytest.mark.parametrize(
    "text, message",
    [
        ("call_id,csat\n{a},7\n", "csat must be a whole number from 1 to 5"),
        ("call_id,nps\n{a},9\n99999,9\n", "no call #99999"),
        ("id,csat\n{a},3\n", "call_id column"),
    ],
)
def test_kpi_import_rejects_bad_files(client, login, people, text, message):
    login(people["qa"])
    response = _upload(client, text.format(a=people["ann1"].id))
    assert response.status_code == 400
    assert html.escape(message) in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(KpiValue.id))) == 0


def test_kpi_import_limits_managers_to_their_team(client, login, people):
    login(people["manager"])
    response = _upload(client, f"call_id,csat\n{people['sue1'].id},5\n")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(KpiValue.id))) == 0


def test_agents_cannot_import_kpis(client, login, people):
    login(people["ann"])
    assert client.get("/dashboard/kpis").status_code == 403
    assert _upload(client, f"call_id,csat\n{people['ann1'].id},5\n").status_code == 403


@pytest.mark.parametrize("url", ["/dashboard/kpis", "/locale"])
def test_posts_need_a_csrf_token(csrf_client, make_user, url):
    user = make_user("qa", team=None)
    with csrf_client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    response = csrf_client.post(url, data={"locale": "zh", "source": "x"})
    assert response.status_code == 400
    assert b"CSRF" in response.data


def test_agent_table_links_to_the_lowest_scored_calls(client, login, people):
    login(people["qa"])
    page = client.get(f"/dashboard?{RANGE}").get_data(as_text=True)
    table = page.split('class="grid agents"', 1)[1].split("</table>", 1)[0]
    assert table.index("Ann") < table.index("Sue")  # lowest mean first: 70 before 90
    assert "<td>70.0</td>" in table
    assert f"agent={people['ann'].id}" in table and "sort=score" in table and "order=asc" in table
