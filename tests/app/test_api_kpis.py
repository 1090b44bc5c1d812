"""KPI import: value rules, long and wide rows, CSV, all-or-nothing, visibility."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from qa.db import db
from qa.kpis.models import KpiValue
from qa.kpis.services import KpiError, import_rows, kpis_for_call, parse_value, read_csv
from tests.app.api_support import assert_error, bearer, token_for


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("fcr", "yes", 1.0),
        ("fcr", "No", 0.0),
        ("fcr", True, 1.0),
        ("csat", "5", 5.0),
        ("csat", 1, 1.0),
        ("nps", "0", 0.0),
        ("nps", 10, 10.0),
        ("aht", "312.5", 312.5),
        ("AHT", 0, 0.0),
    ],
)
def test_valid_values(kind, raw, value):
    assert parse_value(kind, raw) == value


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("fcr", "maybe", "yes or no"),
        ("csat", "0", "from 1 to 5"),
        ("csat", "4.5", "whole number"),
        ("csat", True, "whole number"),
        ("nps", "11", "from 0 to 10"),
        ("nps", "ten", "whole number"),
        ("aht", "-3", "between 0"),
        ("aht", "fast", "seconds"),
        ("aht", "", "no value"),
        ("sla", "1", "unknown KPI kind"),
    ],
)
def test_invalid_values(kind, raw, message):
    with pytest.raises(KpiError, match=message):
        parse_value(kind, raw)


def test_long_and_wide_rows_import_and_reimport_updates(app, make_user, make_call):
    call = make_call(make_user("agent"))
    rows = [
        {"call_id": call.id, "kind": "csat", "value": 4},
        {"call_id": str(call.id), "fcr": "yes", "nps": "9", "aht": "240"},
    ]
    report = import_rows(rows, "survey")
    db.session.commit()
    assert report.ok and (report.created, report.updated) == (4, 0)
    assert kpis_for_call(call.id) == {"csat": 4.0, "fcr": 1.0, "nps": 9.0, "aht": 240.0}
    again = import_rows([{"call_id": call.id, "csat": 2}], "survey-2")
    db.session.commit()
    assert (again.created, again.updated) == (0, 1)
    value = db.session.scalar(select(KpiValue).where(KpiValue.kind == "csat"))
    assert value.value == 2.0 and value.source == "survey-2"


def test_any_bad_row_imports_nothing(app, make_user, make_call):
    call = make_call(make_user("agent"))
    report = import_rows(
        [
            {"call_id": call.id, "csat": 5},
            {"call_id": 999, "csat": 5},
            {"call_id": call.id, "nps": 12},
            {"call_id": call.id},
            {"kind": "csat", "value": 3},
            {"call_id": call.id, "kind": "csat", "value": 3, "nps": 4},
            "not a row",
        ],
        "x",
    )
    assert not report.ok
    assert [e.row for e in report.errors] == [2, 3, 4, 5, 6, 7]
    assert "no call #999" in report.errors[0].message
    assert "from 0 to 10" in report.errors[1].message
    assert db.session.scalar(select(KpiValue)) is None


def test_empty_import_is_an_error(app):
    report = import_rows([], "x")
    assert not report.ok and "no rows" in report.errors[0].message


def test_read_csv_wants_call_id_and_utf8():
    rows = read_csv(io.BytesIO("\ufeffCall_ID,CSAT\n3,5\n".encode()))
    assert rows == [{"call_id": "3", "csat": "5"}]
    with pytest.raises(KpiError, match="call_id"):
        read_csv(io.BytesIO(b"id,csat\n1,2\n"))
    with pytest.raises(KpiError, match="UTF-8"):
        read_csv(io.BytesIO(b"call_id,csat\n\xff\xfe,1\n"))


def test_api_json_import(client, make_user, make_call):
    call = make_call(make_user("agent"))
    secret = token_for(make_user("qa"), "kpis:write")
    body = {"source": "genesys", "rows": [{"call_id": call.id, "fcr": False, "aht": 180}]}
    response = client.post("/api/v1/kpis", json=body, headers=bearer(secret))
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"created": 2, "updated": 0, "errors": []}
    assert kpis_for_call(call.id) == {"fcr": 0.0, "aht": 180.0}
    assert db.session.scalar(select(KpiValue)).source == "genesys"


def test_api_json_import_errors(client, make_user, make_call):
    call = make_call(make_user("agent"))
    secret = token_for(make_user("qa"), "kpis:write")
    bad = {"rows": [{"call_id": call.id, "csat": 9}]}
    error = assert_error(client.post("/api/v1/kpis", json=bad, headers=bearer(secret)), 400)
    assert error["code"] == "invalid_rows" and "row 1" in error["message"]
    assert error["errors"] == [
        {"row": 1, "message": "csat must be a whole number from 1 to 5 (got 9)"}
    ]
    assert_error(
        client.post("/api/v1/kpis", data="nope", headers=bearer(secret)), 400, "invalid_body"
    )
    assert_error(client.post("/api/v1/kpis", json={"rows": 3}, headers=bearer(secret)), 400)
    assert db.session.scalar(select(KpiValue)) is None


def test_api_csv_import(client, make_user, make_call):
    one, two = make_call(make_user("agent")), make_call(make_user("agent"))
    secret = token_for(make_user("admin"), "kpis:write")
    csv_text = f"call_id,fcr,csat,nps,aht\n{one.id},yes,5,10,300\n{two.id},no,,3,\n"
    response = client.post(
        "/api/v1/kpis/csv",
        data={"file": (io.BytesIO(csv_text.encode()), "kpis.csv")},
        headers=bearer(secret),
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == 6
    assert kpis_for_call(two.id) == {"fcr": 0.0, "nps": 3.0}
    assert db.session.scalar(select(KpiValue)).source == "kpis.csv"
    bad = client.post(
        "/api/v1/kpis/csv",
        data={"file": (io.BytesIO(b"call,csat\n1,2\n"), "k.csv")},
        headers=bearer(secret),
    )
    assert_error(bad, 400, "invalid_csv")
    assert_error(
        client.post("/api/v1/kpis/csv", data={}, headers=bearer(secret)), 400, "missing_file"
    )


def test_manager_imports_only_for_team_calls(client, make_user, make_call):
    other_team_call = make_call(make_user("agent", team="Summit"))
    secret = token_for(make_user("manager", team="Harbour"), "kpis:write")
    body = {"rows": [{"call_id": other_team_call.id, "csat": 3}]}
    error = assert_error(client.post("/api/v1/kpis", json=body, headers=bearer(secret)), 400)
    assert f"no call #{other_team_call.id}" in error["message"]


def test_agent_token_cannot_import(client, make_user):
    secret = token_for(make_user("agent"))
    assert_error(client.post("/api/v1/kpis", json={"rows": []}, headers=bearer(secret)), 403)


def test_call_status_shows_kpis(client, make_user, make_call):
    call = make_call(make_user("agent"))
    import_rows([{"call_id": call.id, "nps": 7}], "x")
    db.session.commit()
    secret = token_for(make_user("qa"), "calls:read")
    body = client.get(f"/api/v1/calls/{call.id}", headers=bearer(secret)).get_json()
    assert body["kpis"] == {"nps": 7.0}
